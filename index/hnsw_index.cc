// HnswIndex: VectorIndex over hnswlib 0.6.2's HierarchicalNSW<float>. This
// is the only translation unit that includes hnswlib (through the private
// headers in index/internal/); every hnswlib call is wrapped so that its
// exceptions become Status values here.
//
// Serialised layout (all numbers little-endian; format version 1):
//
//   offset  size  field
//   0       8     magic "VHNSW001"
//   8       4     u32 format version (1)
//   12      4     u32 dimension
//   16      4     u32 metric (1 cosine, 2 l2, 3 inner product)
//   20      4     u32 M
//   24      4     u32 maxM  (= M, links per upper-level list)
//   28      4     u32 maxM0 (= 2M, links per base-layer list)
//   32      4     u32 ef_construction
//   36      4     u32 entry point slot (0xFFFFFFFF when there are no slots)
//   40      4     i32 top level (-1 when there are no slots)
//   44      4     u32 reserved, 0
//   48      8     u64 N, slots (live and deleted)
//   56      8     u64 D, deleted slots
//   64      8     u64 S, bytes per base-layer record = 4 + 4*maxM0 + 4*dim + 8
//   72      8     u64 U, bytes per upper-level list = 4 + 4*maxM
//   80      N*S   base layer, slot by slot, as hnswlib holds it in memory:
//                   u32 link word: bits 0-15 link count (<= maxM0),
//                       bits 16-23 flags (bit 0: deleted), bits 24-31 zero
//                   maxM0 x u32 neighbour slots (the first `count` used)
//                   dim x f32 vector (unit length under cosine)
//                   u64 label
//   then    per slot i in order: u32 level L_i (<= top level), then L_i
//           upper-level lists of U bytes (levels 1..L_i), each a u32 link
//           count (<= maxM, upper 16 bits zero) and maxM x u32 neighbours
//   then    u64 D again, then D x u32 deleted slots in reuse order (the
//           last is reused first)
//
// The file must end exactly there. Loading checks, before allocating in
// proportion to them, that N and every level fit the bytes; then that
// every neighbour is an existing slot reaching that level, the entry point
// is on the top level, vectors are finite, live labels are distinct and
// the deleted list names exactly the slots flagged deleted.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/internal/hnsw_format.h"
#include "index/internal/hnsw_graph.h"
#include "index/internal/hnsw_insert.h"
#include "index/internal/hnsw_repair.h"
#include "index/internal/vector_checks.h"
#include "index/vector_index.h"

namespace vecdb {
namespace {

using index_internal::Candidate;
using index_internal::HnswGraph;
using index_internal::tableint;

// hnswlib's level generator seed: fixed so that a single-threaded build of
// the same inserts gives the same graph.
constexpr size_t kLevelSeed = 100;
// Batches smaller than this are inserted on the calling thread.
constexpr size_t kMinParallelBatch = 64;
// Slots are u32 and hnswlib reserves -1.
constexpr size_t kMaxSlots = 0xFFFFFFFE;
// A batch of only fresh inserts runs the reachability walk once the fresh
// slots since the last walk reach 1/16 of all slots.
constexpr size_t kFreshRepairFraction = 16;

absl::Status HnswFailure(const char* operation, const char* what) {
  return absl::InternalError(absl::StrCat("hnswlib ", operation, ": ", what));
}

std::unique_ptr<hnswlib::SpaceInterface<float>> MakeSpace(Metric metric,
                                                          size_t dimension) {
  if (metric == Metric::kL2) {
    return std::make_unique<hnswlib::L2Space>(dimension);
  }
  // Cosine is inner product over vectors normalised on the way in.
  return std::make_unique<hnswlib::InnerProductSpace>(dimension);
}

class HnswIndex final : public VectorIndex {
 public:
  // Builds an empty graph with room for `capacity` (>= 1) slots.
  static absl::StatusOr<std::unique_ptr<HnswIndex>> Create(
      const IndexOptions& options, size_t capacity) {
    auto index = std::unique_ptr<HnswIndex>(new HnswIndex(options));
    try {
      index->graph_ = std::make_unique<HnswGraph>(
          index->space_.get(), capacity, options.hnsw.m,
          options.hnsw.ef_construction, kLevelSeed);
    } catch (const std::exception& e) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "cannot allocate an hnsw index of ", capacity, " slots: ", e.what()));
    }
    return index;
  }

  HnswGraph& graph() { return *graph_; }
  // Links again every live slot that search cannot reach.
  absl::Status RepairReachability();
  void set_free_slots(std::vector<tableint> slots) {
    free_slots_ = std::move(slots);
  }

  absl::Status Add(absl::Span<const uint64_t> labels,
                   absl::Span<const float> vectors) override;
  absl::Status EnsureReachable() override { return RepairReachability(); }
  void Remove(absl::Span<const uint64_t> labels) override;
  absl::StatusOr<std::vector<SearchHit>> Search(absl::Span<const float> query,
                                                size_t k,
                                                size_t ef) const override;
  absl::StatusOr<std::vector<SearchHit>> SearchFiltered(
      absl::Span<const float> query, size_t k, size_t ef,
      const LabelFilter* filter, size_t max_distance_computations,
      SearchStats* stats) const override;
  absl::StatusOr<std::vector<SearchHit>> SearchAmong(
      absl::Span<const float> query, size_t k,
      absl::Span<const uint64_t> labels, SearchStats* stats) const override;

  bool Contains(uint64_t label) const override {
    return graph_->label_lookup_.contains(label);
  }
  size_t Size() const override { return graph_->label_lookup_.size(); }
  size_t Slots() const override { return graph_->cur_element_count; }
  size_t DeletedSlots() const override { return free_slots_.size(); }
  size_t MemoryBytes() const override;

  absl::Status Serialize(const ByteSink& sink) const override {
    return index_internal::WriteHnswGraph(
        *graph_, options_.metric, options_.dimension, free_slots_, sink);
  }

 private:
  explicit HnswIndex(const IndexOptions& options)
      : options_(options),
        space_(MakeSpace(options.metric, options.dimension)) {}

  absl::Status Reserve(size_t new_slots);
  // Puts labels new to the index into fresh slots, linking them on up to
  // insert_threads threads (index/internal/hnsw_insert.h).
  absl::Status InsertFresh(
      const std::vector<std::pair<uint64_t, const float*>>& items);
  // The query as the graph stores vectors (unit length under kCosine).
  absl::StatusOr<std::vector<float>> PrepareQuery(
      absl::Span<const float> query) const;
  std::vector<SearchHit> ToHits(const std::vector<Candidate>& found) const;
  float ToReported(float distance) const {
    return options_.metric == Metric::kL2 ? std::sqrt(std::max(distance, 0.0f))
                                          : distance;
  }

  const IndexOptions options_;
  // Declared before graph_: the graph keeps a pointer into the space.
  std::unique_ptr<hnswlib::SpaceInterface<float>> space_;
  std::unique_ptr<HnswGraph> graph_;
  // Deleted slots; their labels are already gone from label_lookup_, so
  // label_lookup_ holds exactly the live labels.
  std::vector<tableint> free_slots_;
  // Fresh slots linked since the last reachability repair.
  size_t fresh_since_repair_ = 0;
};

absl::Status HnswIndex::Add(absl::Span<const uint64_t> labels,
                            absl::Span<const float> vectors) {
  const uint32_t dim = options_.dimension;
  VECDB_RETURN_IF_ERROR(
      index_internal::ValidateBatch(options_.metric, dim, labels, vectors));
  const std::vector<float> prepared =
      index_internal::PrepareVectors(options_.metric, dim, vectors);

  std::vector<std::pair<tableint, const float*>> replacements;
  std::vector<std::pair<uint64_t, const float*>> additions;
  for (size_t i = 0; i < labels.size(); ++i) {
    const float* row = prepared.data() + i * dim;
    auto it = graph_->label_lookup_.find(labels[i]);
    if (it != graph_->label_lookup_.end()) {
      replacements.emplace_back(it->second, row);
    } else {
      additions.emplace_back(labels[i], row);
    }
  }
  const size_t reused = std::min(additions.size(), free_slots_.size());
  VECDB_RETURN_IF_ERROR(Reserve(additions.size() - reused));

  // updatePoint draws from one unguarded random generator and relinks
  // slots that are already reachable, so replacements and slot reuse run on
  // this thread; only fresh slots are linked in parallel.
  try {
    for (auto [slot, row] : replacements) graph_->updatePoint(row, slot, 1.0f);
    for (size_t i = 0; i < reused; ++i) {
      const tableint slot = free_slots_.back();
      free_slots_.pop_back();
      auto [label, row] = additions[i];
      graph_->setExternalLabel(slot, label);
      graph_->label_lookup_[label] = slot;
      graph_->unmarkDeletedInternal(slot);
      graph_->updatePoint(row, slot, 1.0f);
    }
  } catch (const std::exception& e) {
    return HnswFailure("update", e.what());
  }
  additions.erase(additions.begin(), additions.begin() + reused);
  VECDB_RETURN_IF_ERROR(InsertFresh(additions));
  fresh_since_repair_ += additions.size();
  // Rewritten link lists (replacements, reused slots) are the usual cause
  // of an unreachable slot: repair at once. Fresh inserts only lose
  // in-links to the pruning of full lists, as in hnswlib itself; for them
  // the walk is amortised, once per Slots() / kFreshRepairFraction fresh
  // slots, so that bulk loads do not pay O(slots) per batch.
  if (!replacements.empty() || reused > 0 ||
      fresh_since_repair_ * kFreshRepairFraction >= graph_->cur_element_count) {
    return RepairReachability();
  }
  return absl::OkStatus();
}

// Rewritten and pruned link lists can leave a live slot that no search
// reaches; RepairReachability links such slots again. The walk costs
// O(slots * M) memory reads.
absl::Status HnswIndex::RepairReachability() {
  fresh_since_repair_ = 0;
  try {
    index_internal::RepairReachability(*graph_);
  } catch (const std::exception& e) {
    return HnswFailure("repair", e.what());
  }
  return absl::OkStatus();
}

// Grows capacity (doubling) so that `new_slots` more slots fit. resizeIndex
// is safe here because Add() has exclusive access.
absl::Status HnswIndex::Reserve(size_t new_slots) {
  const size_t needed = graph_->cur_element_count + new_slots;
  if (needed > kMaxSlots) {
    return absl::ResourceExhaustedError(
        absl::StrCat("an hnsw index holds at most ", kMaxSlots, " slots"));
  }
  if (needed <= graph_->max_elements_) return absl::OkStatus();
  size_t capacity = std::max<size_t>(graph_->max_elements_, 1);
  while (capacity < needed) capacity *= 2;
  capacity = std::min(capacity, kMaxSlots);
  try {
    graph_->resizeIndex(capacity);
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "cannot grow the hnsw index to ", capacity, " slots: ", e.what()));
  }
  return absl::OkStatus();
}

absl::Status HnswIndex::InsertFresh(
    const std::vector<std::pair<uint64_t, const float*>>& items) {
  if (items.empty()) return absl::OkStatus();
  std::vector<index_internal::FreshItem> fresh;
  fresh.reserve(items.size());
  for (auto [label, row] : items) fresh.push_back({label, row});
  std::vector<tableint> slots;
  try {
    VECDB_ASSIGN_OR_RETURN(slots, index_internal::PrepareSlots(*graph_, fresh));
    slots = index_internal::LinkRaisingSlots(*graph_, slots);
  } catch (const std::exception& e) {
    return HnswFailure("insert", e.what());
  }

  size_t threads = options_.insert_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (slots.size() < kMinParallelBatch) threads = 1;
  threads = std::min(threads, slots.size());

  std::atomic<size_t> next{0};
  std::mutex error_mu;
  absl::Status error;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < slots.size();) {
      try {
        index_internal::LinkSlot(*graph_, slots[i]);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (error.ok()) error = HnswFailure("insert", e.what());
        next = slots.size();
      }
    }
  };
  std::vector<std::thread> pool;
  if (threads > 1) pool.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return error;
}

void HnswIndex::Remove(absl::Span<const uint64_t> labels) {
  for (uint64_t label : labels) {
    auto it = graph_->label_lookup_.find(label);
    if (it == graph_->label_lookup_.end()) continue;
    const tableint slot = it->second;
    graph_->label_lookup_.erase(it);
    // Live labels are never marked deleted, so this cannot throw.
    if (!graph_->isMarkedDeleted(slot)) graph_->markDeletedInternal(slot);
    free_slots_.push_back(slot);
  }
}

absl::StatusOr<std::vector<float>> HnswIndex::PrepareQuery(
    absl::Span<const float> query) const {
  VECDB_RETURN_IF_ERROR(index_internal::ValidateQuery(
      options_.metric, options_.dimension, query));
  std::vector<float> q(query.begin(), query.end());
  if (options_.metric == Metric::kCosine) {
    index_internal::Normalize(absl::MakeSpan(q));
  }
  return q;
}

std::vector<SearchHit> HnswIndex::ToHits(
    const std::vector<Candidate>& found) const {
  std::vector<SearchHit> hits;
  hits.reserve(found.size());
  for (const Candidate& c : found) {
    hits.push_back({graph_->getExternalLabel(c.slot), ToReported(c.distance)});
  }
  return hits;
}

absl::StatusOr<std::vector<SearchHit>> HnswIndex::Search(
    absl::Span<const float> query, size_t k, size_t ef) const {
  VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
  k = std::min(k, Size());
  if (ef == 0) ef = options_.hnsw.ef_search;
  std::vector<Candidate> found;
  try {
    found = graph_->SearchLive(q.data(), k, ef);
    // Heavy deletion can leave too few live slots reachable from the
    // entry point; an exact scan keeps the min(k, Size()) promise.
    if (found.size() < k) found = graph_->ExactLive(q.data(), k);
  } catch (const std::exception& e) {
    return HnswFailure("search", e.what());
  }
  return ToHits(found);
}

absl::StatusOr<std::vector<SearchHit>> HnswIndex::SearchFiltered(
    absl::Span<const float> query, size_t k, size_t ef,
    const LabelFilter* filter, size_t max_distance_computations,
    SearchStats* stats) const {
  VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
  k = std::min(k, Size());
  if (ef == 0) ef = options_.hnsw.ef_search;
  index_internal::WalkTally tally{.budget = max_distance_computations};
  std::vector<Candidate> found;
  try {
    found = graph_->SearchFiltered(q.data(), k, ef, filter, &tally);
  } catch (const std::exception& e) {
    return HnswFailure("search", e.what());
  }
  if (stats != nullptr) {
    *stats = {.distance_computations = tally.distance_computations,
              .nodes_expanded = tally.nodes_expanded,
              .budget_exhausted = tally.budget_exhausted};
  }
  return ToHits(found);
}

// Duplicated labels map to one slot; the slot's mark in a visited list
// (from hnswlib's pool, as the graph walk uses) gives each one distance.
// Equal distances go to the smaller label, as in FlatIndex.
absl::StatusOr<std::vector<SearchHit>> HnswIndex::SearchAmong(
    absl::Span<const float> query, size_t k, absl::Span<const uint64_t> labels,
    SearchStats* stats) const {
  VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
  if (stats != nullptr) *stats = {};
  if (k == 0 || labels.empty()) return std::vector<SearchHit>{};
  std::vector<std::pair<float, uint64_t>> best;  // heap, the worst on top
  best.reserve(std::min(k, labels.size()) + 1);
  uint64_t computations = 0;
  try {
    HnswGraph::VisitedLease seen(*graph_);
    for (uint64_t label : labels) {
      auto it = graph_->label_lookup_.find(label);
      if (it == graph_->label_lookup_.end() || seen.Visit(it->second)) continue;
      ++computations;
      // Ranked in reported units, so that distances equal after the
      // conversion tie-break by label as they do everywhere else.
      const std::pair<float, uint64_t> scored{
          ToReported(graph_->DistanceTo(q.data(), it->second)), label};
      if (best.size() == k && !(scored < best.front())) continue;
      best.push_back(scored);
      std::push_heap(best.begin(), best.end());
      if (best.size() > k) {
        std::pop_heap(best.begin(), best.end());
        best.pop_back();
      }
    }
  } catch (const std::exception& e) {
    return HnswFailure("search", e.what());
  }
  if (stats != nullptr) stats->distance_computations = computations;
  std::sort_heap(best.begin(), best.end());
  std::vector<SearchHit> hits;
  hits.reserve(best.size());
  for (auto [distance, label] : best) hits.push_back({label, distance});
  return hits;
}

size_t HnswIndex::MemoryBytes() const {
  const HnswGraph& g = *graph_;
  const size_t per_slot_overhead =
      sizeof(void*) + sizeof(int) + sizeof(std::mutex) +
      sizeof(hnswlib::vl_type);  // link list pointer, level, lock, visited
  const size_t label_map =
      g.label_lookup_.size() * (sizeof(uint64_t) + sizeof(tableint) + 16) +
      g.label_lookup_.bucket_count() * sizeof(void*);
  return g.max_elements_ * (g.size_data_per_element_ + per_slot_overhead) +
         g.UpperLinkBytes() + label_map +
         hnswlib::HierarchicalNSW<float>::max_update_element_locks *
             sizeof(std::mutex) +
         free_slots_.capacity() * sizeof(tableint);
}

}  // namespace

absl::StatusOr<std::unique_ptr<VectorIndex>> NewHnswIndex(
    const IndexOptions& options) {
  VECDB_RETURN_IF_ERROR(index_internal::ValidateOptions(options));
  VECDB_ASSIGN_OR_RETURN(
      std::unique_ptr<HnswIndex> index,
      HnswIndex::Create(options,
                        std::max<size_t>(options.initial_capacity, 1)));
  return index;
}

absl::StatusOr<std::unique_ptr<VectorIndex>> LoadHnswIndex(
    const IndexOptions& options, std::string_view bytes) {
  VECDB_RETURN_IF_ERROR(index_internal::ValidateOptions(options));
  VECDB_ASSIGN_OR_RETURN(index_internal::ParsedHnsw parsed,
                         index_internal::ParseHnswGraph(bytes, options));
  const size_t capacity =
      std::max<size_t>({parsed.header.slots, options.initial_capacity, 1});
  VECDB_ASSIGN_OR_RETURN(std::unique_ptr<HnswIndex> index,
                         HnswIndex::Create(options, capacity));
  try {
    VECDB_RETURN_IF_ERROR(
        index_internal::InstallHnswGraph(parsed, index->graph()));
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot load the hnsw index: ", e.what()));
  }
  index->set_free_slots(std::vector<tableint>(parsed.free_slots.begin(),
                                              parsed.free_slots.end()));
  // Graphs written before a repair existed, or damaged in a way the format
  // checks cannot see, still serve every live vector.
  VECDB_RETURN_IF_ERROR(index->RepairReachability());
  return index;
}

}  // namespace vecdb
