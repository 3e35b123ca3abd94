// CommitQueue: commits the writes of one collection to RocksDB in sequence
// order, several at once when they queue up together (one WriteBatch, one
// fsync: group commit within a collection).
//
//   writer (under its commit mutex)       leader (first in the queue)
//   Lookup() existing points  -------.
//   Enqueue(batch) -> ticket          |   takes every queued batch,
//   (releases the mutex, links the    |   CommitAll() in one sync, marks
//    vectors into the graph)          |   them committed or failed
//   Wait(ticket) -> ok / error  <-----'
//
// Writes prepared before an earlier one commits must see it: Lookup()
// overlays the queued, uncommitted points on what RocksDB returns. When a
// commit fails, that write and every one queued after it fail (each was
// prepared on top of it); failures() changes, and the writer must restart
// from committed() before it prepares the next write.
//
// Thread safety: all methods are thread-safe. Enqueue() calls must be
// serialised by the caller, in sequence order.
#ifndef VECDB_COLLECTION_COMMIT_QUEUE_H_
#define VECDB_COLLECTION_COMMIT_QUEUE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storage/rocks_store.h"

namespace vecdb {

class CommitQueue {
 public:
  // A point as a queued write leaves it: nullopt when deleted.
  struct PendingPoint {
    std::string id;
    std::optional<StoredPoint> point;
  };
  class Ticket;

  // `store` outlives the queue; `committed` are the collection's counters
  // in RocksDB.
  CommitQueue(RocksStore* store, uint32_t cid, CollectionCounters committed);
  ~CommitQueue();

  // The stored points of `ids` as of the last enqueued write: RocksDB's,
  // with queued writes laid over them. REQUIRES: no Enqueue() runs
  // meanwhile (the caller holds the writers' commit mutex).
  absl::StatusOr<std::vector<std::optional<StoredPoint>>> Lookup(
      absl::Span<const std::string> ids, const PointFields& fields);

  // Queues `batch` (which sets its counters) with the points it leaves.
  // `failures` is failures() as read before the write was prepared: if a
  // commit failed since, the write fails at once with that error.
  std::shared_ptr<Ticket> Enqueue(PointWriteBatch batch,
                                  std::vector<PendingPoint> points,
                                  uint64_t failures);
  // Returns once the ticket's write is committed (OK) or failed.
  absl::Status Wait(const std::shared_ptr<Ticket>& ticket);
  // Returns once every write enqueued so far is committed or failed.
  void Drain();
  // Returns once writes up to `seq` are committed; the commit error if one
  // of them failed. `failures` as for Enqueue().
  absl::Status WaitCommitted(uint64_t seq, uint64_t failures);

  // The counters of the last committed write.
  CollectionCounters committed() const;
  // Commit failures so far.
  uint64_t failures() const;
  // RocksDB writes (groups) so far, failed ones included.
  uint64_t groups() const;

 private:
  // Commits the queue's front group. REQUIRES: lock held, leader_ set.
  void LeadGroup(std::unique_lock<std::mutex>& lock);

  RocksStore* const store_;
  const uint32_t cid_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Ticket>> queue_;  // enqueued, not yet taken
  bool leader_ = false;  // a group is being committed
  CollectionCounters committed_;
  uint64_t failures_ = 0;
  uint64_t groups_ = 0;
  absl::Status last_failure_;
  // committed_.last_seq when each failure happened (index: failures_
  // before it); one word per failed commit.
  std::vector<uint64_t> committed_before_failure_;
  // Queued writes' points by id: the last write to touch each, with its
  // sequence number.
  struct Overlay {
    uint64_t seq = 0;
    std::optional<StoredPoint> point;
  };
  absl::flat_hash_map<std::string, Overlay> overlay_;
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_COMMIT_QUEUE_H_
