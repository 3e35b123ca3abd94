#include "collection/commit_queue.h"

#include <utility>

#include "common/status_macros.h"

namespace vecdb {

class CommitQueue::Ticket {
 public:
  Ticket(PointWriteBatch batch, std::vector<PendingPoint> points)
      : batch(std::move(batch)), points(std::move(points)) {}

  PointWriteBatch batch;
  std::vector<PendingPoint> points;
  bool done = false;  // guarded by the queue's mutex
  absl::Status status;
};

CommitQueue::CommitQueue(RocksStore* store, uint32_t cid,
                         CollectionCounters committed)
    : store_(store), cid_(cid), committed_(committed) {}

CommitQueue::~CommitQueue() { Drain(); }

absl::StatusOr<std::vector<std::optional<StoredPoint>>> CommitQueue::Lookup(
    absl::Span<const std::string> ids, const PointFields& fields) {
  // The overlay is read first: a queued write may commit and leave it
  // while RocksDB is read, and read the other way round its point would be
  // in neither. Nothing joins the overlay meanwhile (writers enqueue under
  // the commit mutex the caller holds), so what the overlay held is still
  // the point's latest version.
  std::vector<std::optional<std::optional<StoredPoint>>> queued(ids.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!overlay_.empty()) {
      for (size_t i = 0; i < ids.size(); ++i) {
        auto it = overlay_.find(ids[i]);
        if (it != overlay_.end()) queued[i] = it->second.point;
      }
    }
  }
  VECDB_ASSIGN_OR_RETURN(auto found, store_->MultiGet(cid_, ids, fields));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (queued[i].has_value()) found[i] = std::move(*queued[i]);
  }
  return found;
}

std::shared_ptr<CommitQueue::Ticket> CommitQueue::Enqueue(
    PointWriteBatch batch, std::vector<PendingPoint> points,
    uint64_t failures) {
  auto ticket = std::make_shared<Ticket>(std::move(batch), std::move(points));
  std::lock_guard<std::mutex> lock(mu_);
  if (failures != failures_) {
    ticket->done = true;
    ticket->status = last_failure_;
    return ticket;
  }
  const uint64_t seq = ticket->batch.seq();
  for (const PendingPoint& p : ticket->points) {
    overlay_.insert_or_assign(p.id, Overlay{seq, p.point});
  }
  queue_.push_back(ticket);
  return ticket;
}

absl::Status CommitQueue::Wait(const std::shared_ptr<Ticket>& ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!ticket->done) {
    if (!leader_ && !queue_.empty() && queue_.front() == ticket) {
      leader_ = true;
      LeadGroup(lock);
      leader_ = false;
      cv_.notify_all();
    } else {
      cv_.wait(lock);
    }
  }
  return ticket->status;
}

void CommitQueue::LeadGroup(std::unique_lock<std::mutex>& lock) {
  std::vector<std::shared_ptr<Ticket>> group(queue_.begin(), queue_.end());
  queue_.clear();
  std::vector<const PointWriteBatch*> batches;
  batches.reserve(group.size());
  for (const auto& t : group) batches.push_back(&t->batch);

  ++groups_;
  lock.unlock();
  const absl::Status status = store_->CommitAll(cid_, batches);
  lock.lock();

  if (status.ok()) {
    for (const auto& t : group) {
      if (t->batch.counters()) committed_ = *t->batch.counters();
      for (const PendingPoint& p : t->points) {
        auto it = overlay_.find(p.id);
        if (it != overlay_.end() && it->second.seq == t->batch.seq()) {
          overlay_.erase(it);
        }
      }
      t->done = true;
    }
    return;
  }
  // Every write queued after the failed group was prepared on top of it.
  for (const auto& t : queue_) group.push_back(t);
  queue_.clear();
  overlay_.clear();
  committed_before_failure_.push_back(committed_.last_seq);
  ++failures_;
  last_failure_ = status;
  for (const auto& t : group) {
    t->done = true;
    t->status = status;
  }
}

void CommitQueue::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && !leader_; });
}

absl::Status CommitQueue::WaitCommitted(uint64_t seq, uint64_t failures) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] {
    return committed_.last_seq >= seq || failures_ != failures;
  });
  if (failures_ == failures) return absl::OkStatus();
  // A failure since `failures` undid what the caller saw, unless `seq` had
  // committed before the first of them (a later write failing changes
  // nothing committed).
  if (failures < committed_before_failure_.size() &&
      committed_before_failure_[failures] >= seq) {
    return absl::OkStatus();
  }
  return last_failure_;
}

CollectionCounters CommitQueue::committed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_;
}

uint64_t CommitQueue::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

uint64_t CommitQueue::groups() const {
  std::lock_guard<std::mutex> lock(mu_);
  return groups_;
}

}  // namespace vecdb
