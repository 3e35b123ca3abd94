// VectorIndex: an in-memory nearest-neighbour index over (label, vector)
// pairs. Labels are opaque 64-bit numbers chosen by the caller; the
// collection layer maps them to point ids.
//
// Two implementations:
//   NewHnswIndex()  hnswlib's HNSW graph (approximate; the serving index)
//   NewFlatIndex()  exact search (test oracle, small candidate sets)
//
// Writes come in two phases, so that the expensive part runs beside
// searches and other writes:
//   Stage()    links new vectors into the index, invisible to searches
//              (concurrent with everything);
//   Publish()  makes a staged write, and removals, visible as of a
//              sequence number (cheap; the caller calls it in sequence
//              order, one at a time).
// Every search sees the index at a snapshot: the writes published up to a
// sequence number (kLatestSnapshot: the newest). A replaced label's old
// vector stays visible to searches at older snapshots.
//
// Thread safety (NewHnswIndex): every method may be called from any
// thread at any time, except that Publish() calls must not overlap each
// other. FlatIndex (a test oracle) needs external exclusion for writes.
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
#include "common/byte_io.h"  // ByteSink: receives an index's serialised bytes
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
  // Niceness (0..19) of the threads that link written vectors into the
  // graph and build its compacted copy: above 0 they yield the CPU to
  // searches and take what searches leave. 0 links on the calling thread
  // too. Default: 5.
  int link_nice = 5;
  // Fault injection for tests: when set, every Stage() calls it first and
  // fails with its status if that is not OK. Default: none.
  std::function<absl::Status()> stage_fault;
};

// The newest published state, as a search snapshot.
inline constexpr uint64_t kLatestSnapshot = ~uint64_t{0};

// What an index did in the background, for stats.
struct MaintenanceStats {
  // Compactions completed, and the slots the last one reclaimed.
  uint64_t compactions = 0;
  uint64_t last_compaction_reclaimed = 0;
  // Seconds since the epoch of the last compaction's end (0 = never).
  int64_t last_compaction_unix = 0;
};

// Vectors staged into an index by Stage(), invisible until Publish();
// a StagedWrite that is neither published nor abandoned is abandoned when
// destroyed. Move-only.
class StagedWrite {
 public:
  StagedWrite() = default;
  StagedWrite(StagedWrite&&) = default;
  StagedWrite& operator=(StagedWrite&&) = default;
  ~StagedWrite() {
    if (abandon_) abandon_();
  }
  bool empty() const { return labels_.empty(); }
  const std::vector<uint64_t>& labels() const { return labels_; }

  // For implementations: the labels, the implementation's state, and what
  // to do if the write is dropped unpublished.
  StagedWrite(std::vector<uint64_t> labels, std::shared_ptr<void> state,
              std::function<void()> abandon)
      : labels_(std::move(labels)),
        state_(std::move(state)),
        abandon_(std::move(abandon)) {}
  const std::shared_ptr<void>& state() const { return state_; }
  // Called by Publish()/Abandon(): the write is settled.
  void Settle() { abandon_ = nullptr; }

 private:
  std::vector<uint64_t> labels_;
  std::shared_ptr<void> state_;
  std::function<void()> abandon_;
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

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  // Links each (label, vector) pair into the index as a new, invisible
  // version of `label`. `vectors` holds labels.size() * dimension floats,
  // row by row; labels distinct. InvalidArgument on a size mismatch or
  // (kCosine) a zero vector; ResourceExhausted when memory runs out;
  // nothing is staged then.
  virtual absl::StatusOr<StagedWrite> Stage(absl::Span<const uint64_t> labels,
                                            absl::Span<const float> vectors) =
      0;
  // Makes `staged` (may be empty) the current versions of its labels, and
  // removes `removed` (unknown labels ignored), as of sequence number
  // `seq`: searches at snapshots >= seq see the new state, older ones the
  // old. REQUIRES: seq >= every earlier Publish()'s; no concurrent
  // Publish().
  virtual void Publish(uint64_t seq, StagedWrite staged,
                       absl::Span<const uint64_t> removed) = 0;
  // Drops a staged write that will not be published.
  virtual void Abandon(StagedWrite staged) = 0;
  // The newest sequence number published.
  virtual uint64_t PublishedSeq() const = 0;

  // Stage() + Publish() at PublishedSeq(): a label already present has
  // its vector replaced.
  absl::Status Add(absl::Span<const uint64_t> labels,
                   absl::Span<const float> vectors) {
    auto staged = Stage(labels, vectors);
    if (!staged.ok()) return staged.status();
    Publish(PublishedSeq(), *std::move(staged), {});
    return absl::OkStatus();
  }
  // Publish() of removals only, at PublishedSeq().
  void Remove(absl::Span<const uint64_t> labels) {
    Publish(PublishedSeq(), StagedWrite(), labels);
  }

  // Links again every live vector that a search could not reach (HNSW: a
  // breadth-first walk of the base layer, O(slots * M)). Runs beside
  // searches and writes.
  virtual absl::Status EnsureReachable() { return absl::OkStatus(); }
  // Whether background work is due: a reachability walk (fresh inserts
  // since the last reached Slots() / 16) or a compaction (removed slots
  // reached `compact_fraction` of all slots).
  virtual bool MaintenanceDue(double compact_fraction) const { return false; }
  // Does the due work: the walk, or a compaction that builds a graph of
  // the live vectors beside the old one (searches and writes go on; writes
  // pause only while the last changes are carried over) and swaps it in.
  virtual absl::Status Maintain(double compact_fraction) {
    return absl::OkStatus();
  }
  virtual MaintenanceStats Maintenance() const { return {}; }

  // The k nearest live vectors to `query`, closest first: exactly
  // min(k, Size()) hits. `ef` is the search breadth for this call only
  // (0 = the index's default; raised to k when lower); concurrent searches
  // with different ef do not affect each other.
  virtual absl::StatusOr<std::vector<SearchHit>> Search(
      absl::Span<const float> query, size_t k, size_t ef,
      uint64_t snapshot = kLatestSnapshot) const = 0;

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
      SearchStats* stats, uint64_t snapshot = kLatestSnapshot) const = 0;

  // Exact search among `labels`: the k nearest of those present in the
  // index, closest first (labels not in the index are skipped; duplicates
  // count once). `stats` may be null.
  virtual absl::StatusOr<std::vector<SearchHit>> SearchAmong(
      absl::Span<const float> query, size_t k,
      absl::Span<const uint64_t> labels, SearchStats* stats,
      uint64_t snapshot = kLatestSnapshot) const = 0;

  virtual bool Contains(uint64_t label) const = 0;
  // Live vectors.
  virtual size_t Size() const = 0;
  // Allocated slots, live and deleted.
  virtual size_t Slots() const = 0;
  // Slots of removed (replaced or deleted) vectors, until compaction.
  virtual size_t DeletedSlots() const = 0;
  // Approximate heap bytes held.
  virtual size_t MemoryBytes() const = 0;

  // Writes the index as of PublishedSeq() to `sink` (format:
  // docs/on_disk_format.md). Writes wait meanwhile; searches go on.
  virtual absl::Status Serialize(const ByteSink& sink) const = 0;
};

absl::StatusOr<std::unique_ptr<VectorIndex>> NewHnswIndex(
    const IndexOptions& options);

// Rebuilds an HNSW index from Serialize() output. Every count and size is
// checked against `bytes` before anything is allocated; malformed bytes, or
// bytes written for other options (dimension, metric, m), give DataLoss.
// The loaded index reports MaintenanceDue(): its first Maintain() walks it
// for slots no search can reach (a graph checkpointed before a repair, or
// damaged in a way the format checks cannot see) and relinks them; until
// then it serves what the graph held when it was written.
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
