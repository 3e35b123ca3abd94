// WritePath: the upserts and deletes of one collection, from a validated
// request to an acknowledged write.
//
//   1. validate the whole request and derive what needs no lock (the new
//      points' secondary-index entries, their records);     (parallel)
//   2. under the commit mutex: read the existing records, assign labels
//      and the sequence number, and commit one RocksDB WriteBatch (points,
//      index entries, op-log entry, counters);           (commit order)
//   3. link the new vectors into the graph, invisibly;       (parallel)
//   4. IndexState::Apply() in sequence order makes the write visible;
//   5. return the write's own sequence number.
// A vector bit-identical to the stored one is not linked again; an
// unchanged point is not rewritten. If step 3 fails (out of memory), the
// write is still durable and acknowledged: the collection is marked stale
// (IndexState::MarkStale), so no checkpoint omits it, and the graph is
// rebuilt from RocksDB (Collection::Maintain()).
//
// Thread safety: all methods are thread-safe. Writers overlap everything
// but step 2; RocksDB groups concurrent commits of different collections
// into one fsync.
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

  uint64_t live_count() const { return live_count_.load(); }
  uint64_t last_seq() const { return last_seq_.load(); }

  // Runs fn() with no write between its commit and its Apply(), and none
  // starting (used to swap in a rebuilt graph).
  template <typename F>
  auto Paused(F&& fn) {
    MutexLock lock(&commit_mu_);
    state_->WaitApplied(counters_.last_seq);
    return fn();
  }

 private:
  // A write as built under the commit mutex.
  struct Prepared;
  // Step 2 of a delete: commits the removal of the ids that exist into
  // `write` (affected = 0 and nothing written when none does).
  absl::Status CommitDelete(absl::Span<const std::string> ids,
                            Prepared* write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);
  // Steps 3-4, after the commit: the shared tail of every write.
  void StageAndApply(Prepared& write);

  const CollectionRecord& record_;
  RocksStore* const store_;
  IndexState* const state_;

  // Serialises commits, so sequence numbers and labels follow commit order.
  Mutex commit_mu_;
  CollectionCounters counters_ ABSL_GUARDED_BY(commit_mu_);

  std::atomic<uint64_t> live_count_;
  std::atomic<uint64_t> last_seq_;
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_WRITE_PATH_H_
