#include "collection/engine.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/mutex.h"
#include "collection/recovery.h"
#include "collection/secondary_checkpoint.h"
#include "collection/validation.h"
#include "common/status_macros.h"
#include "storage/file_system.h"

namespace vecdb {
namespace {


int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class EngineImpl final : public Engine {
 public:
  EngineImpl(std::string dir, EngineOptions options,
             std::unique_ptr<RocksStore> store)
      : dir_(std::move(dir)),
        options_(options),
        store_(std::move(store)) {}

  ~EngineImpl() override {
    if (absl::Status s = Close(); !s.ok()) {
      fprintf(stderr, "vecdb: close: %s\n", s.ToString().c_str());
    }
  }

  absl::Status Recover() {
    VECDB_ASSIGN_OR_RETURN(auto records, store_->ListCollections());
    MutexLock lock(&mu_);
    for (const CollectionRecord& record : records) {
      VECDB_ASSIGN_OR_RETURN(
          auto collection,
          RecoverCollection(record, store_.get(), CheckpointPath(record.id),
                            IndexOptionsFor(record, GraphOptions())));
      collections_.emplace(record.name, std::move(collection));
    }
    return absl::OkStatus();
  }

  // The graph options every collection shares.
  IndexOptions GraphOptions() const {
    IndexOptions graph;
    graph.insert_threads = options_.insert_threads;
    graph.link_nice = options_.link_nice;
    graph.stage_fault = options_.index_stage_fault;
    return graph;
  }

  void StartCheckpointer() {
    checkpointer_ = std::thread([this] { CheckpointLoop(); });
  }

  absl::Status Close() override {
    {
      MutexLock lock(&mu_);
      if (closed_) return absl::OkStatus();
      closed_ = true;
    }
    {
      std::lock_guard<std::mutex> lock(stop_mu_);
      stopping_ = true;
    }
    stop_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    absl::Status status;
    if (options_.checkpoint_on_close) status = CheckpointAll();
    if (absl::Status s = store_->Flush(); !s.ok() && status.ok()) status = s;
    return status;
  }

  absl::StatusOr<std::shared_ptr<Collection>> CreateCollection(
      const CreateCollectionOptions& options) override {
    VECDB_RETURN_IF_ERROR(ValidateCollectionName(options.name));
    VECDB_RETURN_IF_ERROR(
        ValidateCollectionShape(options.dimension, options.hnsw));
    VECDB_RETURN_IF_ERROR(
        ValidateIngestProfile(options.ingest, options.dimension));
    CollectionRecord record;
    record.name = options.name;
    record.dimension = options.dimension;
    record.metric = options.metric;
    record.hnsw = options.hnsw;
    record.created_unix_ms = UnixMillis();
    record.ingest = options.ingest;
    MutexLock lock(&mu_);
    if (collections_.contains(options.name)) {
      return AlreadyExists(options.name);
    }
    VECDB_ASSIGN_OR_RETURN(record, store_->CreateCollection(record));
    // A stale checkpoint cannot match: ids are never reused. Remove any
    // leftover file anyway so the directory holds only live collections.
    RemoveCheckpoints(record.id);
    VECDB_ASSIGN_OR_RETURN(
        auto created,
        RecoverCollection(record, store_.get(), CheckpointPath(record.id),
                          IndexOptionsFor(record, GraphOptions())));
    collections_.emplace(record.name, created);
    return created;
  }

  absl::StatusOr<std::shared_ptr<Collection>> GetCollection(
      std::string_view name) override {
    MutexLock lock(&mu_);
    auto it = collections_.find(name);
    if (it == collections_.end()) return NotFound(name);
    return it->second;
  }

  std::vector<std::shared_ptr<Collection>> ListCollections() override {
    MutexLock lock(&mu_);
    std::vector<std::shared_ptr<Collection>> out;
    out.reserve(collections_.size());
    for (const auto& [name, collection] : collections_) {
      out.push_back(collection);
    }
    return out;
  }

  absl::Status DropCollection(std::string_view name) override {
    std::shared_ptr<Collection> collection;
    {
      MutexLock lock(&mu_);
      auto it = collections_.find(name);
      if (it == collections_.end()) return NotFound(name);
      collection = it->second;
      // Waits for a write in progress; later calls see NotFound.
      collection->MarkDropped();
      VECDB_RETURN_IF_ERROR(store_->DropCollection(collection->record()));
      collections_.erase(it);
    }
    RemoveCheckpoints(collection->record().id);
    return absl::OkStatus();
  }

  absl::Status CheckpointAll() override {
    absl::Status status;
    for (const auto& collection : ListCollections()) {
      absl::Status s = collection->Checkpoint();
      if (!s.ok() && !absl::IsNotFound(s)) {
        fprintf(stderr, "vecdb: checkpoint of %s failed: %s\n",
                collection->name().c_str(), s.ToString().c_str());
        if (status.ok()) status = s;
      }
    }
    return status;
  }

  absl::Status MaintainAll() override {
    for (const auto& collection : ListCollections()) {
      absl::StatusOr<bool> done =
          collection->Maintain(options_.compact_fraction);
      if (!done.ok() && !absl::IsNotFound(done.status())) {
        return done.status();
      }
    }
    return absl::OkStatus();
  }

 private:
  // The graph and secondary-index checkpoints of `cid` and their
  // temporary files; absent files are fine.
  void RemoveCheckpoints(uint32_t cid) const {
    const std::string graph = CheckpointPath(cid);
    const std::string secondary = SecondaryCheckpointPath(graph);
    rocksdb::FileSystem& fs = store_->file_system();
    for (const std::string& path : {graph, secondary}) {
      for (const std::string& file : {path, path + ".tmp"}) {
        if (absl::Status s = RemoveFileIfExists(fs, file); !s.ok()) {
          fprintf(stderr, "vecdb: %s\n", s.ToString().c_str());
        }
      }
    }
  }

  std::string CheckpointPath(uint32_t cid) const {
    return absl::StrCat(dir_, "/indexes/", cid, ".ckpt");
  }

  static absl::Status NotFound(std::string_view name) {
    return absl::NotFoundError(
        absl::StrCat("collection \"", std::string(name), "\" not found"));
  }
  static absl::Status AlreadyExists(std::string_view name) {
    return absl::AlreadyExistsError(absl::StrCat(
        "collection \"", std::string(name), "\" already exists"));
  }

  bool Closing() {
    MutexLock lock(&mu_);
    return closed_;
  }

  // Once a second: background maintenance of every collection (graph
  // rebuild, compaction, reachability walk; Collection::Maintain), and a
  // checkpoint of collections with enough unsaved operations, or unsaved
  // operations older than the interval.
  void CheckpointLoop() {
    while (true) {
      {
        std::unique_lock<std::mutex> lock(stop_mu_);
        stop_cv_.wait_for(lock, std::chrono::seconds(1),
                          [this] { return stopping_; });
        if (stopping_) return;
      }
      for (const auto& collection : ListCollections()) {
        const uint64_t ops = collection->OpsSinceCheckpoint();
        const bool due =
            ops > 0 &&
            ((options_.checkpoint_every_ops > 0 &&
              ops >= options_.checkpoint_every_ops) ||
             collection->SecondsSinceCheckpoint() >=
                 static_cast<double>(options_.checkpoint_interval.count()));
        if (Closing()) return;
        absl::StatusOr<bool> maintained =
            collection->Maintain(options_.compact_fraction);
        if (!maintained.ok() && !absl::IsNotFound(maintained.status())) {
          fprintf(stderr, "vecdb: maintenance of %s failed: %s\n",
                  collection->name().c_str(),
                  maintained.status().ToString().c_str());
        }
        if (!due) continue;
        if (absl::Status s = collection->Checkpoint();
            !s.ok() && !absl::IsNotFound(s) &&
            !absl::IsFailedPrecondition(s)) {
          fprintf(stderr, "vecdb: checkpoint of %s failed: %s\n",
                  collection->name().c_str(), s.ToString().c_str());
        }
      }
    }
  }

  const std::string dir_;
  const EngineOptions options_;
  std::unique_ptr<RocksStore> store_;
  Mutex mu_;
  std::map<std::string, std::shared_ptr<Collection>, std::less<>> collections_
      ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  // Wakes the checkpointer thread at Close().
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by stop_mu_
  std::thread checkpointer_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(
    const std::string& dir, const EngineOptions& options) {
  if (!(options.compact_fraction > 0 && options.compact_fraction <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("compact_fraction: must be in (0, 1], got ",
                     options.compact_fraction));
  }
  if (options.link_nice < 0 || options.link_nice > 19) {
    return absl::InvalidArgumentError(absl::StrCat(
        "link_nice: must be in 0..19, got ", options.link_nice));
  }
  std::shared_ptr<rocksdb::FileSystem> fs =
      options.file_system != nullptr ? options.file_system : DefaultFileSystem();
  // The data directory, db/ and indexes/ survive a power cut from here on:
  // every entry of the path is synced into its parent.
  for (const std::string& sub : {dir + "/indexes", dir + "/db"}) {
    VECDB_RETURN_IF_ERROR(CreateDirectoryDurably(*fs, sub));
  }
  StoreOptions store_options;
  store_options.file_system = fs;
  store_options.sync_writes = options.sync_writes;
  store_options.block_cache_bytes = options.block_cache_bytes;
  VECDB_ASSIGN_OR_RETURN(auto store,
                         RocksStore::Open(dir + "/db", store_options));
  auto engine =
      std::make_unique<EngineImpl>(dir, options, std::move(store));
  VECDB_RETURN_IF_ERROR(engine->Recover());
  engine->StartCheckpointer();
  return engine;
}

}  // namespace vecdb
