// WritePath: the upserts and deletes of one collection, from a validated
// request to an acknowledged write.
//
//   1. validate the whole request and derive what needs no lock (the new
//      points' secondary-index entries, their records);     (parallel)
//   2. under the commit mutex: look up the existing records (RocksDB with
//      the queued writes over it), assign labels and the sequence number,
//      and queue one WriteBatch (points, index entries, op-log entry,
//      counters) on the CommitQueue;                      (commit order)
//   3. link the new vectors into the graph, invisibly, while the queue
//      commits the batch, grouped with the writes queued beside it into
//      one RocksDB write and one fsync;                        (parallel)
//   4. once committed, IndexState::Apply() in sequence order makes the
//      write visible;
//   5. return the write's own sequence number.
// A write whose commit fails is not acknowledged, nor is any write queued
// after it; its linked slots are abandoned and the next write starts from
// the counters in RocksDB.
// A vector bit-identical to the stored one is not linked again; an
// unchanged point is not rewritten. If step 3 fails (out of memory), the
// write is still durable and acknowledged: the collection is marked stale
// (IndexState::MarkStale), so no checkpoint omits it, and the graph is
// rebuilt from RocksDB (Collection::Maintain()).
//
// Thread safety: all methods are thread-safe. Writers overlap everything
// but step 2.
#ifndef VECDB_COLLECTION_WRITE_PATH_H_
#define VECDB_COLLECTION_WRITE_PATH_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collection/collection_types.h"
#include "collection/commit_queue.h"
#include "collection/index_state.h"
#include "common/filter.h"
#include "common/mutex.h"
#include "common/types.h"
#include "secondary/label_set.h"
#include "storage/rocks_store.h"

namespace vecdb {

class WritePath {
 public:
  // `store` and `state` outlive the WritePath.
  WritePath(const CollectionRecord& record, RocksStore* store,
            IndexState* state, CollectionCounters counters);

  // See Collection::Upsert / Delete. REQUIRES: `points` validated.
  absl::StatusOr<WriteResult> Upsert(std::vector<Point> points);
  // Deletes the ids that exist. REQUIRES: ids validated.
  absl::StatusOr<WriteResult> Delete(absl::Span<const std::string> ids);
  // Deletes the points whose labels evaluate() returns (among `ids`
  // unless empty), as of the moment of the delete: evaluate() runs after
  // every earlier write is applied and before any later one commits.
  // REQUIRES: ids validated.
  absl::StatusOr<WriteResult> DeleteMatching(
      absl::Span<const std::string> ids,
      const std::function<absl::StatusOr<LabelSet>()>& evaluate);

  // Live points and sequence number as of the last committed write.
  uint64_t live_count() const;
  uint64_t last_seq() const;

  // Runs fn() with every write committed and applied, and none starting
  // (used to swap in a rebuilt graph).
  template <typename F>
  auto Paused(F&& fn) {
    MutexLock lock(&commit_mu_);
    WaitAllApplied();
    return fn();
  }

 private:
  // A write as built under the commit mutex.
  struct Prepared;
  // Step 2 of a delete: queues the removal of the ids that exist into
  // `write` (no ticket when none does).
  absl::Status CommitDelete(absl::Span<const std::string> ids,
                            Prepared* write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);
  // The end of step 2 for every write: gives it the next sequence number
  // and queues `batch` with its ops and the counters after it.
  void Queue(PointWriteBatch batch, std::vector<Op> ops,
             std::vector<CommitQueue::PendingPoint> pending,
             CollectionCounters counters, Prepared* write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);
  // Steps 3-5, after the write is queued: the shared tail of every write.
  absl::StatusOr<WriteResult> Finish(Prepared& write);
  // After a failed commit, goes on from the counters in RocksDB.
  void RestartAfterFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);
  // Returns once every queued write is committed (or failed) and applied.
  void WaitAllApplied() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);

  const CollectionRecord& record_;
  IndexState* const state_;
  CommitQueue queue_;

  // Serialises step 2, so sequence numbers and labels follow commit order.
  Mutex commit_mu_;
  // As of the last queued write.
  CollectionCounters counters_ ABSL_GUARDED_BY(commit_mu_);
  // CommitQueue::failures() that counters_ follows.
  uint64_t seen_failures_ ABSL_GUARDED_BY(commit_mu_) = 0;
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_WRITE_PATH_H_
