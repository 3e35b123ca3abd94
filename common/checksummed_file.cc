#include "common/checksummed_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vecdb {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

uint32_t Crc(uint32_t crc, std::string_view bytes) {
  return static_cast<uint32_t>(crc32_z(
      crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

absl::Status WriteAll(int fd, const std::string& path,
                      std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return ErrnoError("open", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return ErrnoError("fsync", dir);
  return absl::OkStatus();
}

// Writes the contents and their checksum to `fd`.
absl::Status WriteContents(
    int fd, const std::string& path,
    const std::function<absl::Status(const ByteSink&)>& write) {
  uint32_t crc = Crc(0, {});
  const ByteSink to_file = [&](std::string_view bytes) {
    crc = Crc(crc, bytes);
    return WriteAll(fd, path, bytes);
  };
  {
    ByteWriter buffered(to_file);
    const ByteSink sink = [&](std::string_view bytes) {
      return buffered.PutBytes(bytes);
    };
    absl::Status status = write(sink);
    if (!status.ok()) return status;
    status = buffered.Flush();
    if (!status.ok()) return status;
  }
  char trailer[4];
  std::memcpy(trailer, &crc, sizeof(trailer));
  return WriteAll(fd, path, std::string_view(trailer, sizeof(trailer)));
}

}  // namespace

PendingFile& PendingFile::operator=(PendingFile&& other) noexcept {
  if (this != &other) {
    Abandon();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

PendingFile::~PendingFile() { Abandon(); }

void PendingFile::Abandon() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlink((path_ + ".tmp").c_str());
}

absl::StatusOr<PendingFile> PendingFile::Write(
    const std::string& path,
    const std::function<absl::Status(const ByteSink&)>& write) {
  PendingFile file;
  const std::string tmp = path + ".tmp";
  file.fd_ = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (file.fd_ < 0) return ErrnoError("create", tmp);
  file.path_ = path;
  absl::Status status = WriteContents(file.fd_, tmp, write);
  if (!status.ok()) return status;  // `file` removes the temporary file
  return file;
}

absl::Status PendingFile::Commit() {
  if (fd_ < 0) return absl::FailedPreconditionError("no file to commit");
  const std::string tmp = path_ + ".tmp";
  absl::Status status;
  if (::fsync(fd_) != 0) status = ErrnoError("fsync", tmp);
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 && status.ok()) status = ErrnoError("close", tmp);
  if (status.ok() && ::rename(tmp.c_str(), path_.c_str()) != 0) {
    status = ErrnoError("rename", tmp);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  std::string dir = std::filesystem::path(path_).parent_path().string();
  return SyncDirectory(dir.empty() ? "." : dir);
}

FileContents& FileContents::operator=(FileContents&& other) noexcept {
  if (this != &other) {
    if (map_ != nullptr) ::munmap(map_, map_size_);
    map_ = std::exchange(other.map_, nullptr);
    map_size_ = std::exchange(other.map_size_, 0);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

FileContents::~FileContents() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

absl::StatusOr<FileContents> ReadChecksummedFile(const std::string& path,
                                                 absl::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no ", what, " at ", path));
    }
    return ErrnoError("open", path);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return ErrnoError("stat", path);
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < 4) {
    ::close(fd);
    return absl::DataLossError(
        absl::StrCat(what, " ", path, ": truncated (", size, " bytes)"));
  }
  // Mapped, not read: no copy of the page cache into the heap. The pages
  // are populated up front, since every byte is read (the checksum).
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
                     fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return ErrnoError("mmap", path);
  FileContents contents(map, size, size - 4);
  const std::string_view body = contents.bytes();
  uint32_t stored = 0;
  std::memcpy(&stored, body.data() + body.size(), sizeof(stored));
  if (Crc(Crc(0, {}), body) != stored) {
    return absl::DataLossError(
        absl::StrCat(what, " ", path, ": checksum mismatch"));
  }
  return contents;
}

}  // namespace vecdb
