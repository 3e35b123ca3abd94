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
#include "absl/synchronization/mutex.h"
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

class Collection {
 public:
  // Use Engine; these are called by it.
  Collection(CollectionRecord record, RocksStore* store,
             std::unique_ptr<VectorIndex> index, CollectionCounters counters,
             absl::flat_hash_map<uint64_t, std::string> ids,
             uint64_t checkpoint_seq);

  const CollectionRecord& record() const { return record_; }
  const std::string& name() const { return record_.name; }
  CollectionInfo Info() const;

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

  // Writes the graph checkpoint if operations happened since the last one.
  absl::Status Checkpoint(const std::string& path);
  // Operations applied since the last checkpoint.
  uint64_t OpsSinceCheckpoint() const;

  // Marks the collection dropped: later calls return NotFound.
  void MarkDropped();

 private:
  absl::Status CheckLive() const;
  absl::Status ValidatePoints(const std::vector<Point>& points) const;
  absl::Status ValidateQueryVector(absl::Span<const float> v,
                                   std::string_view field) const;
  // Converts RocksDB point ids to index labels for query results. REQUIRES:
  // index_mu_ held (shared).
  std::vector<Hit> ToHits(const std::vector<SearchHit>& hits) const
      ABSL_SHARED_LOCKS_REQUIRED(index_mu_);
  absl::Status FillPoints(std::vector<Hit>& hits, const Include& include);

  const CollectionRecord record_;
  RocksStore* const store_;  // not owned; outlives the collection
  std::atomic<bool> dropped_{false};

  // Serialises writers, so sequence numbers and labels follow commit order.
  absl::Mutex write_mu_;
  CollectionCounters counters_ ABSL_GUARDED_BY(write_mu_);

  // Guards the graph and the label -> id map. Shared for searches,
  // exclusive while a committed write is applied to the graph.
  mutable absl::Mutex index_mu_;
  std::unique_ptr<VectorIndex> index_ ABSL_GUARDED_BY(index_mu_);
  absl::flat_hash_map<uint64_t, std::string> ids_ ABSL_GUARDED_BY(index_mu_);
  // Sequence number of the last write applied to the graph.
  uint64_t applied_seq_ ABSL_GUARDED_BY(index_mu_) = 0;

  std::atomic<uint64_t> live_count_{0};
  std::atomic<uint64_t> last_seq_{0};
  std::atomic<uint64_t> checkpoint_seq_{0};
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_COLLECTION_H_
