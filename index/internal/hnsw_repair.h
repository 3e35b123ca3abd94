// Reachability repair for the HNSW graph. Included only by
// index/hnsw_index.cc.
//
// A search reaches a slot only through links that point at it. The pruning
// of full neighbour lists when others are inserted can leave a live slot
// with no link pointing at it from the rest of the base layer: it is then
// never returned, whatever ef is. RepairReachability() finds such slots by
// a breadth-first walk of the base layer from the entry point and links
// each one again.
//
// Thread safety: runs alongside searches and inserts (it reads links
// without locks and rewrites them like an insert does, hnsw_insert.h). A
// slot being linked by a concurrent insert is staged, and staged slots are
// left alone, so the walk never fights an insert over a new slot.
#ifndef VECDB_INDEX_INTERNAL_HNSW_REPAIR_H_
#define VECDB_INDEX_INTERNAL_HNSW_REPAIR_H_

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <vector>

#include "index/internal/hnsw_graph.h"
#include "index/internal/hnsw_insert.h"

namespace vecdb::index_internal {

namespace hnsw_repair_internal {

// Marks every slot of the first `n` reachable on the base layer from the
// entry point.
inline std::vector<uint8_t> ReachableSlots(const HnswGraph& graph, size_t n) {
  std::vector<uint8_t> reached(n, 0);
  const HnswGraph::Entry entry = graph.LoadEntry();
  if (n == 0 || entry.slot == kNoSlot || entry.slot >= n) return reached;
  std::vector<tableint> queue = {entry.slot};
  reached[entry.slot] = 1;
  for (size_t head = 0; head < queue.size(); ++head) {
    const linklistsizeint* list = graph.List(queue[head], 0);
    const size_t count = LoadCount(list);
    for (size_t i = 0; i < count; ++i) {
      const tableint id = LoadLink(list, i);
      if (id < n && !reached[id]) {
        reached[id] = 1;
        queue.push_back(id);
      }
    }
  }
  return reached;
}

// True if one of `slot`'s base-layer neighbours links back to it.
inline bool HasBackLink(const HnswGraph& graph, tableint slot) {
  const linklistsizeint* list = graph.List(slot, 0);
  const size_t count = LoadCount(list);
  for (size_t i = 0; i < count; ++i) {
    const linklistsizeint* back = graph.List(LoadLink(list, i), 0);
    const size_t back_count = LoadCount(back);
    for (size_t j = 0; j < back_count; ++j) {
      if (LoadLink(back, j) == slot) return true;
    }
  }
  return false;
}

// Makes `slot`'s nearest base-layer neighbour link to it: appended when the
// neighbour's list has room, else in place of the neighbour's farthest link.
inline void ForceBackLink(HnswGraph& graph, tableint slot) {
  const linklistsizeint* own = graph.List(slot, 0);
  const size_t own_count = LoadCount(own);
  if (own_count == 0) return;
  const float* data = graph.VectorOf(slot);
  tableint nearest = LoadLink(own, 0);
  float best = graph.DistanceTo(data, nearest);
  for (size_t i = 1; i < own_count; ++i) {
    const tableint id = LoadLink(own, i);
    const float d = graph.DistanceTo(data, id);
    if (d < best) {
      best = d;
      nearest = id;
    }
  }
  std::lock_guard<std::mutex> lock(graph.link_list_locks_[nearest]);
  linklistsizeint* list = graph.get_linklist0(nearest);
  const size_t size = LoadCount(list);
  if (size < graph.maxM0_) {
    StoreLink(list, size, slot);
    StoreCount(list, size + 1);
    return;
  }
  const float* near_data = graph.VectorOf(nearest);
  size_t farthest = 0;
  float worst = -1;
  for (size_t i = 0; i < size; ++i) {
    const float d = graph.DistanceTo(near_data, LoadLink(list, i));
    if (d > worst) {
      worst = d;
      farthest = i;
    }
  }
  StoreLink(list, farthest, slot);
}

}  // namespace hnsw_repair_internal

// Links every live slot that the base layer cannot reach from the entry
// point again, and returns how many were relinked. A relinked slot is
// searched for from the entry point like a new insert and connected to the
// neighbours found; if none of them keeps a link back to it, its nearest
// neighbour is made to. Each pass can disturb other lists, so the walk is
// repeated (at most a few times). Removed and staged slots are skipped.
inline size_t RepairReachability(HnswGraph& graph) {
  using hnsw_repair_internal::ForceBackLink;
  using hnsw_repair_internal::HasBackLink;
  using hnsw_repair_internal::ReachableSlots;
  constexpr int kMaxPasses = 4;
  size_t relinked = 0;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    const size_t n = graph.SlotCount();
    const std::vector<uint8_t> reached = ReachableSlots(graph, n);
    std::vector<tableint> orphans;
    for (tableint slot = 0; slot < n; ++slot) {
      if (reached[slot] || !graph.NotDead(slot)) continue;
      if (graph.life(slot).born.load(std::memory_order_acquire) == kPending) {
        continue;
      }
      orphans.push_back(slot);
    }
    if (orphans.empty()) break;
    for (tableint slot : orphans) {
      RelinkSlot(graph, slot);
      if (!HasBackLink(graph, slot)) ForceBackLink(graph, slot);
    }
    relinked += orphans.size();
  }
  return relinked;
}

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_REPAIR_H_
