// Collection: one named set of points with a fixed dimension and metric.
//
// A facade over three parts, one job each:
//   WritePath   (write_path.h)   upserts and deletes: commit to RocksDB,
//                                link into the graph, apply in order;
//   IndexState  (index_state.h)  the graph, label -> id map and secondary
//                                indexes, and the sequence they reflect;
//   queries     (query.cc)       vector/text/hybrid search and fetching
//                                fields; requests checked by
//                                query_validation.h, filtered paths chosen
//                                by query_plan.h, phrases confirmed by
//                                phrase_confirmations.h.
// Writes go to RocksDB first (one WriteBatch per call, durable before the
// call returns), then to the in-memory indexes. Reads of points come from
// RocksDB; searches from the in-memory indexes.
//
// Thread safety: all methods are thread-safe. Searches never wait for the
// graph work of a write (see IndexState); writers overlap everything but
// their commit.
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
#include "collection/collection_types.h"
#include "collection/index_state.h"
#include "collection/write_path.h"
#include "index/vector_index.h"
#include "secondary/label_set.h"
#include "storage/rocks_store.h"

namespace vecdb {

class Collection {
 public:
  // Use Engine; these are called by it.
  // `index`, `ids` and `secondary` hold every write up to
  // counters.last_seq. `checkpoint_seq` and `secondary_checkpoint_seq` are
  // the writes the checkpoint files on disk cover (kNoCheckpoint: none
  // usable).
  static constexpr uint64_t kNoCheckpoint = UINT64_MAX;
  Collection(CollectionRecord record, RocksStore* store,
             std::string checkpoint_path, IndexOptions index_options,
             std::unique_ptr<VectorIndex> index,
             absl::flat_hash_map<uint64_t, std::string> ids,
             SecondaryIndexes secondary, CollectionCounters counters,
             uint64_t checkpoint_seq, uint64_t secondary_checkpoint_seq);

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

  // Writes the graph and secondary-index checkpoints (each if it does not
  // cover the last applied write yet), then trims the op log up to them.
  // Concurrent searches go on; writes wait while the files are written.
  // FailedPrecondition (nothing written) while the graph is stale.
  absl::Status Checkpoint();
  // Background work, called by the engine's maintenance thread: rebuilds
  // a stale graph from RocksDB (writers paused), compacts the graph once
  // removed slots reach `compact_fraction` of its slots, or walks it for
  // unreachable slots. Returns whether anything was done.
  absl::StatusOr<bool> Maintain(double compact_fraction);
  // Point operations (upserts and deletes) since the last checkpoint.
  uint64_t OpsSinceCheckpoint() const;
  // Seconds since the last checkpoint (or since the collection was opened).
  double SecondsSinceCheckpoint() const;

  // Marks the collection dropped, after any write in progress: later calls
  // return NotFound.
  void MarkDropped();

 private:
  // What one search reads: the graph and the snapshot it is searched at.
  struct SearchContext {
    std::shared_ptr<VectorIndex> graph;
    uint64_t snapshot = 0;
  };
  absl::Status CheckLive() const;
  // Queries `first` .. `first + count - 1` of a Search() call.
  absl::StatusOr<std::vector<QueryResult>> RunQueries(
      absl::Span<const std::vector<float>> vectors,
      absl::Span<const std::string> texts, const QueryOptions& options,
      size_t first, size_t count);
  // One query (vector, text or hybrid; `vector`/`text` null when absent),
  // ids and scores only. `matches` is the evaluated filter (null = none),
  // `estimate` its estimated size.
  absl::StatusOr<QueryResult> SearchOne(const SearchContext& ctx,
                                        const std::vector<float>* vector,
                                        const std::string* text,
                                        const QueryOptions& options,
                                        const LabelSet* matches,
                                        uint64_t estimate) const;
  // The nearest `k` matching points by the cheapest path (ids filled in).
  absl::StatusOr<std::vector<Hit>> VectorSearch(
      const SearchContext& ctx, absl::Span<const float> query, size_t k,
      size_t ef, const LabelSet* matches, uint64_t estimate,
      QueryExplain* explain) const;
  std::vector<Hit> TextSearch(absl::Span<const std::string> tokens, size_t k,
                              const Bm25Params& params,
                              const LabelSet* matches,
                              QueryExplain* explain) const;
  // The labels matching `filter`, evaluated on the in-memory indexes;
  // phrases are confirmed against the documents in RocksDB.
  absl::StatusOr<LabelSet> Evaluate(const Filter& filter) const {
    return Evaluate(filter, nullptr, nullptr);
  }
  // Evaluate(), also giving the sequence number of the index state it was
  // evaluated at and the filter's estimated size there (either may be
  // null).
  absl::StatusOr<LabelSet> Evaluate(const Filter& filter, uint64_t* seq,
                                    uint64_t* estimate) const;
  // Reads the fields `include` asks for from RocksDB into the hits; hits
  // whose point was deleted meanwhile are dropped.
  absl::Status FillPoints(std::vector<QueryResult>& results,
                          const Include& include);
  // Rebuilds the graph from the point records (writers paused).
  absl::Status RebuildGraph();

  const CollectionRecord record_;
  RocksStore* const store_;  // not owned; outlives the collection
  const std::string checkpoint_path_;
  const std::string secondary_checkpoint_path_;
  const IndexOptions index_options_;
  // Serialises checkpoints and maintenance of this collection.
  Mutex checkpoint_mu_;
  std::atomic<bool> dropped_{false};
  RecoveryInfo recovery_;

  IndexState state_;
  WritePath writes_;

  std::atomic<uint64_t> checkpoint_seq_{0};
  std::atomic<uint64_t> secondary_checkpoint_seq_{kNoCheckpoint};
  std::atomic<uint64_t> ops_since_checkpoint_{0};
  std::atomic<int64_t> last_checkpoint_ns_{0};
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_COLLECTION_H_
