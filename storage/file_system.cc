#include "storage/file_system.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "rocksdb/file_system.h"
#include "storage/rocks_status.h"

namespace vecdb {

std::shared_ptr<rocksdb::FileSystem> DefaultFileSystem() {
  return rocksdb::FileSystem::Default();
}

std::string ParentDirectory(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  const size_t slash = trimmed.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return trimmed.substr(0, slash);
}

absl::Status SyncDirectory(rocksdb::FileSystem& fs, const std::string& dir) {
  std::unique_ptr<rocksdb::FSDirectory> handle;
  const rocksdb::IOOptions io;
  VECDB_RETURN_IF_ERROR(FromRocks(fs.NewDirectory(dir, io, &handle, nullptr),
                                  absl::StrCat("open directory ", dir)));
  VECDB_RETURN_IF_ERROR(
      FromRocks(handle->FsyncWithDirOptions(io, nullptr, rocksdb::DirFsyncOptions()),
                absl::StrCat("sync directory ", dir)));
  return FromRocks(handle->Close(io, nullptr),
                   absl::StrCat("close directory ", dir));
}

absl::Status CreateDirectoryDurably(rocksdb::FileSystem& fs,
                                    const std::string& dir) {
  const rocksdb::IOOptions io;
  // The missing components, deepest first.
  std::vector<std::string> missing;
  for (std::string at = dir;; at = ParentDirectory(at)) {
    bool is_dir = false;
    const rocksdb::IOStatus s = fs.IsDirectory(at, io, &is_dir, nullptr);
    if (s.ok()) {
      if (!is_dir) {
        return absl::FailedPreconditionError(
            absl::StrCat("cannot create directory ", dir, ": ", at,
                         " is not a directory"));
      }
      break;
    }
    if (!fs.FileExists(at, io, nullptr).IsNotFound()) {
      return FromRocks(s, absl::StrCat("stat ", at));
    }
    missing.push_back(at);
    if (at == "/" || at == ".") break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const rocksdb::IOStatus s = fs.CreateDirIfMissing(*it, io, nullptr);
    if (!s.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create directory ", *it, ": ", s.ToString()));
    }
    VECDB_RETURN_IF_ERROR(SyncDirectory(fs, ParentDirectory(*it)));
  }
  if (missing.empty()) {
    // Created earlier, perhaps by a process that stopped before the sync.
    VECDB_RETURN_IF_ERROR(SyncDirectory(fs, ParentDirectory(dir)));
  }
  return absl::OkStatus();
}

absl::Status RemoveFileIfExists(rocksdb::FileSystem& fs,
                                const std::string& path) {
  const rocksdb::IOOptions io;
  const rocksdb::IOStatus s = fs.DeleteFile(path, io, nullptr);
  if (s.ok() || s.IsNotFound() || s.IsPathNotFound() ||
      fs.FileExists(path, io, nullptr).IsNotFound()) {
    return absl::OkStatus();
  }
  return FromRocks(s, absl::StrCat("remove ", path));
}

}  // namespace vecdb
