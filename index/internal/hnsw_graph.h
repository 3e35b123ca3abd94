// HnswGraph: hnswlib's HierarchicalNSW<float> plus a read-only k-NN search
// whose breadth is chosen per call. Included only by index/hnsw_index.cc,
// the one file that uses hnswlib.
//
// Thread safety: the const methods change no shared state (the visited
// lists come from hnswlib's internally locked pool), so they may run
// concurrently with each other, never with a mutation of the graph.
//
// SearchFiltered() runs the same beam search as hnswlib's
// searchBaseLayerST (same graph, same visited-list pool, prefetching, same
// stopping rule), written here so that it can admit only some labels into
// its results and count its work.
#ifndef VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_
#define VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "index/vector_index.h"

namespace vecdb::index_internal {

using hnswlib::tableint;

// A slot of the graph and its distance to the query, in hnswlib's units
// (squared for L2).
struct Candidate {
  float distance;
  tableint slot;
  friend bool operator<(const Candidate& a, const Candidate& b) {
    return a.distance < b.distance ||
           (a.distance == b.distance && a.slot < b.slot);
  }
  friend bool operator>(const Candidate& a, const Candidate& b) {
    return b < a;
  }
};

// The work of one search and its limit.
struct WalkTally {
  // Distance computations allowed; 0 = no limit.
  uint64_t budget = 0;
  uint64_t distance_computations = 0;
  uint64_t nodes_expanded = 0;
  bool budget_exhausted = false;

  bool Spent() const { return budget != 0 && distance_computations >= budget; }
};

class HnswGraph : public hnswlib::HierarchicalNSW<float> {
 public:
  HnswGraph(hnswlib::SpaceInterface<float>* space, size_t capacity, size_t m,
            size_t ef_construction, size_t seed)
      : HierarchicalNSW<float>(space, capacity, m, ef_construction, seed) {}

  // The live slots nearest to `query` (prepared as stored), closest first:
  // up to k of them, found by a beam of width max(ef, k). Deleted slots
  // are walked through but never returned.
  std::vector<Candidate> SearchLive(const float* query, size_t k,
                                    size_t ef) const {
    if (cur_element_count == 0 || k == 0) return {};
    tableint entry = enterpoint_node_;
    float entry_distance = DistanceTo(query, entry);
    for (int level = maxlevel_; level > 0; --level) {
      Descend(query, level, &entry, &entry_distance);
    }
    // hnswlib's base-layer search takes the breadth as an argument and
    // only reads the graph; with deletions it walks through deleted slots
    // until it holds `width` live ones.
    const size_t width = std::max(ef, k);
    auto heap = num_deleted_ != 0
                    ? searchBaseLayerST<true>(entry, query, width)
                    : searchBaseLayerST<false>(entry, query, width);
    while (heap.size() > k) heap.pop();
    std::vector<Candidate> found(heap.size());
    for (size_t i = found.size(); i-- > 0; heap.pop()) {
      found[i] = {heap.top().first, heap.top().second};
    }
    return found;
  }

  // Like SearchLive, but only live slots whose label `filter` contains
  // (null: every live slot) enter the beam's results; every reached slot
  // is still expanded, so the walk crosses regions that do not match. The
  // walk stops early, with tally->budget_exhausted set, once it has
  // computed tally->budget distances (checked before each expansion, so it
  // overshoots by at most one neighbour list). Adds its work to `tally`.
  std::vector<Candidate> SearchFiltered(const float* query, size_t k, size_t ef,
                                        const LabelFilter* filter,
                                        WalkTally* tally) const {
    if (cur_element_count == 0 || k == 0) return {};
    tableint entry = enterpoint_node_;
    float entry_distance = DistanceTo(query, entry);
    ++tally->distance_computations;
    for (int level = maxlevel_; level > 0 && !tally->budget_exhausted;
         --level) {
      Descend(query, level, &entry, &entry_distance, tally);
    }
    const size_t width = std::max(ef, k);
    const bool deletions = num_deleted_ != 0;
    ResultHeap heap;
    if (filter == nullptr) {
      heap = deletions ? BaseLayer<true, false>(entry, entry_distance, query,
                                                width, nullptr, tally)
                       : BaseLayer<false, false>(entry, entry_distance, query,
                                                 width, nullptr, tally);
    } else {
      heap = deletions ? BaseLayer<true, true>(entry, entry_distance, query,
                                               width, filter, tally)
                       : BaseLayer<false, true>(entry, entry_distance, query,
                                                width, filter, tally);
    }
    while (heap.size() > k) heap.pop();
    std::vector<Candidate> found(heap.size());
    for (size_t i = found.size(); i-- > 0; heap.pop()) {
      found[i] = {heap.top().first, heap.top().second};
    }
    return found;
  }

  // The k nearest live slots by comparing with every slot, closest first.
  std::vector<Candidate> ExactLive(const float* query, size_t k) const {
    std::priority_queue<Candidate> best;  // the worst kept on top
    for (tableint slot = 0; slot < cur_element_count && k > 0; ++slot) {
      if (isMarkedDeleted(slot)) continue;
      Candidate c{DistanceTo(query, slot), slot};
      if (best.size() < k) {
        best.push(c);
      } else if (c < best.top()) {
        best.pop();
        best.push(c);
      }
    }
    return Drain(best);
  }

  // A visited list from hnswlib's pool (one mark per slot, cleared in O(1)
  // per lease), handed back on every exit.
  class VisitedLease {
   public:
    explicit VisitedLease(const HnswGraph& graph)
        : pool_(graph.visited_list_pool_), list_(pool_->getFreeVisitedList()) {}
    ~VisitedLease() { pool_->releaseVisitedList(list_); }
    VisitedLease(const VisitedLease&) = delete;
    VisitedLease& operator=(const VisitedLease&) = delete;
    // Marks `slot`; returns whether it was marked already.
    bool Visit(tableint slot) {
      if (list_->mass[slot] == list_->curV) return true;
      list_->mass[slot] = list_->curV;
      return false;
    }
    hnswlib::VisitedList* list() const { return list_; }

   private:
    hnswlib::VisitedListPool* pool_;
    hnswlib::VisitedList* list_;
  };

  // Bytes held by the upper-level link lists.
  size_t UpperLinkBytes() const {
    size_t bytes = 0;
    for (size_t i = 0; i < cur_element_count; ++i) {
      if (element_levels_[i] > 0) {
        bytes += size_links_per_element_ * element_levels_[i] + 1;
      }
    }
    return bytes;
  }

  // Neighbours of `slot` on `level` (0 = base layer).
  std::pair<const tableint*, size_t> Links(tableint slot, int level) const {
    hnswlib::linklistsizeint* list = get_linklist_at_level(slot, level);
    return {reinterpret_cast<const tableint*>(list + 1), getListCount(list)};
  }

  float DistanceTo(const float* query, tableint slot) const {
    const float d =
        fstdistfunc_(query, getDataByInternalId(slot), dist_func_param_);
    // Overflowing inputs can give NaN; ordering it last keeps every
    // comparison consistent.
    return std::isnan(d) ? std::numeric_limits<float>::infinity() : d;
  }

 private:
  using Scored = std::pair<float, tableint>;
  // Max-heap on distance alone, as hnswlib orders its own.
  using ResultHeap =
      std::priority_queue<Scored, std::vector<Scored>, CompareByFirst>;

  // Greedy walk on one upper level towards `query`.
  void Descend(const float* query, int level, tableint* current,
               float* current_distance, WalkTally* tally = nullptr) const {
    bool moved = true;
    while (moved) {
      moved = false;
      if (tally != nullptr && tally->Spent()) {
        tally->budget_exhausted = true;
        return;
      }
      auto [ids, count] = Links(*current, level);
      if (tally != nullptr) {
        ++tally->nodes_expanded;
        tally->distance_computations += count;
      }
      for (size_t i = 0; i < count; ++i) {
        const float d = DistanceTo(query, ids[i]);
        if (d < *current_distance) {
          *current_distance = d;
          *current = ids[i];
          moved = true;
        }
      }
    }
  }

  // Whether `slot`, reached by the walk, may enter the results.
  template <bool kDeletions, bool kFiltered>
  bool Admits(tableint slot, const LabelFilter* filter) const {
    if (kDeletions && isMarkedDeleted(slot)) return false;
    return !kFiltered || filter->Contains(getExternalLabel(slot));
  }

  // The base-layer beam search with an admission test and a budget. The
  // beam stops, as hnswlib's does with deletions, when the closest
  // unexpanded slot is farther than the worst of `width` admitted ones.
  //
  // Kept out of line: inlined into the caller four times over, the loop
  // loses registers to the caller's state.
  template <bool kDeletions, bool kFiltered>
  ABSL_ATTRIBUTE_NOINLINE ResultHeap BaseLayer(tableint entry,
                                               float entry_distance,
                                               const float* query, size_t width,
                                               const LabelFilter* filter,
                                               WalkTally* tally) const {
    VisitedLease lease(*this);
    hnswlib::vl_type* visited = lease.list()->mass;
    const hnswlib::vl_type tag = lease.list()->curV;

    std::vector<Scored> storage;
    storage.reserve(width + 1);
    ResultHeap top(CompareByFirst(), std::move(storage));
    // Closest first, by negated distance.
    ResultHeap candidates;

    float bound = std::numeric_limits<float>::max();
    if (Admits<kDeletions, kFiltered>(entry, filter)) {
      bound = entry_distance;
      top.emplace(entry_distance, entry);
    }
    candidates.emplace(-entry_distance, entry);
    visited[entry] = tag;

    // Distances this layer may still compute before it stops.
    const uint64_t allowance =
        tally->budget == 0 ? std::numeric_limits<uint64_t>::max()
        : tally->budget > tally->distance_computations
            ? tally->budget - tally->distance_computations
            : 0;
    uint64_t computations = 0, expanded = 0;
    while (!candidates.empty()) {
      const Scored current = candidates.top();
      if (-current.first > bound && top.size() >= width) break;
      if (computations >= allowance) {
        tally->budget_exhausted = true;
        break;
      }
      candidates.pop();
      ++expanded;

      hnswlib::linklistsizeint* list = get_linklist0(current.second);
      const size_t size = getListCount(list);
      const int* data = reinterpret_cast<const int*>(list);
#ifdef USE_SSE
      if (size > 0) {
        _mm_prefetch(reinterpret_cast<const char*>(visited + data[1]),
                     _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(visited + data[1] + 64),
                     _MM_HINT_T0);
        _mm_prefetch(data_level0_memory_ + data[1] * size_data_per_element_ +
                         offsetData_,
                     _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(data + 2), _MM_HINT_T0);
      }
#endif
      for (size_t j = 1; j <= size; ++j) {
        const tableint id = data[j];
#ifdef USE_SSE
        // The next neighbour; unlike hnswlib, never a word past the list.
        const tableint next = data[j < size ? j + 1 : j];
        _mm_prefetch(reinterpret_cast<const char*>(visited + next),
                     _MM_HINT_T0);
        _mm_prefetch(
            data_level0_memory_ + next * size_data_per_element_ + offsetData_,
            _MM_HINT_T0);
#endif
        if (visited[id] == tag) continue;
        visited[id] = tag;
        float d =
            fstdistfunc_(query, getDataByInternalId(id), dist_func_param_);
        ++computations;
        if (top.size() < width || bound > d) {
          // As in DistanceTo(), NaN orders last; tested only here, where a
          // distance enters a heap, to keep the common path short.
          if (std::isnan(d)) d = std::numeric_limits<float>::infinity();
          candidates.emplace(-d, id);
#ifdef USE_SSE
          _mm_prefetch(data_level0_memory_ +
                           candidates.top().second * size_data_per_element_ +
                           offsetLevel0_,
                       _MM_HINT_T0);
#endif
          if (Admits<kDeletions, kFiltered>(id, filter)) {
            top.emplace(d, id);
            if (top.size() > width) top.pop();
          }
          if (!top.empty()) bound = top.top().first;
        }
      }
    }
    tally->distance_computations += computations;
    tally->nodes_expanded += expanded;
    return top;
  }

  static std::vector<Candidate> Drain(std::priority_queue<Candidate>& heap) {
    std::vector<Candidate> out(heap.size());
    for (size_t i = out.size(); i-- > 0; heap.pop()) out[i] = heap.top();
    return out;
  }
};

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_
