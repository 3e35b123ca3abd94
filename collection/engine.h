// Engine: the embedded vecdb database — every collection of one data
// directory, opened in-process. vecdb-server serves an Engine over gRPC;
// an application may open one directly, like SQLite.
//
// Layout of a data directory:
//   <dir>/db/                 RocksDB (the source of truth)
//   <dir>/indexes/<cid>.ckpt  graph checkpoint of collection <cid>
//   <dir>/indexes/<cid>.sec   its secondary-index checkpoint
//
// Example:
//   VECDB_ASSIGN_OR_RETURN(auto engine, Engine::Open("./data", {}));
//   VECDB_ASSIGN_OR_RETURN(auto coll, engine->CreateCollection(
//       {.name = "docs", .dimension = 384, .metric = Metric::kCosine}));
//   VECDB_RETURN_IF_ERROR(coll->Upsert(points).status());
//   VECDB_ASSIGN_OR_RETURN(auto hits, coll->Query(q, {.k = 10}));
//
// Thread safety: all methods are thread-safe. A Collection pointer stays
// valid while the caller holds the shared_ptr, even across DropCollection
// (further calls on a dropped collection return NotFound).
#ifndef VECDB_COLLECTION_ENGINE_H_
#define VECDB_COLLECTION_ENGINE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collection/collection.h"
#include "common/ingest_profile.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace vecdb {

struct EngineOptions {
  // Sync the WAL before acknowledging a write. Default: true.
  // See README "Durability" for the contract of each mode.
  bool sync_writes = true;
  // Write a graph checkpoint after this many operations since the last one
  // (0 = only at Close()). Default: 100000.
  uint64_t checkpoint_every_ops = 100000;
  // Also checkpoint a collection with unsaved operations this long after its
  // last checkpoint. Default: 5 minutes.
  std::chrono::seconds checkpoint_interval{300};
  // Checkpoint collections with unsaved operations in Close(). When false,
  // the next open replays the op log instead (a faster close, a slower
  // open). Default: true.
  bool checkpoint_on_close = true;
  // Threads used to insert one write batch into a graph (0 = all cores).
  size_t insert_threads = 0;
  // Niceness of the threads linking writes into graphs and compacting them
  // (IndexOptions::link_nice), 0..19: higher favours queries over writes.
  // Default: 5.
  int link_nice = 5;
  // RocksDB block cache. Default: 256 MiB.
  size_t block_cache_bytes = 256u << 20;
  // Compact a collection's graph (build it anew without removed slots, in
  // the background) once replaced or deleted vectors occupy this fraction
  // of its slots. Default: 0.2.
  double compact_fraction = 0.2;
  // Every file access of the engine: RocksDB, the checkpoints and their
  // directories (storage/file_system.h). Tests pass one that fails or
  // simulates power cuts. Default: null, the machine's file system.
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // Fault injection for tests: called before every graph insert of every
  // collection; a non-OK status makes that insert fail (IndexOptions::
  // stage_fault). Default: none.
  std::function<absl::Status()> index_stage_fault;
};

struct CreateCollectionOptions {
  std::string name;
  uint32_t dimension = 0;
  Metric metric = Metric::kCosine;
  HnswParams hnsw;
  // How the points will be made from documents (recorded with the
  // collection, returned by Info(), used by Retrieve). Default: empty, a
  // collection whose users bring their own vectors.
  IngestProfile ingest;
};

class Engine {
 public:
  // Opens or creates the data directory. Every collection is recovered
  // before this returns: checkpoint loaded and op-log tail replayed, or
  // the graph rebuilt from RocksDB when the checkpoint is missing or bad
  // (logged to stderr).
  static absl::StatusOr<std::unique_ptr<Engine>> Open(
      const std::string& dir, const EngineOptions& options);

  // Checkpoints every collection whose graph has unsaved operations, then
  // closes. Safe to skip (a crash is the same as no Close()).
  virtual ~Engine() = default;
  virtual absl::Status Close() = 0;

  // InvalidArgument for a bad name/dimension/metric/parameter or ingest
  // profile (the message names the field, e.g. "ingest.embedder.dimension:
  // ..."); AlreadyExists if the name is taken.
  virtual absl::StatusOr<std::shared_ptr<Collection>> CreateCollection(
      const CreateCollectionOptions& options) = 0;
  // NotFound if no collection has that name.
  virtual absl::StatusOr<std::shared_ptr<Collection>> GetCollection(
      std::string_view name) = 0;
  // Sorted by name.
  virtual std::vector<std::shared_ptr<Collection>> ListCollections() = 0;
  // Removes the collection's records and its checkpoint file. NotFound if
  // unknown.
  virtual absl::Status DropCollection(std::string_view name) = 0;

  // Checkpoints every collection now (used by tests and graceful shutdown).
  virtual absl::Status CheckpointAll() = 0;
  // Runs every collection's due background work now, as the maintenance
  // thread does once a second (used by tests and benchmarks).
  virtual absl::Status MaintainAll() = 0;
};


}  // namespace vecdb

#endif  // VECDB_COLLECTION_ENGINE_H_
