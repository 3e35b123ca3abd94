#include "storage/checksummed_file.h"

#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "rocksdb/file_system.h"
#include "storage/file_system.h"
#include "storage/rocks_status.h"

namespace vecdb {
namespace {

uint32_t Crc(uint32_t crc, std::string_view bytes) {
  return static_cast<uint32_t>(crc32_z(
      crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

absl::Status Failed(const rocksdb::IOStatus& s, absl::string_view what,
                    const std::string& path) {
  return FromRocks(s, absl::StrCat(what, " ", path));
}

// Writes the contents and their checksum to `file`.
absl::Status WriteContents(
    rocksdb::FSWritableFile& file, const std::string& path,
    const std::function<absl::Status(const ByteSink&)>& write) {
  uint32_t crc = Crc(0, {});
  const ByteSink to_file = [&](std::string_view bytes) {
    crc = Crc(crc, bytes);
    return Failed(file.Append(rocksdb::Slice(bytes.data(), bytes.size()),
                              rocksdb::IOOptions(), nullptr),
                  "write", path);
  };
  {
    ByteWriter buffered(to_file);
    const ByteSink sink = [&](std::string_view bytes) {
      return buffered.PutBytes(bytes);
    };
    VECDB_RETURN_IF_ERROR(write(sink));
    VECDB_RETURN_IF_ERROR(buffered.Flush());
  }
  char trailer[4];
  std::memcpy(trailer, &crc, sizeof(trailer));
  return to_file(std::string_view(trailer, sizeof(trailer)));
}

}  // namespace

PendingFile::PendingFile() = default;
PendingFile::PendingFile(PendingFile&& other) noexcept {
  *this = std::move(other);
}

PendingFile& PendingFile::operator=(PendingFile&& other) noexcept {
  if (this != &other) {
    Abandon();
    fs_ = std::exchange(other.fs_, nullptr);
    file_ = std::move(other.file_);
    path_ = std::move(other.path_);
  }
  return *this;
}

PendingFile::~PendingFile() { Abandon(); }

void PendingFile::Abandon() {
  if (file_ == nullptr) return;
  file_->Close(rocksdb::IOOptions(), nullptr).PermitUncheckedError();
  file_.reset();
  RemoveFileIfExists(*fs_, path_ + ".tmp").IgnoreError();
}

absl::StatusOr<PendingFile> PendingFile::Write(
    rocksdb::FileSystem& fs, const std::string& path,
    const std::function<absl::Status(const ByteSink&)>& write) {
  PendingFile pending;
  const std::string tmp = path + ".tmp";
  VECDB_RETURN_IF_ERROR(Failed(
      fs.NewWritableFile(tmp, rocksdb::FileOptions(), &pending.file_, nullptr),
      "create", tmp));
  pending.fs_ = &fs;
  pending.path_ = path;
  // On an error `pending` removes the temporary file.
  VECDB_RETURN_IF_ERROR(WriteContents(*pending.file_, tmp, write));
  return pending;
}

absl::Status PendingFile::Commit() {
  if (file_ == nullptr) {
    return absl::FailedPreconditionError("no file to commit");
  }
  const std::string tmp = path_ + ".tmp";
  const rocksdb::IOOptions io;
  absl::Status status = Failed(file_->Fsync(io, nullptr), "fsync", tmp);
  if (status.ok()) status = Failed(file_->Close(io, nullptr), "close", tmp);
  if (status.ok()) {
    status = Failed(fs_->RenameFile(tmp, path_, io, nullptr), "rename", tmp);
  }
  if (!status.ok()) {
    Abandon();
    return status;
  }
  file_.reset();
  return SyncDirectory(*fs_, ParentDirectory(path_));
}

FileContents::FileContents() = default;
FileContents::FileContents(FileContents&& other) noexcept {
  *this = std::move(other);
}

FileContents& FileContents::operator=(FileContents&& other) noexcept {
  if (this != &other) {
    Release();
    file_ = std::move(other.file_);
    scratch_ = std::exchange(other.scratch_, nullptr);
    scratch_size_ = std::exchange(other.scratch_size_, 0);
    bytes_ = std::exchange(other.bytes_, {});
  }
  return *this;
}

FileContents::~FileContents() { Release(); }

void FileContents::Release() {
  bytes_ = {};
  file_.reset();
  if (scratch_ != nullptr) ::munmap(scratch_, scratch_size_);
  scratch_ = nullptr;
  scratch_size_ = 0;
}

absl::StatusOr<FileContents> ReadChecksummedFile(rocksdb::FileSystem& fs,
                                                 const std::string& path,
                                                 absl::string_view what) {
  const rocksdb::IOOptions io;
  if (fs.FileExists(path, io, nullptr).IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no ", what, " at ", path));
  }
  uint64_t size = 0;
  VECDB_RETURN_IF_ERROR(
      Failed(fs.GetFileSize(path, io, &size, nullptr), "stat", path));
  if (size < 4) {
    return absl::DataLossError(
        absl::StrCat(what, " ", path, ": truncated (", size, " bytes)"));
  }
  FileContents contents;
  // Mapped, not read: no copy of the page cache into the heap.
  rocksdb::FileOptions options;
  options.use_mmap_reads = true;
  VECDB_RETURN_IF_ERROR(Failed(
      fs.NewRandomAccessFile(path, options, &contents.file_, nullptr), "open",
      path));
  // A file system that copies needs a buffer; one that maps (the default)
  // returns its own pages and this one is never touched, so it costs
  // address space only.
  contents.scratch_ = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (contents.scratch_ == MAP_FAILED) {
    contents.scratch_ = nullptr;
    return absl::ResourceExhaustedError(
        absl::StrCat("read ", path, ": cannot reserve ", size, " bytes"));
  }
  contents.scratch_size_ = size;
  rocksdb::Slice read;
  VECDB_RETURN_IF_ERROR(Failed(
      contents.file_->Read(0, size, io, &read,
                           static_cast<char*>(contents.scratch_), nullptr),
      "read", path));
  if (read.size() != size) {
    return absl::DataLossError(absl::StrCat(what, " ", path, ": read ",
                                            read.size(), " of ", size,
                                            " bytes"));
  }
  if (read.data() != contents.scratch_) {
    // Every byte is read next (the checksum): fault the pages in ahead.
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto at = reinterpret_cast<uintptr_t>(read.data());
    ::madvise(reinterpret_cast<void*>(at & ~(page - 1)),
              size + (at & (page - 1)), MADV_WILLNEED);
  }
  contents.bytes_ = std::string_view(read.data(), size - 4);
  uint32_t stored = 0;
  std::memcpy(&stored, read.data() + size - 4, sizeof(stored));
  if (Crc(Crc(0, {}), contents.bytes_) != stored) {
    return absl::DataLossError(
        absl::StrCat(what, " ", path, ": checksum mismatch"));
  }
  return contents;
}

}  // namespace vecdb
