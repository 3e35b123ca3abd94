// Reachability repair for the HNSW graph. Included only by
// index/hnsw_index.cc.
//
// A search reaches a slot only through links that point at it. Rewriting a
// slot's links (hnswlib's updatePoint, used when a vector is replaced or a
// deleted slot is reused) and the pruning of full neighbour lists when
// others are inserted can leave a live slot with no link pointing at it from
// the rest of the base layer: it is then never returned, whatever ef is.
// RepairReachability() finds such slots by a breadth-first walk of the base
// layer from the entry point and links each one again.
//
// REQUIRES: exclusive access to the graph (no concurrent search or insert).
#ifndef VECDB_INDEX_INTERNAL_HNSW_REPAIR_H_
#define VECDB_INDEX_INTERNAL_HNSW_REPAIR_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "index/internal/hnsw_graph.h"

namespace vecdb::index_internal {

namespace hnsw_repair_internal {

// Marks every slot reachable on the base layer from the entry point.
inline std::vector<uint8_t> ReachableSlots(const HnswGraph& graph) {
  std::vector<uint8_t> reached(graph.cur_element_count, 0);
  if (graph.cur_element_count == 0) return reached;
  std::vector<tableint> queue = {graph.enterpoint_node_};
  reached[graph.enterpoint_node_] = 1;
  for (size_t head = 0; head < queue.size(); ++head) {
    auto [ids, count] = graph.Links(queue[head], 0);
    for (size_t i = 0; i < count; ++i) {
      if (!reached[ids[i]]) {
        reached[ids[i]] = 1;
        queue.push_back(ids[i]);
      }
    }
  }
  return reached;
}

// True if one of `slot`'s base-layer neighbours links back to it.
inline bool HasBackLink(const HnswGraph& graph, tableint slot) {
  auto [ids, count] = graph.Links(slot, 0);
  for (size_t i = 0; i < count; ++i) {
    auto [back, back_count] = graph.Links(ids[i], 0);
    if (std::find(back, back + back_count, slot) != back + back_count) {
      return true;
    }
  }
  return false;
}

// Makes `slot`'s nearest base-layer neighbour link to it: appended when the
// neighbour's list has room, else in place of the neighbour's farthest link.
inline void ForceBackLink(HnswGraph& graph, tableint slot) {
  auto [ids, count] = graph.Links(slot, 0);
  if (count == 0) return;
  const float* data = reinterpret_cast<const float*>(
      graph.getDataByInternalId(slot));
  tableint nearest = ids[0];
  float best = graph.DistanceTo(data, nearest);
  for (size_t i = 1; i < count; ++i) {
    const float d = graph.DistanceTo(data, ids[i]);
    if (d < best) {
      best = d;
      nearest = ids[i];
    }
  }
  hnswlib::linklistsizeint* list = graph.get_linklist0(nearest);
  tableint* links = reinterpret_cast<tableint*>(list + 1);
  const size_t size = graph.getListCount(list);
  if (size < graph.maxM0_) {
    links[size] = slot;
    graph.setListCount(list, static_cast<unsigned short>(size + 1));
    return;
  }
  const float* near_data = reinterpret_cast<const float*>(
      graph.getDataByInternalId(nearest));
  size_t farthest = 0;
  float worst = -1;
  for (size_t i = 0; i < size; ++i) {
    const float d = graph.DistanceTo(near_data, links[i]);
    if (d > worst) {
      worst = d;
      farthest = i;
    }
  }
  links[farthest] = slot;
}

}  // namespace hnsw_repair_internal

// Links every live slot that the base layer cannot reach from the entry
// point again, and returns how many were relinked. A relinked slot is
// searched for from the entry point like a new insert and connected to the
// neighbours found; if none of them keeps a link back to it, its nearest
// neighbour is made to. Each pass can disturb other lists, so the walk is
// repeated (at most a few times). May throw what hnswlib throws.
inline size_t RepairReachability(HnswGraph& graph) {
  using hnsw_repair_internal::ForceBackLink;
  using hnsw_repair_internal::HasBackLink;
  using hnsw_repair_internal::ReachableSlots;
  constexpr int kMaxPasses = 4;
  size_t relinked = 0;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    const std::vector<uint8_t> reached = ReachableSlots(graph);
    std::vector<tableint> orphans;
    for (tableint slot = 0; slot < graph.cur_element_count; ++slot) {
      if (!reached[slot] && !graph.isMarkedDeleted(slot)) {
        orphans.push_back(slot);
      }
    }
    if (orphans.empty()) break;
    for (tableint slot : orphans) {
      graph.repairConnectionsForUpdate(graph.getDataByInternalId(slot),
                                       graph.enterpoint_node_, slot,
                                       graph.element_levels_[slot],
                                       graph.maxlevel_);
      if (!HasBackLink(graph, slot)) ForceBackLink(graph, slot);
    }
    relinked += orphans.size();
  }
  return relinked;
}

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_REPAIR_H_
