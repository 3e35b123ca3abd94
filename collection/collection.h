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
#include "absl/types/span.h"
#include "common/filter.h"
#include "common/mutex.h"
#include "common/query_explain.h"
#include "common/types.h"
#include "index/vector_index.h"
#include "secondary/label_set.h"
#include "secondary/metadata_index.h"
#include "secondary/text_index.h"
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

// How a hybrid query fuses its two rankings (collection/fusion.h).
enum class Fusion : uint8_t {
  // Reciprocal rank fusion: a point's score is
  // vector_weight / (rrf_k + vector_rank) + text_weight / (rrf_k + text_rank),
  // each term only when the point is in that ranking (ranks from 1).
  kRrf = 1,
  // Relative score fusion: vector_weight * (min-max normalised similarity)
  // + text_weight * (min-max normalised BM25 score).
  kRelativeScore = 2,
};

struct HybridOptions {
  Fusion fusion = Fusion::kRrf;
  // RRF only. (0, 1e6].
  float rrf_k = 60;
  // >= 0, not both 0.
  float vector_weight = 1;
  float text_weight = 1;
  // Candidates each ranking contributes; 0 = max(k, 100); at most
  // kMaxHybridCandidates; raised to k when lower.
  uint32_t candidates = 0;
};
inline constexpr uint32_t kMaxHybridCandidates = 10000;
inline constexpr size_t kMaxTextQueryBytes = 4096;

struct QueryOptions {
  // 1..kMaxK.
  uint32_t k = 10;
  // 0 = the collection's ef_search; else 1..kMaxEf (raised to k if lower).
  uint32_t ef = 0;
  Include include;
  // Only matching points are returned (exactly min(k, matching) for a
  // vector query).
  std::optional<Filter> filter;
  HybridOptions hybrid;
  Bm25Params bm25;
  // Fill QueryResult::explain.
  bool explain = false;
};

struct Hit {
  Point point;  // id always set; other fields per Include
  // Vector distance (vector queries; hybrid when vector_rank > 0).
  float distance = 0;
  // BM25 score (text queries) or fused RRF score (hybrid).
  float score = 0;
  // Hybrid: 1-based rank in each ranking, 0 when absent; BM25 score when
  // text_rank > 0.
  uint32_t vector_rank = 0;
  uint32_t text_rank = 0;
  float text_score = 0;
};

struct QueryResult {
  std::vector<Hit> hits;
  std::optional<QueryExplain> explain;  // when QueryOptions::explain
};

// The in-memory secondary indexes of a collection (loaded by recovery).
struct SecondaryIndexes {
  MetadataIndex metadata;
  TextIndex text;
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
             SecondaryIndexes secondary, CollectionCounters counters,
             uint64_t checkpoint_seq);

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
  // With `filter`: deletes the points that match it, among `ids` when
  // `ids` is not empty (else among all points), in one atomic write.
  // Matching nothing is not an error (affected = 0). InvalidArgument for a
  // bad filter (ValidateFilter) or id.
  absl::StatusOr<WriteResult> Delete(absl::Span<const std::string> ids,
                                     const Filter* filter);
  // Points in request order; nullopt for an unknown id, or (with a filter)
  // one that does not match. When `exists` is not null it receives, per
  // id, whether the point exists (matching or not).
  absl::StatusOr<std::vector<std::optional<Point>>> Get(
      absl::Span<const std::string> ids, const Include& include,
      const Filter* filter = nullptr, std::vector<bool>* exists = nullptr);
  uint64_t Count() const;
  // The exact number of points matching `filter`.
  absl::StatusOr<uint64_t> Count(const Filter& filter);
  // Up to `limit` points with ids after `cursor`, in id order; only those
  // matching `filter` when it is not null.
  absl::StatusOr<ScrollPage> Scroll(std::string_view cursor, size_t limit,
                                    const Include& include,
                                    const Filter* filter = nullptr);
  // Vector queries: one result list per query vector, closest first,
  // min(k, matching points) hits each. InvalidArgument for a bad
  // dimension, NaN/Inf, zero vector under cosine, k or ef out of range, a
  // bad filter.
  absl::StatusOr<std::vector<std::vector<Hit>>> Query(
      absl::Span<const std::vector<float>> queries,
      const QueryOptions& options);
  // Vector, text or hybrid queries: vector queries when `texts` is empty,
  // BM25 text queries when `vectors` is empty, hybrid (RRF) when both are
  // given (equal lengths, paired by position). Hits: vector queries
  // closest first; text and hybrid highest score first.
  absl::StatusOr<std::vector<QueryResult>> Search(
      absl::Span<const std::vector<float>> vectors,
      absl::Span<const std::string> texts, const QueryOptions& options);

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
  absl::Status ValidateQuery(absl::Span<const std::vector<float>> vectors,
                             absl::Span<const std::string> texts,
                             const QueryOptions& options) const;
  // One query (vector, text or hybrid; `vector`/`text` null when absent),
  // ids and scores only. `matches` is the evaluated filter (null = none),
  // `estimate` its estimated size.
  absl::StatusOr<QueryResult> SearchOne(const std::vector<float>* vector,
                                        const std::string* text,
                                        const QueryOptions& options,
                                        const LabelSet* matches,
                                        uint64_t estimate) const
      ABSL_SHARED_LOCKS_REQUIRED(index_mu_);
  // The nearest `k` matching points by the cheapest path.
  absl::StatusOr<std::vector<Hit>> VectorSearch(
      absl::Span<const float> query, size_t k, size_t ef,
      const LabelSet* matches, uint64_t estimate, QueryExplain* explain) const
      ABSL_SHARED_LOCKS_REQUIRED(index_mu_);
  std::vector<Hit> TextSearch(absl::Span<const std::string> tokens, size_t k,
                              const Bm25Params& params,
                              const LabelSet* matches,
                              QueryExplain* explain) const
      ABSL_SHARED_LOCKS_REQUIRED(index_mu_);
  // The labels matching `filter`, evaluated on the in-memory indexes.
  absl::StatusOr<LabelSet> Evaluate(const Filter& filter) const
      ABSL_SHARED_LOCKS_REQUIRED(index_mu_);
  // The id of a live label ("" if unknown).
  const std::string* IdOf(uint64_t label) const
      ABSL_SHARED_LOCKS_REQUIRED(index_mu_);
  // Deletes the ids that exist, in one write. REQUIRES: write_mu_ held.
  absl::StatusOr<WriteResult> DeleteLocked(absl::Span<const std::string> ids)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // A committed write, as the in-memory structures learn it.
  struct AppliedWrite {
    uint64_t seq = 0;
    std::vector<uint64_t> add_labels;
    std::vector<float> add_vectors;
    std::vector<std::pair<uint64_t, std::string>> new_ids;
    std::vector<uint64_t> removed_labels;
    // Secondary-index entries removed (old versions) and added.
    std::vector<PointIndexEntries> old_entries;
    std::vector<PointIndexEntries> new_entries;
  };
  // Applies a committed write to the graph, the label map and the
  // secondary indexes.
  void ApplyToIndex(AppliedWrite write) ABSL_LOCKS_EXCLUDED(index_mu_);
  // Reads the fields `include` asks for from RocksDB into the hits; hits
  // whose point was deleted meanwhile are dropped.
  absl::Status FillPoints(std::vector<QueryResult>& results,
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
  SecondaryIndexes secondary_ ABSL_GUARDED_BY(index_mu_);
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
