// IndexState: everything a collection derives from RocksDB and keeps in
// memory — the HNSW graph, the label -> point id map, the metadata and text
// indexes — and the sequence number of the last write they all reflect.
//
// A committed write reaches it in two steps:
//   1. graph().Stage(): the new vectors are linked into the graph,
//      invisibly, by the writer's own thread, beside searches and other
//      writers (the expensive part);
//   2. Apply(): in sequence order, one write at a time, the staged
//      vectors become current, removed labels go, the id map and the
//      secondary indexes change, and the visible sequence advances. This
//      step takes microseconds per point.
// A search reads the visible sequence, searches the graph at that
// snapshot, and reads the secondary indexes and the id map under a shared
// lock held only for the filter evaluation, the text search or the id
// lookups, so no search waits for the graph work of a write.
//
// Thread safety: all methods are thread-safe.
#ifndef VECDB_COLLECTION_INDEX_STATE_H_
#define VECDB_COLLECTION_INDEX_STATE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "collection/checkpoint.h"
#include "collection/collection_types.h"
#include "common/index_entries.h"
#include "common/mutex.h"
#include "index/vector_index.h"

namespace vecdb {

class IndexState {
 public:
  // `index`, `ids` and `secondary` hold every write up to `seq`.
  IndexState(std::unique_ptr<VectorIndex> index, LabelMap ids,
             SecondaryIndexes secondary, uint64_t seq);

  // The graph: thread-safe on its own (index/vector_index.h). Callers
  // keep the pointer for one operation: ReplaceGraph() may swap it.
  std::shared_ptr<VectorIndex> graph() const {
    std::lock_guard<std::mutex> lock(graph_mu_);
    return index_;
  }

  // A committed write, as the in-memory structures learn it.
  struct Change {
    uint64_t seq = 0;
    // New versions of points' vectors (replacements and new points).
    StagedWrite staged;
    // Labels new to the collection, with their point ids.
    std::vector<std::pair<uint64_t, std::string>> new_ids;
    // Labels deleted.
    std::vector<uint64_t> removed_labels;
    // Secondary-index entries removed (old versions) and added.
    std::vector<PointIndexEntries> old_entries;
    std::vector<PointIndexEntries> new_entries;
  };
  // Waits until every write before change.seq is applied, then applies
  // this one. Never fails.
  void Apply(Change change);
  // Returns once the write `seq` (and every earlier one) is applied.
  void WaitApplied(uint64_t seq) const;
  // The last write applied; searches see every write up to it.
  uint64_t applied_seq() const;

  // Runs fn(secondary, ids, seq) under the shared lock: the indexes and id
  // map as of write `seq`. Keep fn short: Apply() waits for it.
  template <typename F>
  auto Read(F&& fn) const {
    ReaderMutexLock lock(&mu_);
    return fn(static_cast<const SecondaryIndexes&>(secondary_),
              static_cast<const LabelMap&>(ids_), visible_seq_);
  }
  // Runs fn(index, live_ids, secondary, seq) with Apply() held off: a
  // consistent image for a checkpoint. `live_ids` are the ids of the
  // graph's current labels only. Searches go on (the shared lock is held
  // throughout, and only Apply() takes it exclusively, after order_mu_);
  // writers wait in Apply().
  template <typename F>
  auto Frozen(F&& fn) {
    std::unique_lock<std::mutex> order(order_mu_);
    const std::shared_ptr<VectorIndex> index = graph();
    ReaderMutexLock lock(&mu_);
    LabelMap live;
    live.reserve(ids_.size());
    for (const auto& [label, id] : ids_) {
      if (index->Contains(label)) live.emplace(label, id);
    }
    return fn(static_cast<const VectorIndex&>(*index),
              static_cast<const LabelMap&>(live),
              static_cast<const SecondaryIndexes&>(secondary_), applied_seq_);
  }

  // Marks the graph as missing committed writes (a failed Stage()): it
  // must be rebuilt before a checkpoint may be written. The first reason
  // is kept.
  void MarkStale(std::string reason);
  // Empty unless stale.
  std::string stale_reason() const;
  // Replaces the graph with `index`, rebuilt from RocksDB up to
  // applied_seq(), and clears the stale mark. REQUIRES: no write is
  // between its commit and its Apply() (the collection pauses writers).
  void ReplaceGraph(std::unique_ptr<VectorIndex> index);

 private:
  mutable std::mutex graph_mu_;
  std::shared_ptr<VectorIndex> index_;  // guarded by graph_mu_

  // Orders Apply() calls; guards applied_seq_ (waited on by order_cv_).
  mutable std::mutex order_mu_;
  mutable std::condition_variable order_cv_;
  uint64_t applied_seq_ = 0;  // guarded by order_mu_

  // Guards the secondary indexes, the id map and the visible sequence.
  mutable Mutex mu_;
  SecondaryIndexes secondary_ ABSL_GUARDED_BY(mu_);
  LabelMap ids_ ABSL_GUARDED_BY(mu_);
  uint64_t visible_seq_ ABSL_GUARDED_BY(mu_) = 0;
  // Labels deleted, with the write that deleted them: their ids stay in
  // ids_ for kIdGrace more writes, so a search at a slightly older
  // snapshot still names them.
  std::deque<std::pair<uint64_t, uint64_t>> graveyard_ ABSL_GUARDED_BY(mu_);

  mutable std::mutex stale_mu_;
  std::string stale_reason_;  // guarded by stale_mu_
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_INDEX_STATE_H_
