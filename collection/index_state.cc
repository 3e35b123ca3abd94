#include "collection/index_state.h"

#include "secondary/entries.h"

namespace vecdb {
namespace {

// Writes a deleted label's id outlives in the id map (see graveyard_).
constexpr uint64_t kIdGrace = 1024;

}  // namespace

IndexState::IndexState(std::unique_ptr<VectorIndex> index, LabelMap ids,
                       SecondaryIndexes secondary, uint64_t seq)
    : index_(std::move(index)),
      applied_seq_(seq),
      secondary_(std::move(secondary)),
      ids_(std::move(ids)),
      visible_seq_(seq) {}

void IndexState::Apply(Change change) {
  std::unique_lock<std::mutex> order(order_mu_);
  order_cv_.wait(order, [&] { return applied_seq_ + 1 >= change.seq; });
  graph()->Publish(change.seq, std::move(change.staged),
                   change.removed_labels);
  {
    MutexLock lock(&mu_);
    for (auto& [label, id] : change.new_ids) {
      ids_.insert_or_assign(label, std::move(id));
      secondary_.metadata.AddLabel(label);
    }
    for (uint64_t label : change.removed_labels) {
      secondary_.metadata.RemoveLabel(label);
      graveyard_.emplace_back(change.seq, label);
    }
    while (!graveyard_.empty() &&
           graveyard_.front().first + kIdGrace <= change.seq) {
      // A label is never reused, so nothing else can own the entry.
      ids_.erase(graveyard_.front().second);
      graveyard_.pop_front();
    }
    for (const PointIndexEntries& entries : change.old_entries) {
      RemoveEntries(entries, secondary_.metadata, secondary_.text);
    }
    for (const PointIndexEntries& entries : change.new_entries) {
      AddEntries(entries, secondary_.metadata, secondary_.text);
    }
    visible_seq_ = change.seq;
  }
  applied_seq_ = change.seq;
  order.unlock();
  order_cv_.notify_all();
}

void IndexState::WaitApplied(uint64_t seq) const {
  std::unique_lock<std::mutex> order(order_mu_);
  order_cv_.wait(order, [&] { return applied_seq_ >= seq; });
}

uint64_t IndexState::applied_seq() const {
  std::lock_guard<std::mutex> order(order_mu_);
  return applied_seq_;
}

void IndexState::MarkStale(std::string reason) {
  std::lock_guard<std::mutex> lock(stale_mu_);
  if (stale_reason_.empty()) stale_reason_ = std::move(reason);
}

std::string IndexState::stale_reason() const {
  std::lock_guard<std::mutex> lock(stale_mu_);
  return stale_reason_;
}

void IndexState::ReplaceGraph(std::unique_ptr<VectorIndex> index) {
  std::lock_guard<std::mutex> order(order_mu_);
  {
    std::lock_guard<std::mutex> lock(graph_mu_);
    index_ = std::move(index);
  }
  std::lock_guard<std::mutex> lock(stale_mu_);
  stale_reason_.clear();
}

}  // namespace vecdb
