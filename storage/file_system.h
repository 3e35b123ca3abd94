// The file-system seam: every file vecdb reads or writes in a data
// directory goes through one rocksdb::FileSystem — RocksDB itself (through
// rocksdb::NewCompositeEnv), the checkpoint files (storage/
// checksummed_file.h) and the directories they live in. Production uses
// the real one; tests pass a file system that fails chosen operations or
// simulates a power cut (tests/testing/power_cut_fs.h), through
// StoreOptions::file_system and EngineOptions::file_system.
//
// The helpers here state what is durable when they return: a directory
// entry is durable only once its parent directory has been synced, and a
// file's bytes only once the file has been synced.
#ifndef VECDB_STORAGE_FILE_SYSTEM_H_
#define VECDB_STORAGE_FILE_SYSTEM_H_

#include <memory>
#include <string>

#include "absl/status/status.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace vecdb {

// The machine's file system (rocksdb::FileSystem::Default()).
std::shared_ptr<rocksdb::FileSystem> DefaultFileSystem();

// Creates `dir` and its missing parents, then syncs the parent of every
// directory it created and `dir`'s own parent, so that after it returns a
// power cut leaves `dir` in place (even when an earlier process created it
// and stopped before syncing). FailedPrecondition if a component is not a
// directory or cannot be created; the I/O error's code otherwise.
absl::Status CreateDirectoryDurably(rocksdb::FileSystem& fs,
                                    const std::string& dir);

// Syncs the directory `dir` itself: its entries (files created, renamed or
// removed in it) become durable.
absl::Status SyncDirectory(rocksdb::FileSystem& fs, const std::string& dir);

// Removes the file at `path`; a missing file is not an error.
absl::Status RemoveFileIfExists(rocksdb::FileSystem& fs,
                                const std::string& path);

// The directory part of `path` ("." when it has none).
std::string ParentDirectory(const std::string& path);

}  // namespace vecdb

#endif  // VECDB_STORAGE_FILE_SYSTEM_H_
