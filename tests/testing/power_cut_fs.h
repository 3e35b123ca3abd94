// PowerCutFs: a rocksdb::FileSystem for tests that knows what a power cut
// would leave of the files under one directory, and that fails chosen
// operations.
//
// It forwards every call to the machine's file system and keeps, for the
// tree under `root`, the model a conservative reading of POSIX gives:
//   * a file's bytes are durable up to its last Sync()/Fsync() (fdatasync or
//     fsync); RangeSync, Flush and Close make nothing durable;
//   * a directory entry (a file or directory created, renamed or removed)
//     is durable once the directory itself has been synced (FSDirectory::
//     Fsync / FsyncWithDirOptions); before that a cut undoes it — a created
//     file or directory disappears (with everything in it), a rename or a
//     removal is reverted and the old file is back with its durable bytes.
// Cut() freezes the tree: from then on every call under root fails with
// IOError("power cut") and touches nothing. Materialize() writes what
// survived into a new directory: for each durable entry, the file's synced
// bytes plus a torn tail of its unsynced ones (none, a prefix, or a prefix
// ending in garbage).
//
//   auto fs = std::make_shared<PowerCutFs>(dir, seed);
//   options.file_system = fs;              // EngineOptions / StoreOptions
//   ... run, concurrently ...
//   fs->Cut();                             // the machine stops here
//   engine.reset();                        // its writes fail, harmlessly
//   ASSIGN_OR_FAIL(CutReport report, fs->Materialize(dir2));
//   ... reopen on dir2 and verify ...
//
// Faults: InjectFault() makes matching calls fail with EIO (IOError) or
// ENOSPC (NoSpace) before a cut, after `skip` matching calls, `count`
// times, with a probability.
//
// Thread safety: all methods may be called from any thread; one mutex
// guards the model and is held across each forwarded call, so the model
// and the disk change together.
#ifndef VECDB_TESTS_TESTING_POWER_CUT_FS_H_
#define VECDB_TESTS_TESTING_POWER_CUT_FS_H_

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rocksdb/file_system.h"

namespace vecdb::testing {

enum class FsOp {
  kCreate,     // NewWritableFile / ReopenWritableFile
  kAppend,     // FSWritableFile::Append
  kSync,       // FSWritableFile::Sync / Fsync
  kRename,     // RenameFile
  kDelete,     // DeleteFile
  kDirSync,    // FSDirectory::Fsync / FsyncWithDirOptions
  kRead,       // opening a file for reading, and every read of it
  kCreateDir,  // CreateDir / CreateDirIfMissing
};

struct FaultRule {
  FsOp op = FsOp::kAppend;
  // EIO -> IOStatus::IOError, ENOSPC -> IOStatus::NoSpace.
  int error = EIO;
  // Only paths containing this ("" = every path under root).
  std::string path_contains;
  // Matching calls let through before the first failure.
  uint64_t skip = 0;
  // Failures before the rule expires.
  uint64_t count = UINT64_MAX;
  // Of failing each matching call after `skip`.
  double probability = 1.0;
  // kAppend only: a random prefix of the data is written before the error.
  bool torn = false;
};

// How Materialize() ends a file with unsynced bytes.
enum class TornTail { kRandom, kDrop, kPrefix, kGarbage };

// What a cut took away, as Materialize() found it.
struct CutReport {
  uint64_t files = 0;             // files written out
  uint64_t tails_dropped = 0;     // files whose unsynced bytes all went
  uint64_t tails_prefix = 0;      // ... of which a prefix survived
  uint64_t tails_garbage = 0;     // ... a prefix ending in garbage
  uint64_t unsynced_bytes_lost = 0;
  uint64_t creations_undone = 0;  // files whose entry never became durable
  uint64_t renames_undone = 0;    // names still showing the old file
  uint64_t deletions_undone = 0;  // removed files back again
  uint64_t directories_lost = 0;  // created, never synced into the parent
  uint64_t temporary_files = 0;   // "*.tmp" files that survived
  // "*.tmp" files present when the cut came (a checkpoint or RocksDB's
  // CURRENT being replaced at that moment).
  uint64_t temporary_at_cut = 0;
  std::string Summary() const;
};

// Calls seen before the cut.
struct FsStats {
  uint64_t syncs = 0;
  uint64_t directory_syncs = 0;
  uint64_t renames = 0;
  uint64_t creations = 0;
  uint64_t deletions = 0;
};

class PowerCutFs : public rocksdb::FileSystemWrapper {
 public:
  // `root`: an absolute path; whatever it holds now counts as durable.
  PowerCutFs(std::string root, uint64_t seed);
  ~PowerCutFs() override;

  const char* Name() const override { return "PowerCutFs"; }

  void Cut();
  bool is_cut() const;
  // REQUIRES: Cut() called. `dest` must not exist.
  absl::StatusOr<CutReport> Materialize(const std::string& dest,
                                        TornTail tail = TornTail::kRandom);

  void InjectFault(const FaultRule& rule);
  void ClearFaults();
  uint64_t faults_injected() const;
  // A test of the tests: directory syncs pass through to the disk but the
  // model ignores them, as if the code under test never made them.
  void IgnoreDirectorySyncs(bool ignore);
  FsStats stats() const;

  // --- rocksdb::FileSystem ----------------------------------------------
  rocksdb::IOStatus NewSequentialFile(
      const std::string& f, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSSequentialFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomAccessFile(
      const std::string& f, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewWritableFile(const std::string& f,
                                    const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& f, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(
      const std::string& f, const std::string& old,
      const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomRWFile(const std::string& f,
                                    const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name,
                                 const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* r,
                                 rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus FileExists(const std::string& f,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus GetChildren(const std::string& dir,
                                const rocksdb::IOOptions& options,
                                std::vector<std::string>* r,
                                rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& f,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus Truncate(const std::string& f, size_t size,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDir(const std::string& d,
                              const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus CreateDirIfMissing(const std::string& d,
                                       const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteDir(const std::string& d,
                              const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus GetFileSize(const std::string& f,
                                const rocksdb::IOOptions& options,
                                uint64_t* size,
                                rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& s, const std::string& t,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& s, const std::string& t,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus IsDirectory(const std::string& path,
                                const rocksdb::IOOptions& options,
                                bool* is_dir,
                                rocksdb::IODebugContext* dbg) override;

  // Called by the wrapped files (power_cut_fs.cc).
  rocksdb::IOStatus Append(int node, const std::string& path,
                           const rocksdb::Slice& data,
                           rocksdb::FSWritableFile& file,
                           const rocksdb::IOOptions& options);
  rocksdb::IOStatus SyncFile(int node, const std::string& path, bool full,
                             rocksdb::FSWritableFile& file,
                             const rocksdb::IOOptions& options);
  rocksdb::IOStatus TruncateFile(int node, const std::string& path,
                                 uint64_t size, rocksdb::FSWritableFile& file,
                                 const rocksdb::IOOptions& options);
  rocksdb::IOStatus SyncDirectory(const std::string& path,
                                  rocksdb::FSDirectory& dir,
                                  const rocksdb::IOOptions& options,
                                  const rocksdb::DirFsyncOptions* dir_options);
  // Before a read of `path`: the cut or an injected fault, else OK.
  rocksdb::IOStatus BeforeRead(const std::string& path);
  // After the cut only: IOError for paths under root.
  rocksdb::IOStatus IfCut(const std::string& path) const;

 private:
  // A file's bytes, or a directory's entries; never freed (tests are small).
  struct Node {
    bool directory = false;
    // Files: where the bytes live now (a current name or a stash link; ""
    // once no name and no durable entry holds them).
    std::string real;
    uint64_t size = 0;    // bytes appended (or truncated to)
    uint64_t synced = 0;  // durable prefix
    // Directories: name -> node id, now and as of the last sync.
    std::map<std::string, int> entries;
    std::map<std::string, int> durable;
  };

  // The components of `path` under root; nullopt when outside.
  std::optional<std::vector<std::string>> Components(
      const std::string& path) const;
  // REQUIRES: mu_ held. The node of `path` (-1 if unknown), and its
  // parent's (-1 if unknown); *name receives the last component.
  int Find(const std::string& path) const;
  int Parent(const std::string& path, std::string* name) const;
  int AddNode(Node node);
  void Scan(int dir, const std::string& path);
  // REQUIRES: mu_ held. Before `path` stops naming `node`: keep its bytes
  // reachable if a durable entry or another name still refers to it.
  void Unname(int node, const std::string& path);
  bool DurablyReferenced(int node) const;
  std::optional<std::string> OtherName(int node, const std::string& except) const;
  // REQUIRES: mu_ held. The cut or a fault for `op` on `path`; counts it.
  rocksdb::IOStatus Check(FsOp op, const std::string& path,
                          const FaultRule** fired = nullptr);
  // New file node under `path` (replacing what the name held).
  int CreateFileNode(const std::string& path);
  absl::Status WriteOut(int dir, const std::string& dest, TornTail tail,
                        CutReport* report);

  struct ActiveRule {
    FaultRule rule;
    uint64_t seen = 0;
    uint64_t failed = 0;
  };

  const std::string root_;
  const std::string stash_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;             // guarded by mu_
  std::vector<Node> nodes_;         // guarded by mu_
  int root_node_ = 0;
  uint64_t stashed_ = 0;            // guarded by mu_
  bool cut_ = false;                // guarded by mu_
  bool ignore_directory_syncs_ = false;  // guarded by mu_
  std::vector<ActiveRule> rules_;   // guarded by mu_
  uint64_t faults_ = 0;             // guarded by mu_
  FsStats stats_;                   // guarded by mu_
};

// Totals of many cuts, for a test's closing line.
struct PowerCutTotals {
  CutReport sum;
  uint64_t cuts = 0;
  void Add(const CutReport& report);
  std::string Summary() const { return sum.Summary(); }
};

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_TESTING_POWER_CUT_FS_H_
