// Collection: one named set of points with a fixed dimension and metric.
//
// Writes go to RocksDB first (one WriteBatch per call, durable before the
// call returns), then to the in-memory HNSW graph. Reads of points come from
// RocksDB; searches from the graph.
//
// Thread safety: all methods are thread-safe. Writes to one collection are
// serialised; queries run concurrently with each other and with the durable
// part of a write, and wait only while a write changes the graph.
#ifndef VECDB_COLLECTION_COLLECTION_H_
#define VECDB_COLLECTION_COLLECTION_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/mutex.h"
#include "absl/types/span.h"
#include "common/types.h"
#include "index/vector_index.h"
#include "storage/rocks_store.h"

namespace vecdb {

struct CollectionInfo {
  CollectionRecord record;
  uint64_t count = 0;
  uint64_t last_seq = 0;
  uint64_t checkpoint_seq = 0;
  uint64_t index_slots = 0;
  uint64_t index_deleted_slots = 0;
  uint64_t index_memory_bytes = 0;
};

struct WriteResult {
  // Points upserted, or ids that existed and were deleted.
  uint64_t affected = 0;
  // Sequence number of this write (unchanged when nothing was written).
  uint64_t seq = 0;
};

struct QueryOptions {
  // 1..kMaxK.
  uint32_t k = 10;
  // 0 = the collection's ef_search; else 1..kMaxEf (raised to k if lower).
  uint32_t ef = 0;
  Include include;
};

struct Hit {
  Point point;  // id always set; other fields per Include
  float distance = 0;
};

struct ScrollPage {
  std::vector<Point> points;
  // Empty when no points follow.
  std::string next_cursor;
};

// Where a collection's graph came from when it was opened.
enum class RecoveryKind { kCreated, kCheckpoint, kRebuilt };

struct RecoveryInfo {
  RecoveryKind kind = RecoveryKind::kCreated;
  // Op-log entries replayed on top of the checkpoint (kCheckpoint).
  uint64_t replayed_writes = 0;
  // Why the graph was rebuilt (kRebuilt).
  std::string rebuild_reason;
};

class Collection {
 public:
  // Use Engine; these are called by it.
  // `index` and `ids` hold every write up to `applied_seq`, which equals
  // counters.last_seq once recovery is done.
  Collection(CollectionRecord record, RocksStore* store,
             std::string checkpoint_path, std::unique_ptr<VectorIndex> index,
             absl::flat_hash_map<uint64_t, std::string> ids,
             CollectionCounters counters, uint64_t checkpoint_seq);

  const CollectionRecord& record() const { return record_; }
  const std::string& name() const { return record_.name; }
  CollectionInfo Info() const;
  // How the graph was recovered when the collection was opened.
  const RecoveryInfo& recovery() const { return recovery_; }
  // Called once by recovery, before the collection is shared.
  void set_recovery(RecoveryInfo info) { recovery_ = std::move(info); }

  // Inserts or replaces the points, atomically. InvalidArgument naming the
  // field (e.g. "points[2].vector[7]: NaN") for a bad id, dimension,
  // NaN/Inf component, zero vector under cosine, bad metadata key, or a
  // duplicate id; nothing is written then.
  absl::StatusOr<WriteResult> Upsert(std::vector<Point> points);
  // Deletes the ids that exist; unknown ids are not an error.
  absl::StatusOr<WriteResult> Delete(absl::Span<const std::string> ids);
  // Points in request order; nullopt for an unknown id.
  absl::StatusOr<std::vector<std::optional<Point>>> Get(
      absl::Span<const std::string> ids, const Include& include);
  uint64_t Count() const;
  // Up to `limit` points with ids after `cursor`, in id order.
  absl::StatusOr<ScrollPage> Scroll(std::string_view cursor, size_t limit,
                                    const Include& include);
  // One result list per query vector, closest first, min(k, Count()) hits
  // each. InvalidArgument for a bad dimension, NaN/Inf, zero vector under
  // cosine, k or ef out of range.
  absl::StatusOr<std::vector<std::vector<Hit>>> Query(
      absl::Span<const std::vector<float>> queries,
      const QueryOptions& options);

  // Writes the graph checkpoint if writes happened since the last one, then
  // trims the op log up to it. Concurrent searches go on; writes wait while
  // the graph is written out.
  absl::Status Checkpoint();
  // Point operations (upserts and deletes) since the last checkpoint.
  uint64_t OpsSinceCheckpoint() const;
  // Seconds since the last checkpoint (or since the collection was opened).
  double SecondsSinceCheckpoint() const;

  // Marks the collection dropped, after any write in progress: later calls
  // return NotFound.
  void MarkDropped();

 private:
  absl::Status CheckLive() const;
  absl::Status ValidateQuery(absl::Span<const std::vector<float>> queries,
                             const QueryOptions& options) const;
  // The k nearest points to `query`, ids and distances only.
  absl::StatusOr<std::vector<Hit>> Search(absl::Span<const float> query,
                                          size_t k, size_t ef) const
      ABSL_LOCKS_EXCLUDED(index_mu_);
  // Applies a committed write to the graph and the label map.
  void ApplyToIndex(uint64_t seq, absl::Span<const uint64_t> add_labels,
                    absl::Span<const float> add_vectors,
                    std::vector<std::pair<uint64_t, std::string>> new_ids,
                    absl::Span<const uint64_t> removed_labels)
      ABSL_LOCKS_EXCLUDED(index_mu_);
  // Reads the fields `include` asks for from RocksDB into the hits; hits
  // whose point was deleted meanwhile are dropped.
  absl::Status FillPoints(std::vector<std::vector<Hit>>& results,
                          const Include& include);

  const CollectionRecord record_;
  RocksStore* const store_;  // not owned; outlives the collection
  const std::string checkpoint_path_;
  // Serialises checkpoints of this collection.
  Mutex checkpoint_mu_;
  std::atomic<bool> dropped_{false};
  RecoveryInfo recovery_;

  // Serialises writers, so sequence numbers and labels follow commit order.
  Mutex write_mu_;
  CollectionCounters counters_ ABSL_GUARDED_BY(write_mu_);

  // Guards the graph and the label -> id map. Shared for searches,
  // exclusive while a committed write is applied to the graph.
  mutable Mutex index_mu_;
  std::unique_ptr<VectorIndex> index_ ABSL_GUARDED_BY(index_mu_);
  absl::flat_hash_map<uint64_t, std::string> ids_ ABSL_GUARDED_BY(index_mu_);
  // Sequence number of the last write applied to the graph.
  uint64_t applied_seq_ ABSL_GUARDED_BY(index_mu_) = 0;

  std::atomic<uint64_t> live_count_{0};
  std::atomic<uint64_t> last_seq_{0};
  std::atomic<uint64_t> checkpoint_seq_{0};
  std::atomic<uint64_t> ops_since_checkpoint_{0};
  std::atomic<int64_t> last_checkpoint_ns_{0};
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_COLLECTION_H_
