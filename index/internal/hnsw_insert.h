// Insertion of new slots into an HnswGraph while searches, other inserts
// and repairs run. Included only by index/hnsw_index.cc.
//
//   VECDB_ASSIGN_OR_RETURN(std::vector<tableint> slots,
//                          PrepareSlots(graph, items));  // staged, unlinked
//   for (tableint slot : slots) LinkSlot(graph, slot);   // any threads
//
// hnswlib's addPoint() is not used: it draws levels from an unguarded
// generator, reads the entry point outside its lock and writes link words
// that concurrent searches read.
//
// Thread safety: every function here may run concurrently with searches
// (HnswGraph's const methods) and with each other. PrepareSlots() takes
// graph.alloc_mu; a link list is rewritten only under its slot's
// link_list_locks_ entry, one lock at a time, with atomic stores
// (hnsw_graph.h); an insert that raises the top level takes graph.raise_mu.
#ifndef VECDB_INDEX_INTERNAL_HNSW_INSERT_H_
#define VECDB_INDEX_INTERNAL_HNSW_INSERT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "index/internal/hnsw_graph.h"

namespace vecdb::index_internal {

// A label and its vector, prepared as stored (unit length under cosine).
struct FreshItem {
  uint64_t label;
  const float* vector;
};

namespace hnsw_insert_internal {

using CandidateHeap = HnswGraph::ResultHeap;  // farthest on top

// hnswlib's level distribution, floor(-ln U * mult) with U uniform in
// [0, 1), drawn from the graph's own generator so that a one-thread build
// repeats hnswlib's levels. REQUIRES: graph.alloc_mu held.
inline int DrawLevel(HnswGraph& graph) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double u = std::max(uniform(graph.level_generator_),
                            std::numeric_limits<double>::min());
  const double level = -std::log(u) * graph.mult_;
  return static_cast<int>(std::min(level, static_cast<double>(kMaxLevel)));
}

// Greedy walk on upper `level` from *current towards `point`.
inline void Descend(const HnswGraph& graph, const float* point, int level,
                    tableint* current, float* current_distance) {
  for (bool moved = true; moved;) {
    moved = false;
    const linklistsizeint* list = graph.List(*current, level);
    const size_t count = LoadCount(list);
    for (size_t i = 0; i < count; ++i) {
      const tableint id = LoadLink(list, i);
      const float d = graph.DistanceTo(point, id);
      if (d < *current_distance) {
        *current_distance = d;
        *current = id;
        moved = true;
      }
    }
  }
}

// Adds `slot` to the `level` list of `neighbour`. A full list first drops
// links to removed slots; if still full, it keeps the best of its links
// and `slot` by hnswlib's neighbour heuristic.
inline void AddBackLink(HnswGraph& graph, tableint neighbour, tableint slot,
                        int level) {
  const size_t capacity = level == 0 ? graph.maxM0_ : graph.maxM_;
  const float* at = graph.VectorOf(neighbour);
  std::lock_guard<std::mutex> lock(graph.link_list_locks_[neighbour]);
  linklistsizeint* list = graph.get_linklist_at_level(neighbour, level);
  size_t count = LoadCount(list);
  for (size_t i = 0; i < count; ++i) {
    if (LoadLink(list, i) == slot) return;
  }
  if (count < capacity) {
    StoreLink(list, count, slot);
    StoreCount(list, count + 1);
    return;
  }
  size_t kept = 0;
  for (size_t i = 0; i < count; ++i) {
    const tableint id = LoadLink(list, i);
    if (graph.NotDead(id)) StoreLink(list, kept++, id);
  }
  if (kept < capacity) {
    StoreLink(list, kept, slot);
    StoreCount(list, kept + 1);
    return;
  }
  CandidateHeap keep;
  keep.emplace(graph.DistanceTo(at, slot), slot);
  for (size_t i = 0; i < kept; ++i) {
    const tableint id = LoadLink(list, i);
    keep.emplace(graph.DistanceTo(at, id), id);
  }
  graph.getNeighborsByHeuristic2(keep, capacity);
  // Shrink the count first, so a reader never sees more links than are
  // being written.
  StoreCount(list, std::min(kept, keep.size()));
  size_t n = 0;
  for (; !keep.empty(); keep.pop()) StoreLink(list, n++, keep.top().second);
  StoreCount(list, n);
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
    linklistsizeint* list = graph.get_linklist_at_level(slot, level);
    StoreCount(list, std::min(LoadCount(list), chosen.size()));
    for (size_t i = 0; i < chosen.size(); ++i) StoreLink(list, i, chosen[i]);
    StoreCount(list, chosen.size());
  }
  for (tableint neighbour : chosen) AddBackLink(graph, neighbour, slot, level);
}

// Finds and writes the links of `slot` on its levels up to `top`, from
// `entry` (`entry_level` its level).
inline void LinkFrom(HnswGraph& graph, tableint slot, tableint entry,
                     int entry_level) {
  const float* point = graph.VectorOf(slot);
  const int level = graph.element_levels_[slot];
  tableint current = entry;
  float current_distance = graph.DistanceTo(point, current);
  for (int l = entry_level; l > level; --l) {
    Descend(graph, point, l, &current, &current_distance);
  }
  // A removed entry point is never among the candidates, yet it is the
  // only slot known to reach every level; hnswlib offers it as a
  // candidate so that the new slot stays connected to the top.
  const bool entry_removed = !graph.NotDead(entry);
  const int link_top = std::min(level, entry_level);
  std::vector<std::vector<tableint>> chosen(link_top + 1);
  for (int l = link_top; l >= 0; --l) {
    CandidateHeap candidates = graph.SearchForInsert(current, point, l);
    if (entry_removed && entry != slot) {
      candidates.emplace(graph.DistanceTo(point, entry), entry);
      if (candidates.size() > graph.ef_construction_) candidates.pop();
    }
    // The slot itself (a relink) is no neighbour of its own.
    CandidateHeap others;
    for (; !candidates.empty(); candidates.pop()) {
      if (candidates.top().second != slot) others.push(candidates.top());
    }
    if (others.empty()) continue;  // every slot met here is removed
    chosen[l] = ChooseNeighbours(graph, others);
    current = chosen[l].back();
  }
  // Links are written from the base layer up: a concurrent insertion that
  // meets `slot` on a level then finds its lists below complete.
  for (int l = 0; l <= link_top; ++l) {
    if (!chosen[l].empty()) Connect(graph, slot, chosen[l], l);
  }
}

}  // namespace hnsw_insert_internal

// Reserves a slot for each item (in order) and fills in everything but its
// links: level, label, vector, zeroed link lists, Lifetime {kPending,
// kNever}. The slots are unreachable until linked and invisible until
// published. Returns nullopt, with the graph unchanged, when the graph has
// no room for them all; ResourceExhausted if an upper-level list cannot be
// allocated.
inline absl::StatusOr<std::optional<std::vector<tableint>>> PrepareSlots(
    HnswGraph& graph, absl::Span<const FreshItem> items) {
  std::lock_guard<std::mutex> lock(graph.alloc_mu);
  if (graph.cur_element_count + items.size() > graph.max_elements_) {
    return std::optional<std::vector<tableint>>();
  }
  std::vector<tableint> slots;
  slots.reserve(items.size());
  const size_t first = graph.cur_element_count;
  for (const FreshItem& item : items) {
    const int level = hnsw_insert_internal::DrawLevel(graph);
    char* upper = nullptr;
    if (level > 0) {
      // One spare link's worth of zeros: prefetching may read a link past
      // the end of a full list.
      const size_t bytes = graph.size_links_per_element_ * level + 4;
      upper = static_cast<char*>(std::calloc(1, bytes));
      if (upper == nullptr) {
        for (tableint s : slots) {
          if (graph.element_levels_[s] > 0) std::free(graph.linkLists_[s]);
          graph.element_levels_[s] = 0;
        }
        return absl::ResourceExhaustedError(
            absl::StrCat("cannot allocate ", bytes, " bytes of hnsw links"));
      }
    }
    const auto slot = static_cast<tableint>(first + slots.size());
    slots.push_back(slot);
    graph.element_levels_[slot] = level;
    graph.linkLists_[slot] = upper;
    std::memset(graph.data_level0_memory_ + slot * graph.size_data_per_element_,
                0, graph.size_data_per_element_);
    std::memcpy(graph.getDataByInternalId(slot), item.vector, graph.data_size_);
    graph.setExternalLabel(slot, item.label);
    graph.life(slot).born.store(kPending, std::memory_order_relaxed);
    graph.life(slot).dead.store(kNever, std::memory_order_relaxed);
  }
  graph.cur_element_count = first + slots.size();
  graph.SetSlotCount(graph.cur_element_count);
  return std::optional<std::vector<tableint>>(std::move(slots));
}

// Links `slot` (prepared, not yet linked) into the graph. A slot above the
// top level (or the first of an empty graph) becomes the entry point.
inline void LinkSlot(HnswGraph& graph, tableint slot) {
  const int level = graph.element_levels_[slot];
  HnswGraph::Entry entry = graph.LoadEntry();
  if (entry.slot != kNoSlot && level <= entry.level) {
    hnsw_insert_internal::LinkFrom(graph, slot, entry.slot, entry.level);
    return;
  }
  std::lock_guard<std::mutex> lock(graph.raise_mu);
  entry = graph.LoadEntry();
  if (entry.slot != kNoSlot) {
    hnsw_insert_internal::LinkFrom(graph, slot, entry.slot, entry.level);
  }
  if (entry.slot == kNoSlot || level > entry.level) {
    graph.StoreEntry(slot, level);
  }
}

// Links `slot` again from the entry point, as if it were new: its own
// lists are rewritten and its new neighbours link back to it.
inline void RelinkSlot(HnswGraph& graph, tableint slot) {
  const HnswGraph::Entry entry = graph.LoadEntry();
  if (entry.slot == kNoSlot || entry.slot == slot) return;
  hnsw_insert_internal::LinkFrom(graph, slot, entry.slot, entry.level);
}

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_INSERT_H_
