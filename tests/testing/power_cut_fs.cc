#include "tests/testing/power_cut_fs.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vecdb::testing {
namespace {

namespace stdfs = std::filesystem;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

const char* OpName(FsOp op) {
  switch (op) {
    case FsOp::kCreate: return "create";
    case FsOp::kAppend: return "append";
    case FsOp::kSync: return "sync";
    case FsOp::kRename: return "rename";
    case FsOp::kDelete: return "delete";
    case FsOp::kDirSync: return "directory sync";
    case FsOp::kRead: return "read";
    case FsOp::kCreateDir: return "create directory";
  }
  return "?";
}

// --- The files PowerCutFs hands out: each call goes through the model. ---

class CutWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  CutWritableFile(std::unique_ptr<rocksdb::FSWritableFile> file,
                  PowerCutFs* fs, int node, std::string path)
      : FSWritableFileOwnerWrapper(std::move(file)),
        fs_(fs),
        node_(node),
        path_(std::move(path)) {}

  IOStatus Append(const Slice& data, const IOOptions& options,
                  IODebugContext*) override {
    return fs_->Append(node_, path_, data, *target(), options);
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo&,
                  IODebugContext*) override {
    return fs_->Append(node_, path_, data, *target(), options);
  }
  IOStatus PositionedAppend(const Slice&, uint64_t, const IOOptions&,
                            IODebugContext*) override {
    return IOStatus::NotSupported("PowerCutFs: positioned append");
  }
  IOStatus PositionedAppend(const Slice&, uint64_t, const IOOptions&,
                            const rocksdb::DataVerificationInfo&,
                            IODebugContext*) override {
    return IOStatus::NotSupported("PowerCutFs: positioned append");
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options,
                    IODebugContext*) override {
    return fs_->TruncateFile(node_, path_, size, *target(), options);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext*) override {
    return fs_->SyncFile(node_, path_, /*full=*/false, *target(), options);
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext*) override {
    return fs_->SyncFile(node_, path_, /*full=*/true, *target(), options);
  }
  IOStatus RangeSync(uint64_t offset, uint64_t nbytes,
                     const IOOptions& options, IODebugContext* dbg) override {
    IOStatus cut = fs_->IfCut(path_);
    if (!cut.ok()) return cut;
    return target()->RangeSync(offset, nbytes, options, dbg);
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    IOStatus cut = fs_->IfCut(path_);
    if (!cut.ok()) return cut;
    return target()->Flush(options, dbg);
  }
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    // The descriptor is released either way; after a cut nothing the close
    // does counts.
    IOStatus closed = target()->Close(options, dbg);
    IOStatus cut = fs_->IfCut(path_);
    return cut.ok() ? closed : cut;
  }

 private:
  PowerCutFs* const fs_;
  const int node_;
  const std::string path_;
};

class CutDirectory final : public rocksdb::FSDirectory {
 public:
  CutDirectory(std::unique_ptr<rocksdb::FSDirectory> dir, PowerCutFs* fs,
               std::string path)
      : dir_(std::move(dir)), fs_(fs), path_(std::move(path)) {}

  IOStatus Fsync(const IOOptions& options, IODebugContext*) override {
    return fs_->SyncDirectory(path_, *dir_, options, nullptr);
  }
  IOStatus FsyncWithDirOptions(
      const IOOptions& options, IODebugContext*,
      const rocksdb::DirFsyncOptions& dir_options) override {
    return fs_->SyncDirectory(path_, *dir_, options, &dir_options);
  }
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    IOStatus closed = dir_->Close(options, dbg);
    IOStatus cut = fs_->IfCut(path_);
    return cut.ok() ? closed : cut;
  }
  size_t GetUniqueId(char* id, size_t max_size) const override {
    return dir_->GetUniqueId(id, max_size);
  }

 private:
  std::unique_ptr<rocksdb::FSDirectory> dir_;
  PowerCutFs* const fs_;
  const std::string path_;
};

class CutSequentialFile final : public rocksdb::FSSequentialFileOwnerWrapper {
 public:
  CutSequentialFile(std::unique_ptr<rocksdb::FSSequentialFile> file,
                    PowerCutFs* fs, std::string path)
      : FSSequentialFileOwnerWrapper(std::move(file)),
        fs_(fs),
        path_(std::move(path)) {}

  IOStatus Read(size_t n, const IOOptions& options, Slice* result,
                char* scratch, IODebugContext* dbg) override {
    IOStatus s = fs_->BeforeRead(path_);
    if (!s.ok()) return s;
    return target()->Read(n, options, result, scratch, dbg);
  }
  IOStatus PositionedRead(uint64_t offset, size_t n, const IOOptions& options,
                          Slice* result, char* scratch,
                          IODebugContext* dbg) override {
    IOStatus s = fs_->BeforeRead(path_);
    if (!s.ok()) return s;
    return target()->PositionedRead(offset, n, options, result, scratch, dbg);
  }

 private:
  PowerCutFs* const fs_;
  const std::string path_;
};

class CutRandomAccessFile final
    : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  CutRandomAccessFile(std::unique_ptr<rocksdb::FSRandomAccessFile> file,
                      PowerCutFs* fs, std::string path)
      : FSRandomAccessFileOwnerWrapper(std::move(file)),
        fs_(fs),
        path_(std::move(path)) {}

  IOStatus Read(uint64_t offset, size_t n, const IOOptions& options,
                Slice* result, char* scratch,
                IODebugContext* dbg) const override {
    IOStatus s = fs_->BeforeRead(path_);
    if (!s.ok()) return s;
    return target()->Read(offset, n, options, result, scratch, dbg);
  }
  IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs,
                     const IOOptions& options, IODebugContext* dbg) override {
    IOStatus s = fs_->BeforeRead(path_);
    if (!s.ok()) return s;
    return target()->MultiRead(reqs, num_reqs, options, dbg);
  }

 private:
  PowerCutFs* const fs_;
  const std::string path_;
};

}  // namespace

std::string CutReport::Summary() const {
  return absl::StrCat(
      files, " files kept; unsynced tails dropped ", tails_dropped,
      ", kept in part ", tails_prefix, ", kept ending in garbage ",
      tails_garbage, " (", unsynced_bytes_lost, " bytes lost); undone: ",
      creations_undone, " creations, ", renames_undone, " renames, ",
      deletions_undone, " deletions, ", directories_lost,
      " directories; cut while replacing a file ", temporary_at_cut,
      " times, temporary files left ", temporary_files);
}

void PowerCutTotals::Add(const CutReport& r) {
  ++cuts;
  sum.files += r.files;
  sum.tails_dropped += r.tails_dropped;
  sum.tails_prefix += r.tails_prefix;
  sum.tails_garbage += r.tails_garbage;
  sum.unsynced_bytes_lost += r.unsynced_bytes_lost;
  sum.creations_undone += r.creations_undone;
  sum.renames_undone += r.renames_undone;
  sum.deletions_undone += r.deletions_undone;
  sum.directories_lost += r.directories_lost;
  sum.temporary_files += r.temporary_files;
  sum.temporary_at_cut += r.temporary_at_cut;
}

// --- Construction and the model ---------------------------------------------

PowerCutFs::PowerCutFs(std::string root, uint64_t seed)
    : FileSystemWrapper(rocksdb::FileSystem::Default()),
      root_(std::move(root)),
      stash_(root_ + ".stash"),
      rng_(seed) {
  Node top;
  top.directory = true;
  top.real = root_;
  root_node_ = AddNode(std::move(top));
  std::error_code ec;
  if (stdfs::is_directory(root_, ec)) Scan(root_node_, root_);
}

PowerCutFs::~PowerCutFs() {
  std::error_code ec;
  stdfs::remove_all(stash_, ec);
}

int PowerCutFs::AddNode(Node node) {
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size() - 1);
}

void PowerCutFs::Scan(int dir, const std::string& path) {
  std::error_code ec;
  for (const stdfs::directory_entry& e : stdfs::directory_iterator(path, ec)) {
    Node node;
    node.real = e.path().string();
    if (e.is_directory(ec)) {
      node.directory = true;
    } else if (e.is_regular_file(ec)) {
      node.size = node.synced = e.file_size(ec);
    } else {
      continue;
    }
    const std::string name = e.path().filename().string();
    const int id = AddNode(std::move(node));
    nodes_[dir].entries[name] = id;
    nodes_[dir].durable[name] = id;
    if (nodes_[id].directory) Scan(id, nodes_[id].real);
  }
}

std::optional<std::vector<std::string>> PowerCutFs::Components(
    const std::string& path) const {
  if (!absl::StartsWith(path, root_)) return std::nullopt;
  const std::string rest = path.substr(root_.size());
  if (!rest.empty() && rest[0] != '/') return std::nullopt;
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(rest, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") return std::nullopt;
    parts.emplace_back(part);
  }
  return parts;
}

int PowerCutFs::Find(const std::string& path) const {
  std::optional<std::vector<std::string>> parts = Components(path);
  if (!parts.has_value()) return -1;
  int at = root_node_;
  for (const std::string& part : *parts) {
    const auto it = nodes_[at].entries.find(part);
    if (!nodes_[at].directory || it == nodes_[at].entries.end()) return -1;
    at = it->second;
  }
  return at;
}

int PowerCutFs::Parent(const std::string& path, std::string* name) const {
  std::optional<std::vector<std::string>> parts = Components(path);
  if (!parts.has_value() || parts->empty()) return -1;
  *name = parts->back();
  int at = root_node_;
  for (size_t i = 0; i + 1 < parts->size(); ++i) {
    const auto it = nodes_[at].entries.find((*parts)[i]);
    if (it == nodes_[at].entries.end()) return -1;
    at = it->second;
  }
  return nodes_[at].directory ? at : -1;
}

bool PowerCutFs::DurablyReferenced(int node) const {
  for (const Node& n : nodes_) {
    for (const auto& [name, id] : n.durable) {
      if (id == node) return true;
    }
  }
  return false;
}

std::optional<std::string> PowerCutFs::OtherName(
    int node, const std::string& except) const {
  for (const Node& n : nodes_) {
    if (!n.directory) continue;
    for (const auto& [name, id] : n.entries) {
      const std::string path = absl::StrCat(n.real, "/", name);
      if (id == node && path != except) return path;
    }
  }
  return std::nullopt;
}

void PowerCutFs::Unname(int node, const std::string& path) {
  Node& n = nodes_[node];
  if (n.directory || n.real != path) return;
  if (std::optional<std::string> other = OtherName(node, path)) {
    n.real = *other;
    return;
  }
  if (!DurablyReferenced(node)) {
    n.real.clear();
    return;
  }
  // A cut brings this name back: keep the bytes under a stash name. A copy,
  // not a link: the caller may be about to truncate this very inode.
  std::error_code ec;
  stdfs::create_directories(stash_, ec);
  const std::string kept = absl::StrCat(stash_, "/", stashed_++);
  stdfs::copy_file(path, kept, ec);
  n.real = ec ? std::string() : kept;
}

IOStatus PowerCutFs::Check(FsOp op, const std::string& path,
                           const FaultRule** fired) {
  if (!Components(path).has_value()) return IOStatus::OK();
  if (cut_) return IOStatus::IOError("power cut", path);
  for (ActiveRule& active : rules_) {
    const FaultRule& rule = active.rule;
    if (rule.op != op || active.failed >= rule.count) continue;
    if (!rule.path_contains.empty() &&
        !absl::StrContains(path, rule.path_contains)) {
      continue;
    }
    if (++active.seen <= rule.skip) continue;
    if (rule.probability < 1.0 &&
        std::uniform_real_distribution<double>(0, 1)(rng_) >=
            rule.probability) {
      continue;
    }
    ++active.failed;
    ++faults_;
    if (fired != nullptr) *fired = &rule;
    const std::string message =
        absl::StrCat("injected ", OpName(op), " fault on ", path, ": ",
                     std::strerror(rule.error));
    return rule.error == ENOSPC ? IOStatus::NoSpace(message)
                                : IOStatus::IOError(message);
  }
  return IOStatus::OK();
}

IOStatus PowerCutFs::IfCut(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (cut_ && Components(path).has_value()) {
    return IOStatus::IOError("power cut", path);
  }
  return IOStatus::OK();
}

IOStatus PowerCutFs::BeforeRead(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  return Check(FsOp::kRead, path);
}

int PowerCutFs::CreateFileNode(const std::string& path) {
  std::string name;
  const int parent = Parent(path, &name);
  if (parent < 0) return -1;
  const auto old = nodes_[parent].entries.find(name);
  if (old != nodes_[parent].entries.end()) Unname(old->second, path);
  Node node;
  node.real = path;
  const int id = AddNode(std::move(node));
  nodes_[parent].entries[name] = id;
  ++stats_.creations;
  return id;
}

// --- Public controls -------------------------------------------------------

void PowerCutFs::Cut() {
  std::lock_guard<std::mutex> lock(mu_);
  cut_ = true;
}

bool PowerCutFs::is_cut() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cut_;
}

void PowerCutFs::InjectFault(const FaultRule& rule) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back({rule, 0, 0});
}

void PowerCutFs::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

uint64_t PowerCutFs::faults_injected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_;
}

void PowerCutFs::IgnoreDirectorySyncs(bool ignore) {
  std::lock_guard<std::mutex> lock(mu_);
  ignore_directory_syncs_ = ignore;
}

FsStats PowerCutFs::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

// --- Writes through the wrapped files -------------------------------------

IOStatus PowerCutFs::Append(int node, const std::string& path,
                            const Slice& data, rocksdb::FSWritableFile& file,
                            const IOOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  const FaultRule* fired = nullptr;
  IOStatus s = Check(FsOp::kAppend, path, &fired);
  if (!s.ok()) {
    if (fired != nullptr && fired->torn && data.size() > 1) {
      const size_t part = 1 + rng_() % (data.size() - 1);
      if (file.Append(Slice(data.data(), part), options, nullptr).ok()) {
        nodes_[node].size += part;
      }
    }
    return s;
  }
  s = file.Append(data, options, nullptr);
  if (s.ok()) nodes_[node].size += data.size();
  return s;
}

IOStatus PowerCutFs::SyncFile(int node, const std::string& path, bool full,
                              rocksdb::FSWritableFile& file,
                              const IOOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus s = Check(FsOp::kSync, path);
  if (!s.ok()) return s;
  s = full ? file.Fsync(options, nullptr) : file.Sync(options, nullptr);
  if (s.ok()) {
    nodes_[node].synced = nodes_[node].size;
    ++stats_.syncs;
  }
  return s;
}

IOStatus PowerCutFs::TruncateFile(int node, const std::string& path,
                                  uint64_t size, rocksdb::FSWritableFile& file,
                                  const IOOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cut_) return IOStatus::IOError("power cut", path);
  IOStatus s = file.Truncate(size, options, nullptr);
  if (s.ok()) {
    nodes_[node].size = size;
    nodes_[node].synced = std::min(nodes_[node].synced, size);
  }
  return s;
}

IOStatus PowerCutFs::SyncDirectory(const std::string& path,
                                   rocksdb::FSDirectory& dir,
                                   const IOOptions& options,
                                   const rocksdb::DirFsyncOptions* dir_options) {
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus s = Check(FsOp::kDirSync, path);
  if (!s.ok()) return s;
  s = dir_options != nullptr
          ? dir.FsyncWithDirOptions(options, nullptr, *dir_options)
          : dir.Fsync(options, nullptr);
  if (!s.ok()) return s;
  ++stats_.directory_syncs;
  const int node = Find(path);
  if (node >= 0 && nodes_[node].directory && !ignore_directory_syncs_) {
    nodes_[node].durable = nodes_[node].entries;
  }
  return s;
}

// --- rocksdb::FileSystem ----------------------------------------------------

IOStatus PowerCutFs::NewSequentialFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSSequentialFile>* r, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->NewSequentialFile(f, options, r, dbg);
  }
  IOStatus s = BeforeRead(f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSSequentialFile> file;
  s = target()->NewSequentialFile(f, options, &file, dbg);
  if (s.ok()) *r = std::make_unique<CutSequentialFile>(std::move(file), this, f);
  return s;
}

IOStatus PowerCutFs::NewRandomAccessFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSRandomAccessFile>* r, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->NewRandomAccessFile(f, options, r, dbg);
  }
  IOStatus s = BeforeRead(f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  s = target()->NewRandomAccessFile(f, options, &file, dbg);
  if (s.ok()) {
    *r = std::make_unique<CutRandomAccessFile>(std::move(file), this, f);
  }
  return s;
}

IOStatus PowerCutFs::NewWritableFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->NewWritableFile(f, options, r, dbg);
  }
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus s = Check(FsOp::kCreate, f);
  if (!s.ok()) return s;
  // The old file's bytes are saved before the open truncates them.
  std::string name;
  const int parent = Parent(f, &name);
  if (parent >= 0) {
    const auto old = nodes_[parent].entries.find(name);
    if (old != nodes_[parent].entries.end()) Unname(old->second, f);
  }
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->NewWritableFile(f, options, &file, dbg);
  if (!s.ok()) return s;
  const int node = CreateFileNode(f);
  if (node < 0) {
    *r = std::move(file);
  } else {
    *r = std::make_unique<CutWritableFile>(std::move(file), this, node, f);
  }
  return s;
}

IOStatus PowerCutFs::ReopenWritableFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->ReopenWritableFile(f, options, r, dbg);
  }
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus s = Check(FsOp::kCreate, f);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReopenWritableFile(f, options, &file, dbg);
  if (!s.ok()) return s;
  int node = Find(f);
  if (node < 0) {
    node = CreateFileNode(f);
    if (node >= 0) {
      uint64_t size = 0;
      if (target()->GetFileSize(f, IOOptions(), &size, nullptr).ok()) {
        nodes_[node].size = size;
      }
    }
  }
  if (node < 0) {
    *r = std::move(file);
  } else {
    *r = std::make_unique<CutWritableFile>(std::move(file), this, node, f);
  }
  return s;
}

IOStatus PowerCutFs::ReuseWritableFile(
    const std::string& f, const std::string& old,
    const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->ReuseWritableFile(f, old, options, r, dbg);
  }
  return IOStatus::NotSupported("PowerCutFs: ReuseWritableFile", f);
}

IOStatus PowerCutFs::NewRandomRWFile(
    const std::string& f, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSRandomRWFile>* r, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->NewRandomRWFile(f, options, r, dbg);
  }
  return IOStatus::NotSupported("PowerCutFs: NewRandomRWFile", f);
}

IOStatus PowerCutFs::NewDirectory(const std::string& name,
                                  const IOOptions& options,
                                  std::unique_ptr<rocksdb::FSDirectory>* r,
                                  IODebugContext* dbg) {
  if (!Components(name).has_value()) {
    return target()->NewDirectory(name, options, r, dbg);
  }
  IOStatus s = IfCut(name);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSDirectory> dir;
  s = target()->NewDirectory(name, options, &dir, dbg);
  if (s.ok()) *r = std::make_unique<CutDirectory>(std::move(dir), this, name);
  return s;
}

IOStatus PowerCutFs::FileExists(const std::string& f, const IOOptions& options,
                                IODebugContext* dbg) {
  IOStatus s = IfCut(f);
  return s.ok() ? target()->FileExists(f, options, dbg) : s;
}

IOStatus PowerCutFs::GetChildren(const std::string& dir,
                                 const IOOptions& options,
                                 std::vector<std::string>* r,
                                 IODebugContext* dbg) {
  IOStatus s = IfCut(dir);
  return s.ok() ? target()->GetChildren(dir, options, r, dbg) : s;
}

IOStatus PowerCutFs::GetFileSize(const std::string& f, const IOOptions& options,
                                 uint64_t* size, IODebugContext* dbg) {
  IOStatus s = IfCut(f);
  return s.ok() ? target()->GetFileSize(f, options, size, dbg) : s;
}

IOStatus PowerCutFs::IsDirectory(const std::string& path,
                                 const IOOptions& options, bool* is_dir,
                                 IODebugContext* dbg) {
  IOStatus s = IfCut(path);
  return s.ok() ? target()->IsDirectory(path, options, is_dir, dbg) : s;
}

IOStatus PowerCutFs::DeleteFile(const std::string& f, const IOOptions& options,
                                IODebugContext* dbg) {
  if (!Components(f).has_value()) return target()->DeleteFile(f, options, dbg);
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus s = Check(FsOp::kDelete, f);
  if (!s.ok()) return s;
  std::string name;
  const int parent = Parent(f, &name);
  const int node = Find(f);
  if (node >= 0) Unname(node, f);
  s = target()->DeleteFile(f, options, dbg);
  if (s.ok() && parent >= 0) {
    nodes_[parent].entries.erase(name);
    ++stats_.deletions;
  }
  return s;
}

IOStatus PowerCutFs::Truncate(const std::string& f, size_t size,
                              const IOOptions& options, IODebugContext* dbg) {
  if (!Components(f).has_value()) {
    return target()->Truncate(f, size, options, dbg);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (cut_) return IOStatus::IOError("power cut", f);
  IOStatus s = target()->Truncate(f, size, options, dbg);
  const int node = Find(f);
  if (s.ok() && node >= 0) {
    nodes_[node].size = size;
    nodes_[node].synced = std::min<uint64_t>(nodes_[node].synced, size);
  }
  return s;
}

IOStatus PowerCutFs::CreateDir(const std::string& d, const IOOptions& options,
                               IODebugContext* dbg) {
  if (!Components(d).has_value()) return target()->CreateDir(d, options, dbg);
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus s = Check(FsOp::kCreateDir, d);
  if (!s.ok()) return s;
  const bool known = Find(d) >= 0;
  s = target()->CreateDir(d, options, dbg);
  std::string name;
  const int parent = Parent(d, &name);
  if (s.ok() && !known && parent >= 0) {
    Node node;
    node.directory = true;
    node.real = d;
    while (node.real.size() > 1 && node.real.back() == '/') {
      node.real.pop_back();
    }
    const int id = AddNode(std::move(node));
    nodes_[parent].entries[name] = id;
  }
  return s;
}

IOStatus PowerCutFs::CreateDirIfMissing(const std::string& d,
                                        const IOOptions& options,
                                        IODebugContext* dbg) {
  if (!Components(d).has_value()) {
    return target()->CreateDirIfMissing(d, options, dbg);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cut_) return IOStatus::IOError("power cut", d);
    if (Find(d) >= 0) return target()->CreateDirIfMissing(d, options, dbg);
  }
  return CreateDir(d, options, dbg);
}

IOStatus PowerCutFs::DeleteDir(const std::string& d, const IOOptions& options,
                               IODebugContext* dbg) {
  if (!Components(d).has_value()) return target()->DeleteDir(d, options, dbg);
  std::lock_guard<std::mutex> lock(mu_);
  if (cut_) return IOStatus::IOError("power cut", d);
  IOStatus s = target()->DeleteDir(d, options, dbg);
  std::string name;
  const int parent = Parent(d, &name);
  if (s.ok() && parent >= 0) nodes_[parent].entries.erase(name);
  return s;
}

IOStatus PowerCutFs::RenameFile(const std::string& s, const std::string& t,
                                const IOOptions& options, IODebugContext* dbg) {
  if (!Components(s).has_value() && !Components(t).has_value()) {
    return target()->RenameFile(s, t, options, dbg);
  }
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus status = Check(FsOp::kRename, s);
  if (!status.ok()) return status;
  const int source = Find(s);
  const int replaced = Find(t);
  if (replaced >= 0 && replaced != source) Unname(replaced, t);
  status = target()->RenameFile(s, t, options, dbg);
  if (!status.ok()) return status;
  ++stats_.renames;
  std::string from_name;
  std::string to_name;
  const int from = Parent(s, &from_name);
  const int to = Parent(t, &to_name);
  if (from >= 0) nodes_[from].entries.erase(from_name);
  int node = source;
  if (node < 0) {
    Node fresh;
    uint64_t size = 0;
    target()->GetFileSize(t, IOOptions(), &size, nullptr).PermitUncheckedError();
    fresh.size = size;
    node = AddNode(std::move(fresh));
  }
  if (nodes_[node].real == s || nodes_[node].real.empty()) nodes_[node].real = t;
  if (to >= 0) nodes_[to].entries[to_name] = node;
  return status;
}

IOStatus PowerCutFs::LinkFile(const std::string& s, const std::string& t,
                              const IOOptions& options, IODebugContext* dbg) {
  if (!Components(t).has_value()) return target()->LinkFile(s, t, options, dbg);
  std::lock_guard<std::mutex> lock(mu_);
  IOStatus status = Check(FsOp::kCreate, t);
  if (!status.ok()) return status;
  status = target()->LinkFile(s, t, options, dbg);
  std::string name;
  const int parent = Parent(t, &name);
  const int node = Find(s);
  if (status.ok() && parent >= 0 && node >= 0) {
    nodes_[parent].entries[name] = node;
  }
  return status;
}

// --- After the cut -----------------------------------------------------------

absl::StatusOr<CutReport> PowerCutFs::Materialize(const std::string& dest,
                                                  TornTail tail) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!cut_) return absl::FailedPreconditionError("Materialize before Cut");
  std::error_code ec;
  if (stdfs::exists(dest, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(dest, " exists"));
  }
  stdfs::create_directories(dest, ec);
  if (ec) return absl::InternalError(absl::StrCat(dest, ": ", ec.message()));
  CutReport report;
  absl::Status s = WriteOut(root_node_, dest, tail, &report);
  if (!s.ok()) return s;
  return report;
}

absl::Status PowerCutFs::WriteOut(int dir, const std::string& dest,
                                  TornTail tail, CutReport* report) {
  const Node& d = nodes_[dir];
  for (const auto& [name, id] : d.entries) {
    if (absl::EndsWith(name, ".tmp") || absl::EndsWith(name, ".dbtmp")) {
      ++report->temporary_at_cut;
    }
    const auto durable = d.durable.find(name);
    if (durable == d.durable.end()) {
      if (nodes_[id].directory) {
        ++report->directories_lost;
      } else {
        ++report->creations_undone;
      }
    } else if (durable->second != id) {
      ++report->renames_undone;
    }
  }
  for (const auto& [name, id] : d.durable) {
    if (d.entries.count(name) == 0) ++report->deletions_undone;
    const Node& node = nodes_[id];
    const std::string out = absl::StrCat(dest, "/", name);
    if (node.directory) {
      std::error_code ec;
      stdfs::create_directory(out, ec);
      if (ec) return absl::InternalError(absl::StrCat(out, ": ", ec.message()));
      absl::Status s = WriteOut(id, out, tail, report);
      if (!s.ok()) return s;
      continue;
    }
    if (node.real.empty()) {
      return absl::InternalError(absl::StrCat(
          "model: the bytes of durable file ", out, " were not kept"));
    }
    std::ifstream in(node.real, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    bytes.resize(std::min<uint64_t>(bytes.size(), node.size));
    const size_t synced = std::min<uint64_t>(node.synced, bytes.size());
    const size_t unsynced = bytes.size() - synced;
    if (unsynced > 0) {
      TornTail how = tail;
      if (how == TornTail::kRandom) {
        const uint64_t r = rng_() % 10;
        how = r < 5 ? TornTail::kDrop : r < 8 ? TornTail::kPrefix
                                              : TornTail::kGarbage;
      }
      size_t kept = 0;
      if (how != TornTail::kDrop) kept = 1 + rng_() % unsynced;
      if (how == TornTail::kGarbage) {
        const size_t garbage = std::min<size_t>(512, kept);
        for (size_t i = synced + kept - garbage; i < synced + kept; ++i) {
          bytes[i] = static_cast<char>(rng_());
        }
      }
      bytes.resize(synced + kept);
      report->unsynced_bytes_lost += unsynced - kept;
      ++(how == TornTail::kDrop     ? report->tails_dropped
         : how == TornTail::kPrefix ? report->tails_prefix
                                    : report->tails_garbage);
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) return absl::InternalError(absl::StrCat("cannot write ", out));
    ++report->files;
    if (absl::EndsWith(name, ".tmp")) ++report->temporary_files;
  }
  return absl::OkStatus();
}

}  // namespace vecdb::testing
