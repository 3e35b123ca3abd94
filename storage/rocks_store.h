// RocksStore: the durable source of truth for every collection.
//
// One RocksDB database per data directory, with column families:
//   collections  collection name            -> CollectionRecord
//   counters     collection id (u32 BE)     -> CollectionCounters
//   points       cid (u32 BE) + point id    -> StoredPoint (label, vector,
//                                              metadata, document)
//   oplog        cid (u32 BE) + seq (u64 BE)-> the operations of one write
//   meta_index   cid + field + typed value + label -> (empty)
//                                              metadata index entries
//   text_index   cid + term + label -> term frequency; cid + label ->
//                                              document length (tokens)
//   default      "next_collection_id"       -> u32, and per collection a
//                                              marker that its index entries
//                                              are complete
// Secondary-index entries (common/index_entries.h) are written in the same
// WriteBatch as the point they belong to.
// docs/on_disk_format.md gives every byte of the keys and values.
//
// Every write request of a collection becomes exactly one rocksdb::WriteBatch
// (points, counters and the op-log entry together), so a crash never leaves
// half a batch.
//
// Thread safety: all methods are thread-safe. Callers serialise the writes
// of one collection themselves (collection/commit_queue.h) so that
// sequence numbers and labels are assigned in commit order.
//
// Example:
//   VECDB_ASSIGN_OR_RETURN(auto store, RocksStore::Open(dir, {}));
//   PointWriteBatch batch;
//   batch.PutPoint("doc-1", point);
//   batch.SetOps(seq, ops);
//   batch.SetCounters(counters);
//   VECDB_RETURN_IF_ERROR(store->Commit(cid, batch));
#ifndef VECDB_STORAGE_ROCKS_STORE_H_
#define VECDB_STORAGE_ROCKS_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/index_entries.h"
#include "common/ingest_profile.h"
#include "common/types.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace vecdb {

// What opening a store found in RocksDB's write-ahead log (the writes not
// yet in SST files). See docs/on_disk_format.md, "WAL recovery".
struct WalRecovery {
  // Records replayed from the WAL.
  uint64_t records = 0;
  // Empty when the WAL was intact (a torn last record, never acknowledged,
  // counts as intact). Otherwise RocksDB's error for the damaged record:
  // replay stopped before it, and every write after it is lost.
  std::string damage;
  // Per collection id with writes in the WAL: the last write (sequence
  // number) replayed, and the last one seen anywhere in the WAL, past the
  // damage too (seen > replayed: writes replayed+1..seen are lost).
  struct Writes {
    uint64_t replayed = 0;
    uint64_t seen = 0;
  };
  absl::flat_hash_map<uint32_t, Writes> collections;
};

struct StoreOptions {
  // Sync the WAL before a write returns (durable across power loss). When
  // false, a write survives a process crash but may be lost if the OS or
  // machine crashes. Default: true.
  bool sync_writes = true;
  // RocksDB block cache size in bytes. Default: 256 MiB.
  size_t block_cache_bytes = 256u << 20;
  // Create the directory and database if missing. Default: true.
  bool create_if_missing = true;
  // Every file access of the store (storage/file_system.h). Default: null,
  // the machine's file system.
  std::shared_ptr<rocksdb::FileSystem> file_system;
};

// The persistent description of a collection.
struct CollectionRecord {
  // Assigned by CreateCollection; never reused within a data directory.
  uint32_t id = 0;
  std::string name;
  uint32_t dimension = 0;
  Metric metric = Metric::kCosine;
  HnswParams hnsw;
  int64_t created_unix_ms = 0;
  // How the collection's points are made from documents; empty (no
  // embedder name) for a collection whose users bring their own vectors,
  // and for every record written before profiles existed.
  IngestProfile ingest;
};

// Per-collection counters, rewritten in every write batch.
struct CollectionCounters {
  // Sequence number of the last committed write (0 = none).
  uint64_t last_seq = 0;
  // Next graph label to hand out; labels are never reused.
  uint64_t next_label = 1;
  // Live points.
  uint64_t live_count = 0;
};

// A point as stored: the caller's id is the key, so it is not repeated here.
struct StoredPoint {
  // The graph label currently assigned to this point.
  uint64_t label = 0;
  std::vector<float> vector;
  Metadata metadata;
  std::optional<std::string> document;
};

// Which fields of a StoredPoint to decode. The label is always decoded.
struct PointFields {
  bool vector = true;
  bool metadata = true;
  bool document = true;
};

enum class OpKind : uint8_t { kUpsert = 1, kDelete = 2, kMetadata = 3 };

// One point operation. kUpsert: the point `id` now has `label` (new, or the
// same label with a new vector). kDelete: `label` left the graph.
// kMetadata: the point's metadata or document changed, its label and
// vector did not (no graph change).
struct Op {
  OpKind kind = OpKind::kUpsert;
  uint64_t label = 0;
  std::string id;
};

// The contents of one atomic write to one collection.
class PointWriteBatch {
 public:
  void PutPoint(std::string_view id, const StoredPoint& point);
  void DeletePoint(std::string_view id);
  // Records the graph operations of this write under sequence number `seq`.
  void SetOps(uint64_t seq, std::vector<Op> ops);
  void SetCounters(const CollectionCounters& counters);
  // Adds / removes every secondary-index entry of one point. Removals are
  // applied before additions, so a replaced point may remove its old
  // entries and add new ones (some identical) in one batch.
  void PutIndexEntries(const PointIndexEntries& entries);
  void DeleteIndexEntries(const PointIndexEntries& entries);

  struct Put {
    std::string id;
    std::string encoded;  // EncodePoint() of the value
  };
  const std::vector<Put>& puts() const { return puts_; }
  const std::vector<std::string>& deletes() const { return deletes_; }
  uint64_t seq() const { return seq_; }
  const std::vector<Op>& ops() const { return ops_; }
  const std::optional<CollectionCounters>& counters() const {
    return counters_;
  }
  const std::vector<PointIndexEntries>& index_puts() const {
    return index_puts_;
  }
  const std::vector<PointIndexEntries>& index_deletes() const {
    return index_deletes_;
  }

 private:
  std::vector<Put> puts_;
  std::vector<std::string> deletes_;
  uint64_t seq_ = 0;
  std::vector<Op> ops_;
  std::optional<CollectionCounters> counters_;
  std::vector<PointIndexEntries> index_puts_;
  std::vector<PointIndexEntries> index_deletes_;
};

// Receives the secondary-index entries of a collection as they are loaded.
// Each visitor may be empty (entries of that kind are then skipped).
struct IndexEntryVisitor {
  std::function<void(MetadataEntry&& entry)> metadata;
  std::function<void(TermEntry&& entry)> term;
  std::function<void(uint64_t label, uint32_t length)> document_length;
};

class RocksStore {
 public:
  // Opens (or creates) the database under `dir`. Returns DataLoss if the
  // database is corrupt, FailedPrecondition if it is locked by another
  // process.
  static absl::StatusOr<std::unique_ptr<RocksStore>> Open(
      const std::string& dir, const StoreOptions& options);
  virtual ~RocksStore() = default;

  // The file system the store's files live on (StoreOptions::file_system),
  // for the other files of the data directory.
  virtual rocksdb::FileSystem& file_system() const = 0;

  // --- Collections ---------------------------------------------------------

  virtual absl::StatusOr<std::vector<CollectionRecord>> ListCollections() = 0;
  // Assigns `record.id`, writes the record and zero counters atomically.
  // Returns AlreadyExists if the name is taken.
  virtual absl::StatusOr<CollectionRecord> CreateCollection(
      CollectionRecord record) = 0;
  // Deletes the record, counters, points and op log of the collection in one
  // batch, then compacts the freed key ranges. NotFound if unknown.
  virtual absl::Status DropCollection(const CollectionRecord& record) = 0;
  virtual absl::StatusOr<CollectionCounters> ReadCounters(uint32_t cid) = 0;

  // --- Points --------------------------------------------------------------

  // Commits `batch` as one WriteBatch, synced per StoreOptions.
  absl::Status Commit(uint32_t cid, const PointWriteBatch& batch) {
    const PointWriteBatch* one = &batch;
    return CommitAll(cid, absl::MakeConstSpan(&one, 1));
  }
  // Commits `batches`, in order, as one WriteBatch with one sync: all of
  // them or none survive a crash. Each applies as if committed alone after
  // the ones before it.
  virtual absl::Status CommitAll(
      uint32_t cid, absl::Span<const PointWriteBatch* const> batches) = 0;
  // Reads the points named by `ids`, in order; nullopt for a missing id.
  virtual absl::StatusOr<std::vector<std::optional<StoredPoint>>> MultiGet(
      uint32_t cid, absl::Span<const std::string> ids,
      const PointFields& fields) = 0;

  // Calls `fn` for up to `limit` points with ids strictly greater than
  // `start_after` (all ids when empty), in bytewise id order. `fn` returns
  // false to stop early.
  using PointVisitor =
      std::function<bool(std::string_view id, StoredPoint&& point)>;
  virtual absl::Status Scan(uint32_t cid, std::string_view start_after,
                            size_t limit, const PointFields& fields,
                            const PointVisitor& fn) = 0;

  // --- Secondary-index entries -------------------------------------------

  // Calls the visitors for every metadata entry, term entry and document
  // length stored for the collection. DataLoss for a malformed key/value.
  virtual absl::Status LoadIndexEntries(uint32_t cid,
                                        const IndexEntryVisitor& visitor) = 0;
  // Whether the collection's index entries are complete: true for a
  // collection created with them (CreateCollection writes the marker),
  // false for one from a data directory that predates them, which recovery
  // backfills and then marks.
  virtual absl::StatusOr<bool> IndexEntriesComplete(uint32_t cid) = 0;
  virtual absl::Status MarkIndexEntriesComplete(uint32_t cid) = 0;

  // --- Op log --------------------------------------------------------------

  // Calls `fn` for every op-log entry of the collection with a sequence
  // number greater than `after_seq`, in sequence order.
  using OpVisitor =
      std::function<absl::Status(uint64_t seq, std::vector<Op>&& ops)>;
  virtual absl::Status ForEachOp(uint32_t cid, uint64_t after_seq,
                                 const OpVisitor& fn) = 0;
  // Deletes op-log entries with sequence numbers <= `upto_seq`.
  virtual absl::Status TrimOps(uint32_t cid, uint64_t upto_seq) = 0;

  // Flushes memtables and the WAL (used at clean shutdown).
  virtual absl::Status Flush() = 0;
  // Makes every committed write durable (syncs the WAL): what a checkpoint
  // covers must not be lost to a power cut under sync_writes = false.
  virtual absl::Status SyncWal() = 0;

  // What the open found in the WAL.
  virtual const WalRecovery& wal_recovery() const = 0;
};

}  // namespace vecdb

#endif  // VECDB_STORAGE_ROCKS_STORE_H_
