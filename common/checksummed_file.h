// Files written whole and replaced atomically, guarded by a checksum: the
// graph and secondary-index checkpoints (docs/on_disk_format.md).
//
// Layout: the contents, then the CRC-32 (zlib's polynomial) of the
// contents as 4 little-endian bytes. A write goes to "<path>.tmp", is
// fsynced, renamed over <path>, and the directory is fsynced, so a crash
// leaves either the old or the new file, never a mixture.
#ifndef VECDB_COMMON_CHECKSUMMED_FILE_H_
#define VECDB_COMMON_CHECKSUMMED_FILE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/byte_io.h"

namespace vecdb {

// A file whose bytes are written to "<path>.tmp" but not yet durable or
// in place. Commit() fsyncs it, renames it over <path> and fsyncs the
// directory; destroyed uncommitted, it removes the temporary file. So a
// writer can produce the bytes while it holds a lock and make them durable
// after releasing it.
class PendingFile {
 public:
  PendingFile() = default;
  PendingFile(PendingFile&& other) noexcept { *this = std::move(other); }
  PendingFile& operator=(PendingFile&& other) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  // Writes "<path>.tmp" with the bytes `write` passes to its sink, then
  // their CRC. On an error the temporary file is removed.
  static absl::StatusOr<PendingFile> Write(
      const std::string& path,
      const std::function<absl::Status(const ByteSink&)>& write);

  // On an error the old file (if any) is left as it was.
  absl::Status Commit();

 private:
  void Abandon();
  int fd_ = -1;
  std::string path_;
};


// The verified contents of a file written by PendingFile: a
// read-only private mapping of the file (the checksum not included). The
// file is replaced only by rename, so the mapped bytes never change.
class FileContents {
 public:
  FileContents() = default;
  FileContents(void* map, size_t map_size, size_t size)
      : map_(map), map_size_(map_size), size_(size) {}
  FileContents(FileContents&& other) noexcept { *this = std::move(other); }
  FileContents& operator=(FileContents&& other) noexcept;
  FileContents(const FileContents&) = delete;
  FileContents& operator=(const FileContents&) = delete;
  ~FileContents();

  std::string_view bytes() const {
    return {static_cast<const char*>(map_), size_};
  }

 private:
  void* map_ = nullptr;
  size_t map_size_ = 0;
  size_t size_ = 0;
};

// NotFound if there is no file at `path`; DataLoss if it is shorter than
// its checksum or the checksum does not match; Internal on I/O errors.
// Messages name `what` ("checkpoint", ...) and the path.
absl::StatusOr<FileContents> ReadChecksummedFile(const std::string& path,
                                                 absl::string_view what);

}  // namespace vecdb

#endif  // VECDB_COMMON_CHECKSUMMED_FILE_H_
