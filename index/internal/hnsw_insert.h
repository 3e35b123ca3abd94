// Insertion of new slots into an HnswGraph, split so that the linking can
// run on several threads without data races. Included only by
// index/hnsw_index.cc.
//
// hnswlib's addPoint() is not race-free when called from several threads
// (it draws every level from one unguarded generator and reads the entry
// point and top level outside their lock), so a batch goes in three steps:
//
//   std::vector<tableint> slots;
//   VECDB_ASSIGN_OR_RETURN(slots, PrepareSlots(graph, items));
//   std::vector<tableint> rest = LinkRaisingSlots(graph, slots);
//   // then LinkSlot(graph, slot) for each of `rest`, on any threads
//
// Thread safety: PrepareSlots() and LinkRaisingSlots() need exclusive
// access to the graph. LinkSlot() calls may run concurrently with each
// other (and with nothing else): they never write the entry point, the top
// level, the levels, vectors, labels or deleted flags, and every link list
// they read or write is guarded by that slot's link_list_locks_ entry,
// taken one at a time so no lock order arises.
#ifndef VECDB_INDEX_INTERNAL_HNSW_INSERT_H_
#define VECDB_INDEX_INTERNAL_HNSW_INSERT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <queue>
#include <random>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "index/internal/hnsw_format.h"
#include "index/internal/hnsw_graph.h"

namespace vecdb::index_internal {

// A label and its vector, prepared as stored (unit length under cosine).
struct FreshItem {
  uint64_t label;
  const float* vector;
};

namespace hnsw_insert_internal {

using CandidateHeap = std::priority_queue<
    std::pair<float, tableint>, std::vector<std::pair<float, tableint>>,
    hnswlib::HierarchicalNSW<float>::CompareByFirst>;  // farthest on top

// hnswlib's level distribution, floor(-ln U * mult) with U uniform in
// [0, 1), drawn from the graph's own generator so that a one-thread build
// repeats hnswlib's levels. U = 0 and huge levels are clamped to the
// format's limit.
inline int DrawLevel(HnswGraph& graph) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double u = std::max(uniform(graph.level_generator_),
                            std::numeric_limits<double>::min());
  const double level = -std::log(u) * graph.mult_;
  return static_cast<int>(std::min(level, static_cast<double>(kMaxLevel)));
}

inline const float* VectorOf(const HnswGraph& graph, tableint slot) {
  return reinterpret_cast<const float*>(graph.getDataByInternalId(slot));
}

// Undoes PrepareSlots() for `slots`, the newest slots of the graph, which
// nothing links to yet.
inline void ReleaseSlots(HnswGraph& graph, const std::vector<tableint>& slots) {
  for (tableint slot : slots) {
    graph.label_lookup_.erase(graph.getExternalLabel(slot));
    if (graph.element_levels_[slot] > 0) std::free(graph.linkLists_[slot]);
    graph.element_levels_[slot] = 0;
  }
  graph.cur_element_count -= slots.size();
}

// Greedy walk on upper `level` from *current towards `point`, reading each
// list under its lock.
inline void Descend(HnswGraph& graph, const float* point, int level,
                    tableint* current, float* current_distance) {
  for (bool moved = true; moved;) {
    moved = false;
    std::lock_guard<std::mutex> lock(graph.link_list_locks_[*current]);
    const auto [ids, count] = graph.Links(*current, level);
    for (size_t i = 0; i < count; ++i) {
      const float d = graph.DistanceTo(point, ids[i]);
      if (d < *current_distance) {
        *current_distance = d;
        *current = ids[i];
        moved = true;
      }
    }
  }
}

// Adds `slot` to the `level` list of `neighbour`; a full list keeps the
// best of its links and `slot` by hnswlib's neighbour heuristic.
inline void AddBackLink(HnswGraph& graph, tableint neighbour, tableint slot,
                        int level) {
  const size_t capacity = level == 0 ? graph.maxM0_ : graph.maxM_;
  const float* at = VectorOf(graph, neighbour);
  std::lock_guard<std::mutex> lock(graph.link_list_locks_[neighbour]);
  hnswlib::linklistsizeint* list =
      graph.get_linklist_at_level(neighbour, level);
  tableint* ids = reinterpret_cast<tableint*>(list + 1);
  const size_t count = graph.getListCount(list);
  if (count < capacity) {
    ids[count] = slot;
    graph.setListCount(list, count + 1);
    return;
  }
  CandidateHeap keep;
  keep.emplace(graph.DistanceTo(at, slot), slot);
  for (size_t i = 0; i < count; ++i) {
    keep.emplace(graph.DistanceTo(at, ids[i]), ids[i]);
  }
  graph.getNeighborsByHeuristic2(keep, capacity);
  size_t kept = 0;
  for (; !keep.empty(); keep.pop()) ids[kept++] = keep.top().second;
  graph.setListCount(list, kept);
}

// The neighbours hnswlib's heuristic picks from `candidates` (M at most),
// farthest first. Empties `candidates`.
inline std::vector<tableint> ChooseNeighbours(HnswGraph& graph,
                                              CandidateHeap& candidates) {
  graph.getNeighborsByHeuristic2(candidates, graph.M_);
  std::vector<tableint> chosen;
  chosen.reserve(candidates.size());
  for (; !candidates.empty(); candidates.pop()) {
    chosen.push_back(candidates.top().second);
  }
  return chosen;
}

// Writes `chosen` as the `level` list of `slot`, then links them back to
// it; only from then on can other threads reach `slot` on this level.
inline void Connect(HnswGraph& graph, tableint slot,
                    const std::vector<tableint>& chosen, int level) {
  {
    std::lock_guard<std::mutex> lock(graph.link_list_locks_[slot]);
    hnswlib::linklistsizeint* list = graph.get_linklist_at_level(slot, level);
    std::copy(chosen.begin(), chosen.end(),
              reinterpret_cast<tableint*>(list + 1));
    graph.setListCount(list, chosen.size());
  }
  for (tableint neighbour : chosen) AddBackLink(graph, neighbour, slot, level);
}

}  // namespace hnsw_insert_internal

// Reserves a slot for each item (in order) and fills in everything but its
// links: level, label, vector, zeroed link lists. The slots are unreachable
// until linked. Returns ResourceExhausted, with the graph unchanged, if an
// upper-level list cannot be allocated.
// REQUIRES: exclusive access; capacity for items.size() more slots; labels
// new to the graph and distinct.
inline absl::StatusOr<std::vector<tableint>> PrepareSlots(
    HnswGraph& graph, absl::Span<const FreshItem> items) {
  if (graph.cur_element_count + items.size() > graph.max_elements_) {
    return absl::InternalError(absl::StrCat(
        "no room for ", items.size(), " slots in an hnsw graph of ",
        graph.cur_element_count, "/", graph.max_elements_));
  }
  std::vector<tableint> slots;
  slots.reserve(items.size());
  for (const FreshItem& item : items) {
    const int level = hnsw_insert_internal::DrawLevel(graph);
    char* upper = nullptr;
    if (level > 0) {
      const size_t bytes = graph.size_links_per_element_ * level + 1;
      upper = static_cast<char*>(std::calloc(1, bytes));
      if (upper == nullptr) {
        hnsw_insert_internal::ReleaseSlots(graph, slots);
        return absl::ResourceExhaustedError(
            absl::StrCat("cannot allocate ", bytes, " bytes of hnsw links"));
      }
    }
    const auto slot = static_cast<tableint>(graph.cur_element_count++);
    slots.push_back(slot);
    graph.element_levels_[slot] = level;
    graph.linkLists_[slot] = upper;
    std::memset(graph.data_level0_memory_ + slot * graph.size_data_per_element_,
                0, graph.size_data_per_element_);
    std::memcpy(graph.getDataByInternalId(slot), item.vector, graph.data_size_);
    graph.setExternalLabel(slot, item.label);
    graph.label_lookup_[item.label] = slot;
  }
  return slots;
}

// Links `slot` (prepared, not yet linked) into the graph on its levels up
// to the graph's top level, starting from the entry point.
// REQUIRES: the graph has an entry point; concurrent calls only with other
// LinkSlot() calls (see the file comment).
inline void LinkSlot(HnswGraph& graph, tableint slot) {
  using hnsw_insert_internal::CandidateHeap;
  const float* point = hnsw_insert_internal::VectorOf(graph, slot);
  const int level = graph.element_levels_[slot];
  const tableint entry = graph.enterpoint_node_;
  const int top = graph.maxlevel_;

  tableint current = entry;
  float current_distance = graph.DistanceTo(point, current);
  for (int l = top; l > level; --l) {
    hnsw_insert_internal::Descend(graph, point, l, &current, &current_distance);
  }
  // A deleted entry point is never among the search results, yet it is
  // the only slot known to reach every level; hnswlib offers it as a
  // candidate so that the new slot stays connected to the top.
  const bool entry_deleted = graph.isMarkedDeleted(entry);
  const int link_top = std::min(level, top);
  std::vector<std::vector<tableint>> chosen(link_top + 1);
  for (int l = link_top; l >= 0; --l) {
    CandidateHeap candidates = graph.searchBaseLayer(current, point, l);
    if (entry_deleted) {
      candidates.emplace(graph.DistanceTo(point, entry), entry);
      if (candidates.size() > graph.ef_construction_) candidates.pop();
    }
    if (candidates.empty()) continue;  // every slot met here is deleted
    chosen[l] = hnsw_insert_internal::ChooseNeighbours(graph, candidates);
    current = chosen[l].back();
  }
  // Links are written from the base layer up, unlike hnswlib (which holds
  // the new slot's lock throughout instead). A concurrent insertion that
  // meets `slot` on a level then finds its lists below complete, not empty
  // lists that would end its descent there.
  for (int l = 0; l <= link_top; ++l) {
    if (!chosen[l].empty()) {
      hnsw_insert_internal::Connect(graph, slot, chosen[l], l);
    }
  }
}

// Links, in order, each of `slots` that the others cannot be linked
// without: the first slot of an empty graph and every slot above the
// current top level, which become the entry point. Returns the remaining
// slots, in order; they may then be linked concurrently.
// REQUIRES: exclusive access; `slots` from PrepareSlots().
inline std::vector<tableint> LinkRaisingSlots(
    HnswGraph& graph, const std::vector<tableint>& slots) {
  std::vector<tableint> rest;
  rest.reserve(slots.size());
  for (tableint slot : slots) {
    const int level = graph.element_levels_[slot];
    if (graph.enterpoint_node_ != kNoEntryPoint && level <= graph.maxlevel_) {
      rest.push_back(slot);
      continue;
    }
    if (graph.enterpoint_node_ != kNoEntryPoint) LinkSlot(graph, slot);
    graph.enterpoint_node_ = slot;
    graph.maxlevel_ = level;
  }
  return rest;
}

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_INSERT_H_
