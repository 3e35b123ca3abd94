// VectorIndex: an in-memory nearest-neighbour index over (label, vector)
// pairs. Labels are opaque 64-bit numbers chosen by the caller; the
// collection layer maps them to point ids.
//
// Two implementations:
//   NewHnswIndex()  hnswlib's HNSW graph (approximate; the serving index)
//   NewFlatIndex()  exact search (test oracle, small candidate sets)
//
// Thread safety: const methods may run concurrently with each other. A
// non-const method needs exclusive access: the caller holds a writer lock
// (Collection does). This keeps every hnswlib access free of data races.
//
// Distances follow vecdb::Metric (common/types.h): smaller is closer, for
// kCosine 1 - cosine similarity, for kL2 the Euclidean distance, for
// kInnerProduct 1 - dot product. Under kCosine the index normalises the
// vectors it is given; callers pass them as the user sent them.
//
// Example:
//   VECDB_ASSIGN_OR_RETURN(auto index, NewHnswIndex({.dimension = 128}));
//   VECDB_RETURN_IF_ERROR(index->Add(labels, flat_vectors));
//   VECDB_ASSIGN_OR_RETURN(auto hits, index->Search(query, 10, 64));
#ifndef VECDB_INDEX_VECTOR_INDEX_H_
#define VECDB_INDEX_VECTOR_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/types.h"

namespace vecdb {

struct IndexOptions {
  // Vector dimension, 1..kMaxDimension. Required.
  uint32_t dimension = 0;
  // Default: cosine.
  Metric metric = Metric::kCosine;
  // m and ef_construction shape the graph; ef_search is the default for a
  // Search() that passes ef = 0. FlatIndex ignores them.
  HnswParams hnsw;
  // Slots allocated up front; the index grows (doubling) as needed.
  // Default: 1024.
  size_t initial_capacity = 1024;
  // Threads used to insert one Add() batch into the graph. 0 means
  // std::thread::hardware_concurrency(). Default: 0.
  size_t insert_threads = 0;
};

struct SearchHit {
  uint64_t label = 0;
  float distance = 0;
};

// The labels a filtered search may return (an allow-list). Contains() is
// called from concurrent searches, so it must be safe to call concurrently.
class LabelFilter {
 public:
  virtual ~LabelFilter() = default;
  virtual bool Contains(uint64_t label) const = 0;
};

// What one search did, for a query's `explain`.
struct SearchStats {
  // Vector distance evaluations.
  uint64_t distance_computations = 0;
  // Graph nodes whose neighbour lists were read.
  uint64_t nodes_expanded = 0;
  // SearchFiltered stopped at its budget before its beam converged.
  bool budget_exhausted = false;
};

// Receives the serialised bytes of an index, in order, in pieces.
using ByteSink = std::function<absl::Status(std::string_view bytes)>;

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  // Inserts each (label, vector) pair; a label already present has its
  // vector replaced. `vectors` holds labels.size() * dimension floats, row
  // by row. Labels in one call are distinct. Returns InvalidArgument on a
  // size mismatch or (kCosine) a zero vector; nothing is changed then.
  virtual absl::Status Add(absl::Span<const uint64_t> labels,
                           absl::Span<const float> vectors) = 0;

  // Links again every live vector that a search could not reach (HNSW: a
  // breadth-first walk of the base layer, O(slots * M)). Add() runs it
  // after replacements and slot reuse, and for batches of fresh vectors
  // once per Slots() / 16 new slots; a bulk load (recovery) calls it once
  // at its end. Exclusive access, like Add().
  virtual absl::Status EnsureReachable() { return absl::OkStatus(); }

  // Removes the labels; unknown labels are ignored. A removed label's slot
  // is reused by a later Add(), so deletes and replacements do not grow the
  // index without bound.
  virtual void Remove(absl::Span<const uint64_t> labels) = 0;

  // The k nearest live vectors to `query`, closest first: exactly
  // min(k, Size()) hits. `ef` is the search breadth for this call only
  // (0 = the index's default; raised to k when lower); concurrent searches
  // with different ef do not affect each other.
  virtual absl::StatusOr<std::vector<SearchHit>> Search(
      absl::Span<const float> query, size_t k, size_t ef) const = 0;

  // Filtered graph search: walks the graph as Search() does (through
  // every node, so the walk stays connected), but only labels that
  // `filter` contains enter the results; `filter` null means every label.
  // Returns up to k hits, closest first; fewer than k when the walk finds
  // fewer, or when it stops after `max_distance_computations` (0 = no
  // limit) with stats->budget_exhausted set. The caller then searches
  // exactly (SearchAmong). `stats` may be null.
  virtual absl::StatusOr<std::vector<SearchHit>> SearchFiltered(
      absl::Span<const float> query, size_t k, size_t ef,
      const LabelFilter* filter, size_t max_distance_computations,
      SearchStats* stats) const = 0;

  // Exact search among `labels`: the k nearest of those present in the
  // index, closest first (labels not in the index are skipped; duplicates
  // count once). `stats` may be null.
  virtual absl::StatusOr<std::vector<SearchHit>> SearchAmong(
      absl::Span<const float> query, size_t k,
      absl::Span<const uint64_t> labels, SearchStats* stats) const = 0;

  virtual bool Contains(uint64_t label) const = 0;
  // Live vectors.
  virtual size_t Size() const = 0;
  // Allocated slots, live and deleted.
  virtual size_t Slots() const = 0;
  // Deleted slots waiting for reuse.
  virtual size_t DeletedSlots() const = 0;
  // Approximate heap bytes held.
  virtual size_t MemoryBytes() const = 0;

  // Writes the whole index to `sink` (format: docs/on_disk_format.md).
  virtual absl::Status Serialize(const ByteSink& sink) const = 0;
};

absl::StatusOr<std::unique_ptr<VectorIndex>> NewHnswIndex(
    const IndexOptions& options);

// Rebuilds an HNSW index from Serialize() output. Every count and size is
// checked against `bytes` before anything is allocated; malformed bytes, or
// bytes written for other options (dimension, metric, m), give DataLoss.
absl::StatusOr<std::unique_ptr<VectorIndex>> LoadHnswIndex(
    const IndexOptions& options, std::string_view bytes);

absl::StatusOr<std::unique_ptr<VectorIndex>> NewFlatIndex(
    const IndexOptions& options);

// The distance between two vectors of equal length under `metric`, as the
// indexes report it (for kCosine the vectors need not be normalised).
float Distance(Metric metric, absl::Span<const float> a,
               absl::Span<const float> b);

}  // namespace vecdb

#endif  // VECDB_INDEX_VECTOR_INDEX_H_
