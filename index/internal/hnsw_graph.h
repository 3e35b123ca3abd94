// HnswGraph: hnswlib's HierarchicalNSW<float> plus a read-only k-NN search
// whose breadth is chosen per call. Included only by index/hnsw_index.cc,
// the one file that uses hnswlib.
//
// Thread safety: the const methods change no shared state (the visited
// lists come from hnswlib's internally locked pool), so they may run
// concurrently with each other, never with a mutation of the graph.
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
  // Greedy walk on one upper level towards `query`.
  void Descend(const float* query, int level, tableint* current,
               float* current_distance) const {
    bool moved = true;
    while (moved) {
      moved = false;
      auto [ids, count] = Links(*current, level);
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

  static std::vector<Candidate> Drain(std::priority_queue<Candidate>& heap) {
    std::vector<Candidate> out(heap.size());
    for (size_t i = out.size(); i-- > 0; heap.pop()) out[i] = heap.top();
    return out;
  }
};

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_GRAPH_H_
