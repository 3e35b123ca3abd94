// HnswGraph: hnswlib's HierarchicalNSW<float> memory layout, searched and
// grown by our own code so that searches, inserts and repairs run at once.
// Included only by index/hnsw_index.cc and its private headers.
//
// Concurrency model (docs/architecture.md, "The graph under concurrency"):
//   * Link lists are read without locks: every link word (the u16 count at
//     the head of a list and each u32 neighbour) is loaded and stored with
//     atomic operations (acquire/release), so a search may see a list
//     half-rewritten but only ever valid slot numbers. Writers serialise
//     their read-modify-write of a list on that slot's link_list_locks_
//     entry.
//   * A slot's vector, label, level and upper-level lists are written once,
//     before the slot is reachable (PrepareSlots), and never change.
//   * Visibility is by sequence number: every slot has a Lifetime (born,
//     dead). A search at snapshot s returns only slots with
//     born <= s < dead. A slot is staged (born = kPending) while a write
//     links it, and becomes visible when the write is published. A
//     replaced or deleted point's slot gets dead = the write's sequence
//     number; it stays in the graph (searches walk through it) until
//     compaction builds a graph without it.
//   * The entry point and top level are one atomic word; the published
//     slot count is atomic.
//   * The label -> current slot map and the previous-version links are
//     guarded by labels_mu (Publish writes them, SearchAmong reads them).
#ifndef VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_
#define VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <queue>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "common/mutex.h"
#include "index/vector_index.h"

namespace vecdb::index_internal {

using hnswlib::linklistsizeint;
using hnswlib::tableint;

// born of a staged slot; dead of a slot no write removed.
inline constexpr uint64_t kPending = std::numeric_limits<uint64_t>::max();
inline constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
inline constexpr tableint kNoSlot = 0xFFFFFFFF;
inline constexpr uint32_t kNoEntryPoint = kNoSlot;
// Levels above this are clamped (the format's limit).
inline constexpr int32_t kMaxLevel = 64;

// When a slot's version of its point became visible and when it stopped.
struct Lifetime {
  std::atomic<uint64_t> born{kPending};
  std::atomic<uint64_t> dead{kNever};
};

// --- Lock-free link list access --------------------------------------------

inline size_t LoadCount(const linklistsizeint* list) {
  return __atomic_load_n(reinterpret_cast<const uint16_t*>(list),
                         __ATOMIC_ACQUIRE);
}
inline tableint LoadLink(const linklistsizeint* list, size_t i) {
  return __atomic_load_n(reinterpret_cast<const tableint*>(list + 1) + i,
                         __ATOMIC_ACQUIRE);
}
// REQUIRES: the list's slot lock held.
inline void StoreLink(linklistsizeint* list, size_t i, tableint slot) {
  __atomic_store_n(reinterpret_cast<tableint*>(list + 1) + i, slot,
                   __ATOMIC_RELEASE);
}
// REQUIRES: the list's slot lock held.
inline void StoreCount(linklistsizeint* list, size_t count) {
  __atomic_store_n(reinterpret_cast<uint16_t*>(list),
                   static_cast<uint16_t>(count), __ATOMIC_RELEASE);
}

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
  using Scored = std::pair<float, tableint>;
  // Farthest on top, as hnswlib orders its own heaps.
  using ResultHeap =
      std::priority_queue<Scored, std::vector<Scored>, CompareByFirst>;

  HnswGraph(hnswlib::SpaceInterface<float>* space, size_t capacity, size_t m,
            size_t ef_construction, size_t seed)
      : HierarchicalNSW<float>(space, capacity, m, ef_construction, seed),
        lifetimes_(new Lifetime[capacity]),
        prev_(capacity, kNoSlot) {}

  size_t Capacity() const { return max_elements_; }
  // Slots whose contents are complete (staged, live or dead).
  size_t SlotCount() const {
    return slot_count_.load(std::memory_order_acquire);
  }
  void SetSlotCount(size_t n) {
    slot_count_.store(static_cast<uint32_t>(n), std::memory_order_release);
  }

  Lifetime& life(tableint slot) { return lifetimes_[slot]; }
  const Lifetime& life(tableint slot) const { return lifetimes_[slot]; }
  bool VisibleAt(tableint slot, uint64_t snapshot) const {
    const Lifetime& l = lifetimes_[slot];
    return l.born.load(std::memory_order_acquire) <= snapshot &&
           snapshot < l.dead.load(std::memory_order_acquire);
  }
  // Not removed by any write (staged or live).
  bool NotDead(tableint slot) const {
    return lifetimes_[slot].dead.load(std::memory_order_acquire) == kNever;
  }

  // Entry point and top level, read atomically together.
  struct Entry {
    tableint slot = kNoSlot;
    int level = -1;
  };
  Entry LoadEntry() const {
    const uint64_t word = entry_.load(std::memory_order_acquire);
    if (word == kNoEntryWord) return {};
    return {static_cast<tableint>(word & 0xFFFFFFFF),
            static_cast<int>(word >> 32)};
  }
  // Also mirrors the entry point into hnswlib's fields, for serialisation.
  // REQUIRES: raise_mu held (or exclusive access).
  void StoreEntry(tableint slot, int level) {
    enterpoint_node_ = slot;
    maxlevel_ = level;
    entry_.store((static_cast<uint64_t>(level) << 32) | slot,
                 std::memory_order_release);
  }

  // Sequence number of the newest write published before this graph was
  // made (compaction); searches of this graph see at least that state.
  uint64_t base_seq = 0;

  // Serialises slot allocation (PrepareSlots) and the level generator.
  std::mutex alloc_mu;
  // Serialises inserts that raise the top level.
  std::mutex raise_mu;
  // label -> its current slot; prev: a slot's previous version (kNoSlot).
  mutable Mutex labels_mu;
  absl::flat_hash_map<uint64_t, tableint> current ABSL_GUARDED_BY(labels_mu);
  std::vector<tableint> prev_ ABSL_GUARDED_BY(labels_mu);

  // --- Reads (safe alongside every writer) ---------------------------------

  // Neighbours of `slot` on `level` (0 = base layer).
  const linklistsizeint* List(tableint slot, int level) const {
    return get_linklist_at_level(slot, level);
  }

  float DistanceTo(const float* query, tableint slot) const {
    const float d =
        fstdistfunc_(query, getDataByInternalId(slot), dist_func_param_);
    // Overflowing inputs can give NaN; ordering it last keeps every
    // comparison consistent.
    return std::isnan(d) ? std::numeric_limits<float>::infinity() : d;
  }
  const float* VectorOf(tableint slot) const {
    return reinterpret_cast<const float*>(getDataByInternalId(slot));
  }

  // The slots visible at `snapshot` nearest to `query` (prepared as
  // stored), closest first: up to k, by a beam of width max(ef, k);
  // with `filter`, only slots whose label it contains (null: all). Every
  // reached slot is expanded, visible or not, so the walk crosses deleted
  // and non-matching regions. Stops early, with tally->budget_exhausted,
  // once it computed tally->budget distances. Adds its work to `tally`.
  std::vector<Candidate> Search(const float* query, size_t k, size_t ef,
                                uint64_t snapshot, const LabelFilter* filter,
                                WalkTally* tally) const {
    const Entry entry = LoadEntry();
    if (entry.slot == kNoSlot || k == 0) return {};
    tableint start = entry.slot;
    float start_distance = DistanceTo(query, start);
    ++tally->distance_computations;
    for (int level = entry.level; level > 0 && !tally->budget_exhausted;
         --level) {
      Descend(query, level, &start, &start_distance, tally);
    }
    const size_t width = std::max(ef, k);
    ResultHeap heap =
        filter == nullptr
            ? BaseLayer<false>(start, start_distance, query, width, snapshot,
                               nullptr, tally)
            : BaseLayer<true>(start, start_distance, query, width, snapshot,
                              filter, tally);
    while (heap.size() > k) heap.pop();
    std::vector<Candidate> found(heap.size());
    for (size_t i = found.size(); i-- > 0; heap.pop()) {
      found[i] = {heap.top().first, heap.top().second};
    }
    return found;
  }

  // The k nearest slots visible at `snapshot`, by comparing with every
  // slot, closest first.
  std::vector<Candidate> ExactVisible(const float* query, size_t k,
                                      uint64_t snapshot) const {
    std::priority_queue<Candidate> best;  // the worst kept on top
    const size_t n = SlotCount();
    for (tableint slot = 0; slot < n && k > 0; ++slot) {
      if (!VisibleAt(slot, snapshot)) continue;
      Candidate c{DistanceTo(query, slot), slot};
      if (best.size() < k) {
        best.push(c);
      } else if (c < best.top()) {
        best.pop();
        best.push(c);
      }
    }
    std::vector<Candidate> out(best.size());
    for (size_t i = out.size(); i-- > 0; best.pop()) out[i] = best.top();
    return out;
  }

  // The ef_construction nearest not-removed slots to `point` on `level`,
  // from `start`, for linking a new slot (hnswlib's searchBaseLayer, read
  // without locks). Removed slots are walked through, never returned.
  ResultHeap SearchForInsert(tableint start, const float* point,
                             int level) const {
    VisitedLease lease(*this);
    ResultHeap top;
    ResultHeap candidates;  // closest first, by negated distance
    float bound = DistanceTo(point, start);
    if (NotDead(start)) {
      top.emplace(bound, start);
    } else {
      bound = std::numeric_limits<float>::max();
    }
    candidates.emplace(-DistanceTo(point, start), start);
    lease.Visit(start);
    while (!candidates.empty()) {
      const Scored current = candidates.top();
      if (-current.first > bound && top.size() >= ef_construction_) break;
      candidates.pop();
      const linklistsizeint* list = List(current.second, level);
      const size_t size = LoadCount(list);
      for (size_t j = 0; j < size; ++j) {
        const tableint id = LoadLink(list, j);
        if (lease.Visit(id)) continue;
        const float d = DistanceTo(point, id);
        if (top.size() < ef_construction_ || bound > d) {
          candidates.emplace(-d, id);
          if (NotDead(id)) {
            top.emplace(d, id);
            if (top.size() > ef_construction_) top.pop();
          }
          if (!top.empty()) bound = top.top().first;
        }
      }
    }
    return top;
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
    const size_t n = SlotCount();
    for (size_t i = 0; i < n; ++i) {
      if (element_levels_[i] > 0) {
        bytes += size_links_per_element_ * element_levels_[i] + 1;
      }
    }
    return bytes;
  }
  size_t LifetimeBytes() const {
    return max_elements_ * (sizeof(Lifetime) + sizeof(tableint));
  }

 private:
  static constexpr uint64_t kNoEntryWord = std::numeric_limits<uint64_t>::max();

  // Greedy walk on one upper level towards `query`.
  void Descend(const float* query, int level, tableint* current,
               float* current_distance, WalkTally* tally) const {
    bool moved = true;
    while (moved) {
      moved = false;
      if (tally->Spent()) {
        tally->budget_exhausted = true;
        return;
      }
      const linklistsizeint* list = List(*current, level);
      const size_t count = LoadCount(list);
      ++tally->nodes_expanded;
      tally->distance_computations += count;
      for (size_t i = 0; i < count; ++i) {
        const tableint id = LoadLink(list, i);
        const float d = DistanceTo(query, id);
        if (d < *current_distance) {
          *current_distance = d;
          *current = id;
          moved = true;
        }
      }
    }
  }

  // Whether `slot`, reached by the walk, may enter the results.
  template <bool kFiltered>
  bool Admits(tableint slot, uint64_t snapshot,
              const LabelFilter* filter) const {
    if (!VisibleAt(slot, snapshot)) return false;
    return !kFiltered || filter->Contains(getExternalLabel(slot));
  }

  // The base-layer beam search with an admission test and a budget (the
  // loop of hnswlib's searchBaseLayerST, with lock-free list reads). The
  // beam stops when the closest unexpanded slot is farther than the worst
  // of `width` admitted ones.
  //
  // Kept out of line: inlined into the caller twice over, the loop loses
  // registers to the caller's state.
  template <bool kFiltered>
  ABSL_ATTRIBUTE_NOINLINE ResultHeap
  BaseLayer(tableint entry, float entry_distance, const float* query,
            size_t width, uint64_t snapshot, const LabelFilter* filter,
            WalkTally* tally) const {
    VisitedLease lease(*this);
    hnswlib::vl_type* visited = lease.list()->mass;
    const hnswlib::vl_type tag = lease.list()->curV;

    std::vector<Scored> storage;
    storage.reserve(width + 1);
    ResultHeap top(CompareByFirst(), std::move(storage));
    ResultHeap candidates;  // closest first, by negated distance

    float bound = std::numeric_limits<float>::max();
    if (Admits<kFiltered>(entry, snapshot, filter)) {
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

      const linklistsizeint* list = get_linklist0(current.second);
      const size_t size = LoadCount(list);
#ifdef USE_SSE
      if (size > 0) {
        const tableint first = LoadLink(list, 0);
        _mm_prefetch(reinterpret_cast<const char*>(visited + first),
                     _MM_HINT_T0);
        _mm_prefetch(data_level0_memory_ + first * size_data_per_element_ +
                         offsetData_,
                     _MM_HINT_T0);
      }
#endif
      for (size_t j = 0; j < size; ++j) {
        const tableint id = LoadLink(list, j);
#ifdef USE_SSE
        if (j + 1 < size) {
          const tableint next = LoadLink(list, j + 1);
          _mm_prefetch(reinterpret_cast<const char*>(visited + next),
                       _MM_HINT_T0);
          _mm_prefetch(data_level0_memory_ + next * size_data_per_element_ +
                           offsetData_,
                       _MM_HINT_T0);
        }
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
          if (Admits<kFiltered>(id, snapshot, filter)) {
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

  std::unique_ptr<Lifetime[]> lifetimes_;
  std::atomic<uint32_t> slot_count_{0};
  std::atomic<uint64_t> entry_{kNoEntryWord};
};

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_
