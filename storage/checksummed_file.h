// Files written whole and replaced atomically, guarded by a checksum: the
// graph and secondary-index checkpoints (docs/on_disk_format.md). Every
// access goes through the data directory's rocksdb::FileSystem
// (storage/file_system.h).
//
// Layout: the contents, then the CRC-32 (zlib's polynomial) of the
// contents as 4 little-endian bytes. A write goes to "<path>.tmp", is
// fsynced, renamed over <path>, and the directory is fsynced, so a crash
// or a power cut leaves either the old or the new file, never a mixture.
#ifndef VECDB_STORAGE_CHECKSUMMED_FILE_H_
#define VECDB_STORAGE_CHECKSUMMED_FILE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/byte_io.h"

namespace rocksdb {
class FileSystem;
class FSRandomAccessFile;
class FSWritableFile;
}  // namespace rocksdb

namespace vecdb {

// A file whose bytes are written to "<path>.tmp" but not yet durable or
// in place. Commit() fsyncs it, renames it over <path> and fsyncs the
// directory; destroyed uncommitted, it removes the temporary file. So a
// writer can produce the bytes while it holds a lock and make them durable
// after releasing it. The file system must outlive the PendingFile.
class PendingFile {
 public:
  PendingFile();
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&& other) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  // Writes "<path>.tmp" with the bytes `write` passes to its sink, then
  // their CRC. On an error the temporary file is removed.
  static absl::StatusOr<PendingFile> Write(
      rocksdb::FileSystem& fs, const std::string& path,
      const std::function<absl::Status(const ByteSink&)>& write);

  // On an error the old file (if any) is left as it was, or (when only the
  // directory sync failed) the new one is in place but may not survive a
  // power cut.
  absl::Status Commit();

 private:
  void Abandon();
  rocksdb::FileSystem* fs_ = nullptr;
  std::unique_ptr<rocksdb::FSWritableFile> file_;
  std::string path_;
};

// The verified contents of a file written by PendingFile (the checksum not
// included), read through a memory map where the file system offers one.
// The file is replaced only by rename, so the bytes never change.
class FileContents {
 public:
  FileContents();
  FileContents(FileContents&& other) noexcept;
  FileContents& operator=(FileContents&& other) noexcept;
  FileContents(const FileContents&) = delete;
  FileContents& operator=(const FileContents&) = delete;
  ~FileContents();

  std::string_view bytes() const { return bytes_; }

 private:
  friend absl::StatusOr<FileContents> ReadChecksummedFile(
      rocksdb::FileSystem& fs, const std::string& path,
      absl::string_view what);
  void Release();
  // Holds the mapping the bytes point into, if any.
  std::unique_ptr<rocksdb::FSRandomAccessFile> file_;
  // A buffer for file systems that copy; anonymous memory never touched
  // when the bytes come from a mapping.
  void* scratch_ = nullptr;
  size_t scratch_size_ = 0;
  std::string_view bytes_;
};

// NotFound if there is no file at `path`; DataLoss if it is shorter than
// its checksum or the checksum does not match; the I/O error's code
// (Internal, ResourceExhausted, ...) otherwise. Messages name `what`
// ("checkpoint", ...) and the path.
absl::StatusOr<FileContents> ReadChecksummedFile(rocksdb::FileSystem& fs,
                                                 const std::string& path,
                                                 absl::string_view what);

}  // namespace vecdb

#endif  // VECDB_STORAGE_CHECKSUMMED_FILE_H_
