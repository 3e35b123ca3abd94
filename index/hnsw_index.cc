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
//   80      N*S   base layer, slot by slot, in hnswlib's record layout:
//                   u32 link word: bits 0-15 link count (<= maxM0),
//                       bits 16-23 flags (bit 0: deleted), bits 24-31 zero
//                       (in memory the word holds the count alone; a
//                       slot's visibility is its Lifetime)
//                   maxM0 x u32 neighbour slots (the first `count` used)
//                   dim x f32 vector (unit length under cosine)
//                   u64 label
//   then    per slot i in order: u32 level L_i (<= top level), then L_i
//           upper-level lists of U bytes (levels 1..L_i), each a u32 link
//           count (<= maxM, upper 16 bits zero) and maxM x u32 neighbours
//   then    u64 D again, then D x u32 deleted slots in ascending order
//
// The file must end exactly there. Loading checks, before allocating in
// proportion to them, that N and every level fit the bytes; then that
// every neighbour is an existing slot reaching that level, the entry point
// is on the top level, vectors are finite, live labels are distinct and
// the deleted list names exactly the slots flagged deleted.

//
// Versions: the index holds one HnswGraph at a time; searches pin it with
// a shared_ptr, so growth and compaction build a new graph and swap it in
// while searches of the old one finish undisturbed.

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/mutex.h"
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
using index_internal::kNever;
using index_internal::kNoSlot;
using index_internal::kPending;
using index_internal::tableint;

// hnswlib's level generator seed: fixed so that a single-threaded build of
// the same inserts gives the same graph.
constexpr size_t kLevelSeed = 100;
// Batches smaller than this are linked on the calling thread.
constexpr size_t kMinParallelBatch = 64;
// Slots are u32 and hnswlib reserves -1.
constexpr size_t kMaxSlots = 0xFFFFFFFE;
// The reachability walk is due once the fresh slots since the last walk
// reach 1/16 of all slots.
constexpr size_t kFreshRepairFraction = 16;
// Compaction copies the writes that arrived during its build in rounds
// without blocking writers, and takes the last round (at most about this
// many slots) with writers paused.
constexpr size_t kCatchUpSlots = 2048;
constexpr int kCatchUpRounds = 4;

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

int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The slots of a staged write. Compaction renumbers them (under the link
// mutex, exclusively) when it swaps in a new graph.
struct StagedSlots {
  std::vector<tableint> slots;
};

class HnswIndex final : public VectorIndex {
 public:
  // An empty index with room for `capacity` (>= 1) slots.
  static absl::StatusOr<std::unique_ptr<HnswIndex>> Create(
      const IndexOptions& options, size_t capacity) {
    auto index = std::unique_ptr<HnswIndex>(new HnswIndex(options));
    VECDB_ASSIGN_OR_RETURN(std::shared_ptr<HnswGraph> graph,
                           index->NewGraph(capacity));
    MutexLock lock(&index->version_mu_);
    index->graph_ = std::move(graph);
    return index;
  }

  // The graph, for loading. REQUIRES: the index is not shared yet.
  HnswGraph& graph_for_load() { return *Current(); }
  // Counts taken from a loaded graph. REQUIRES: not shared yet.
  void InitCounts() {
    std::shared_ptr<HnswGraph> g = Current();
    size_t removed = 0;
    for (tableint s = 0; s < g->SlotCount(); ++s) removed += !g->NotDead(s);
    removed_slots_ = removed;
    ReaderMutexLock lock(&g->labels_mu);
    live_ = g->current.size();
    // A loaded graph is walked for unreachable slots by the next
    // Maintain(), off the open path.
    fresh_since_repair_ = g->SlotCount();
  }

  absl::StatusOr<StagedWrite> Stage(absl::Span<const uint64_t> labels,
                                    absl::Span<const float> vectors) override;
  void Publish(uint64_t seq, StagedWrite staged,
               absl::Span<const uint64_t> removed) override;
  void Abandon(StagedWrite staged) override;
  uint64_t PublishedSeq() const override { return published_.load(); }

  absl::Status EnsureReachable() override;
  bool MaintenanceDue(double compact_fraction) const override {
    return CompactionDue(compact_fraction) || RepairDue();
  }
  absl::Status Maintain(double compact_fraction) override;
  MaintenanceStats Maintenance() const override {
    MutexLock lock(&stats_mu_);
    return stats_;
  }

  absl::StatusOr<std::vector<SearchHit>> Search(
      absl::Span<const float> query, size_t k, size_t ef,
      uint64_t snapshot) const override;
  absl::StatusOr<std::vector<SearchHit>> SearchFiltered(
      absl::Span<const float> query, size_t k, size_t ef,
      const LabelFilter* filter, size_t max_distance_computations,
      SearchStats* stats, uint64_t snapshot) const override;
  absl::StatusOr<std::vector<SearchHit>> SearchAmong(
      absl::Span<const float> query, size_t k,
      absl::Span<const uint64_t> labels, SearchStats* stats,
      uint64_t snapshot) const override;

  bool Contains(uint64_t label) const override {
    std::shared_ptr<HnswGraph> g = Current();
    ReaderMutexLock lock(&g->labels_mu);
    return g->current.contains(label);
  }
  size_t Size() const override { return live_.load(); }
  size_t Slots() const override { return Current()->SlotCount(); }
  size_t DeletedSlots() const override { return removed_slots_.load(); }
  size_t MemoryBytes() const override;

  absl::Status Serialize(const ByteSink& sink) const override {
    MutexLock link(&link_mu_);
    std::shared_ptr<HnswGraph> g = Current();
    return index_internal::WriteHnswGraph(*g, options_.metric,
                                          options_.dimension,
                                          published_.load(), sink);
  }

 private:
  explicit HnswIndex(const IndexOptions& options)
      : options_(options),
        space_(MakeSpace(options.metric, options.dimension)) {}

  std::shared_ptr<HnswGraph> Current() const {
    MutexLock lock(&version_mu_);
    return graph_;
  }
  // A search's snapshot: never older than the graph's own base.
  uint64_t Resolve(const HnswGraph& g, uint64_t snapshot) const {
    const uint64_t s =
        snapshot == kLatestSnapshot ? published_.load() : snapshot;
    return std::max(s, g.base_seq);
  }
  absl::StatusOr<std::shared_ptr<HnswGraph>> NewGraph(size_t capacity) const;
  // A copy of `from` (slot numbers kept) with room for `capacity` slots.
  // REQUIRES: nothing writes `from` meanwhile.
  absl::StatusOr<std::shared_ptr<HnswGraph>> CopyGraph(const HnswGraph& from,
                                                       size_t capacity) const;
  // Swaps in a copy of the graph with room for `more` more slots.
  absl::Status Grow(size_t more);
  // Links prepared `slots` of `g`, on up to insert_threads threads.
  absl::Status LinkAll(HnswGraph& g, const std::vector<tableint>& slots,
                       size_t threads) const;
  void Settle(StagedWrite& staged, StagedSlots* state);
  void AbandonState(const std::shared_ptr<StagedSlots>& state);

  bool CompactionDue(double fraction) const {
    const size_t removed = removed_slots_.load();
    return removed > 0 &&
           static_cast<double>(removed) >=
               fraction * static_cast<double>(Current()->SlotCount());
  }
  bool RepairDue() const {
    const size_t fresh = fresh_since_repair_.load();
    return fresh > 0 &&
           fresh * kFreshRepairFraction >= Current()->SlotCount();
  }
  absl::Status Compact();

  absl::StatusOr<std::vector<float>> PrepareQuery(
      absl::Span<const float> query) const;
  std::vector<SearchHit> ToHits(const HnswGraph& g,
                                const std::vector<Candidate>& found) const;
  float ToReported(float distance) const {
    return options_.metric == Metric::kL2 ? std::sqrt(std::max(distance, 0.0f))
                                          : distance;
  }
  size_t InsertThreads() const {
    return options_.insert_threads != 0
               ? options_.insert_threads
               : std::max(1u, std::thread::hardware_concurrency());
  }

  const IndexOptions options_;
  // Declared before the graphs: they keep a pointer into the space.
  std::unique_ptr<hnswlib::SpaceInterface<float>> space_;

  // Guards the pointer to the current graph (held for a copy only).
  mutable Mutex version_mu_;
  std::shared_ptr<HnswGraph> graph_ ABSL_GUARDED_BY(version_mu_);
  // Shared by Stage, Publish, Abandon and repairs (which change the
  // current graph in place); exclusive to replace the graph (growth,
  // compaction's last round) or to serialise it. Searches never take it.
  mutable Mutex link_mu_;
  // One compaction or background repair at a time.
  Mutex maintain_mu_;

  std::atomic<uint64_t> published_{0};
  std::atomic<size_t> live_{0};
  std::atomic<size_t> removed_slots_{0};
  std::atomic<size_t> fresh_since_repair_{0};

  // Staged writes not yet settled, for compaction to renumber.
  Mutex staged_mu_;
  absl::flat_hash_set<StagedSlots*> staged_ ABSL_GUARDED_BY(staged_mu_);

  mutable Mutex stats_mu_;
  MaintenanceStats stats_ ABSL_GUARDED_BY(stats_mu_);
};

absl::StatusOr<std::shared_ptr<HnswGraph>> HnswIndex::NewGraph(
    size_t capacity) const {
  try {
    auto graph = std::make_shared<HnswGraph>(space_.get(), capacity,
                                             options_.hnsw.m,
                                             options_.hnsw.ef_construction,
                                             kLevelSeed);
    return graph;
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "cannot allocate an hnsw index of ", capacity, " slots: ", e.what()));
  }
}

absl::StatusOr<std::shared_ptr<HnswGraph>> HnswIndex::CopyGraph(
    const HnswGraph& from, size_t capacity) const {
  VECDB_ASSIGN_OR_RETURN(std::shared_ptr<HnswGraph> to, NewGraph(capacity));
  const size_t n = from.SlotCount();
  std::memcpy(to->data_level0_memory_, from.data_level0_memory_,
              n * from.size_data_per_element_);
  for (size_t i = 0; i < n; ++i) {
    const int level = from.element_levels_[i];
    to->linkLists_[i] = nullptr;
    if (level > 0) {
      const size_t bytes = from.size_links_per_element_ * level;
      char* lists = static_cast<char*>(std::calloc(bytes + 4, 1));
      if (lists == nullptr) {
        to->cur_element_count = i;
        return absl::ResourceExhaustedError("no memory for hnsw link lists");
      }
      std::memcpy(lists, from.linkLists_[i], bytes);
      to->linkLists_[i] = lists;
    }
    to->element_levels_[i] = level;
    to->life(i).born.store(from.life(i).born.load());
    to->life(i).dead.store(from.life(i).dead.load());
  }
  to->cur_element_count = n;
  to->SetSlotCount(n);
  to->level_generator_ = from.level_generator_;
  to->ef_construction_ = from.ef_construction_;
  to->base_seq = from.base_seq;
  {
    ReaderMutexLock from_labels(&from.labels_mu);
    MutexLock to_labels(&to->labels_mu);
    to->current = from.current;
    std::copy(from.prev_.begin(), from.prev_.begin() + n, to->prev_.begin());
  }
  const HnswGraph::Entry entry = from.LoadEntry();
  if (entry.slot != kNoSlot) {
    std::lock_guard<std::mutex> raise(to->raise_mu);
    to->StoreEntry(entry.slot, entry.level);
  }
  return to;
}

absl::Status HnswIndex::Grow(size_t more) {
  MutexLock link(&link_mu_);
  std::shared_ptr<HnswGraph> g = Current();
  size_t used;
  {
    std::lock_guard<std::mutex> alloc(g->alloc_mu);
    used = g->cur_element_count;
  }
  const size_t needed = used + more;
  if (needed > kMaxSlots) {
    return absl::ResourceExhaustedError(
        absl::StrCat("an hnsw index holds at most ", kMaxSlots, " slots"));
  }
  if (needed <= g->Capacity()) return absl::OkStatus();
  size_t capacity = std::max<size_t>(g->Capacity(), 1);
  while (capacity < needed) capacity *= 2;
  capacity = std::min(capacity, kMaxSlots);
  VECDB_ASSIGN_OR_RETURN(std::shared_ptr<HnswGraph> bigger,
                         CopyGraph(*g, capacity));
  MutexLock lock(&version_mu_);
  graph_ = std::move(bigger);
  return absl::OkStatus();
}

absl::Status HnswIndex::LinkAll(HnswGraph& g,
                                const std::vector<tableint>& slots,
                                size_t threads) const {
  if (slots.size() < kMinParallelBatch) threads = 1;
  threads = std::max<size_t>(1, std::min(threads, slots.size()));
  std::atomic<size_t> next{0};
  std::mutex error_mu;
  absl::Status error;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < slots.size();) {
      try {
        index_internal::LinkSlot(g, slots[i]);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (error.ok()) error = HnswFailure("insert", e.what());
        next = slots.size();
      }
    }
  };
  // With a niceness, linking yields the CPU to searches: every worker is
  // a thread of its own at the lower priority (the caller's priority is
  // left alone). Without, the caller is one of the workers.
  const bool nice = options_.link_nice != 0;
  std::vector<std::thread> pool;
  for (size_t t = nice ? 0 : 1; t < threads; ++t) {
    pool.emplace_back([&] {
      if (nice) {
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)),
                    options_.link_nice);
      }
      work();
    });
  }
  if (!nice) work();
  for (std::thread& thread : pool) thread.join();
  return error;
}

absl::StatusOr<StagedWrite> HnswIndex::Stage(absl::Span<const uint64_t> labels,
                                             absl::Span<const float> vectors) {
  const uint32_t dim = options_.dimension;
  VECDB_RETURN_IF_ERROR(
      index_internal::ValidateBatch(options_.metric, dim, labels, vectors));
  if (options_.stage_fault) VECDB_RETURN_IF_ERROR(options_.stage_fault());
  if (labels.empty()) return StagedWrite();
  const std::vector<float> prepared =
      index_internal::PrepareVectors(options_.metric, dim, vectors);
  std::vector<index_internal::FreshItem> items(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    items[i] = {labels[i], prepared.data() + i * dim};
  }
  while (true) {
    {
      ReaderMutexLock link(&link_mu_);
      std::shared_ptr<HnswGraph> g = Current();
      std::optional<std::vector<tableint>> slots;
      try {
        VECDB_ASSIGN_OR_RETURN(slots, index_internal::PrepareSlots(*g, items));
      } catch (const std::exception& e) {
        return HnswFailure("insert", e.what());
      }
      if (slots.has_value()) {
        auto state = std::make_shared<StagedSlots>();
        state->slots = *std::move(slots);
        if (absl::Status s = LinkAll(*g, state->slots, InsertThreads());
            !s.ok()) {
          for (tableint slot : state->slots) g->life(slot).dead.store(0);
          removed_slots_ += state->slots.size();
          return s;
        }
        {
          MutexLock lock(&staged_mu_);
          staged_.insert(state.get());
        }
        fresh_since_repair_ += state->slots.size();
        return StagedWrite(
            std::vector<uint64_t>(labels.begin(), labels.end()), state,
            [this, state] { AbandonState(state); });
      }
    }
    VECDB_RETURN_IF_ERROR(Grow(items.size()));
  }
}

void HnswIndex::Settle(StagedWrite& staged, StagedSlots* state) {
  staged.Settle();
  if (state == nullptr) return;
  MutexLock lock(&staged_mu_);
  staged_.erase(state);
}

void HnswIndex::Publish(uint64_t seq, StagedWrite staged,
                        absl::Span<const uint64_t> removed) {
  ReaderMutexLock link(&link_mu_);
  std::shared_ptr<HnswGraph> g = Current();
  auto* state = static_cast<StagedSlots*>(staged.state().get());
  {
    MutexLock labels(&g->labels_mu);
    for (size_t i = 0; i < staged.labels().size(); ++i) {
      const tableint slot = state->slots[i];
      auto [it, inserted] = g->current.try_emplace(staged.labels()[i], slot);
      if (inserted) {
        ++live_;
      } else {
        g->life(it->second).dead.store(seq, std::memory_order_release);
        g->prev_[slot] = it->second;
        it->second = slot;
        ++removed_slots_;
      }
      g->life(slot).born.store(seq, std::memory_order_release);
    }
    for (uint64_t label : removed) {
      auto it = g->current.find(label);
      if (it == g->current.end()) continue;
      g->life(it->second).dead.store(seq, std::memory_order_release);
      g->current.erase(it);
      --live_;
      ++removed_slots_;
    }
  }
  if (seq > published_.load()) published_.store(seq);
  Settle(staged, state);
}

void HnswIndex::AbandonState(const std::shared_ptr<StagedSlots>& state) {
  ReaderMutexLock link(&link_mu_);
  std::shared_ptr<HnswGraph> g = Current();
  for (tableint slot : state->slots) g->life(slot).dead.store(0);
  removed_slots_ += state->slots.size();
  MutexLock lock(&staged_mu_);
  staged_.erase(state.get());
}

void HnswIndex::Abandon(StagedWrite staged) {
  if (staged.state() == nullptr) return staged.Settle();
  auto state = std::static_pointer_cast<StagedSlots>(staged.state());
  staged.Settle();
  AbandonState(state);
}

absl::Status HnswIndex::EnsureReachable() {
  ReaderMutexLock link(&link_mu_);
  std::shared_ptr<HnswGraph> g = Current();
  fresh_since_repair_ = 0;
  try {
    index_internal::RepairReachability(*g);
  } catch (const std::exception& e) {
    return HnswFailure("repair", e.what());
  }
  return absl::OkStatus();
}

absl::Status HnswIndex::Maintain(double compact_fraction) {
  MutexLock lock(&maintain_mu_);
  if (CompactionDue(compact_fraction)) return Compact();
  if (RepairDue()) return EnsureReachable();
  return absl::OkStatus();
}

// Builds a graph of every slot not removed, beside the old one, then
// swaps it in. Writes go on during the build (they change the old graph);
// what they added is copied in rounds, the last with writers paused, and
// the lifetimes, label map and staged writes are carried over under that
// same pause. Searches are never paused: they pin either graph.
absl::Status HnswIndex::Compact() {
  std::shared_ptr<HnswGraph> old = Current();
  const size_t live = live_.load();
  size_t capacity = std::max<size_t>(
      {options_.initial_capacity, live + live / 4 + 1024, 1});
  VECDB_ASSIGN_OR_RETURN(std::shared_ptr<HnswGraph> fresh, NewGraph(capacity));
  std::vector<tableint> forward;
  // Background work leaves a core to the searches.
  const size_t threads = std::max<size_t>(1, InsertThreads() / 2);
  size_t copied = 0;
  auto copy_range = [&](size_t end) -> absl::Status {
    std::vector<index_internal::FreshItem> items;
    std::vector<tableint> from;
    for (tableint s = copied; s < end; ++s) {
      if (!old->NotDead(s)) continue;
      items.push_back({old->getExternalLabel(s), old->VectorOf(s)});
      from.push_back(s);
    }
    forward.resize(end, kNoSlot);
    copied = end;
    if (items.empty()) return absl::OkStatus();
    if (fresh->cur_element_count + items.size() > fresh->Capacity()) {
      VECDB_ASSIGN_OR_RETURN(
          fresh, CopyGraph(*fresh, 2 * (fresh->cur_element_count +
                                        items.size())));
    }
    std::optional<std::vector<tableint>> slots;
    try {
      VECDB_ASSIGN_OR_RETURN(slots, index_internal::PrepareSlots(*fresh, items));
    } catch (const std::exception& e) {
      return HnswFailure("compact", e.what());
    }
    if (!slots.has_value()) return absl::InternalError("compaction: no room");
    for (size_t i = 0; i < from.size(); ++i) forward[from[i]] = (*slots)[i];
    return LinkAll(*fresh, *slots, threads);
  };
  for (int round = 0; round < kCatchUpRounds; ++round) {
    const size_t end = old->SlotCount();
    if (round > 0 && end - copied < kCatchUpSlots) break;
    VECDB_RETURN_IF_ERROR(copy_range(end));
  }
  try {
    index_internal::RepairReachability(*fresh);
  } catch (const std::exception& e) {
    return HnswFailure("compact", e.what());
  }

  MutexLock link(&link_mu_);
  // The graph may have grown meanwhile (Grow(): a bigger copy with the same
  // slot numbers, whose lifetimes and labels have moved on since): the
  // last round and everything carried over read the current one. (Under
  // sustained writes a compaction that gave up here would never finish.)
  old = Current();
  VECDB_RETURN_IF_ERROR(copy_range(old->SlotCount()));
  size_t removed = 0;
  for (tableint s = 0; s < copied; ++s) {
    if (forward[s] == kNoSlot) continue;
    index_internal::Lifetime& to = fresh->life(forward[s]);
    to.born.store(old->life(s).born.load());
    to.dead.store(old->life(s).dead.load());
    removed += to.dead.load() != kNever;
  }
  {
    ReaderMutexLock old_labels(&old->labels_mu);
    MutexLock fresh_labels(&fresh->labels_mu);
    fresh->current.reserve(old->current.size());
    for (const auto& [label, slot] : old->current) {
      fresh->current[label] = forward[slot];
    }
  }
  {
    MutexLock lock(&staged_mu_);
    for (StagedSlots* state : staged_) {
      for (tableint& slot : state->slots) slot = forward[slot];
    }
  }
  fresh->base_seq = published_.load();
  const size_t reclaimed = old->SlotCount() - fresh->SlotCount();
  removed_slots_ = removed;
  fresh_since_repair_ = 0;
  {
    MutexLock lock(&version_mu_);
    graph_ = fresh;
  }
  MutexLock lock(&stats_mu_);
  ++stats_.compactions;
  stats_.last_compaction_reclaimed = reclaimed;
  stats_.last_compaction_unix = UnixSeconds();
  return absl::OkStatus();
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
    const HnswGraph& g, const std::vector<Candidate>& found) const {
  std::vector<SearchHit> hits;
  hits.reserve(found.size());
  for (const Candidate& c : found) {
    hits.push_back({g.getExternalLabel(c.slot), ToReported(c.distance)});
  }
  return hits;
}

absl::StatusOr<std::vector<SearchHit>> HnswIndex::Search(
    absl::Span<const float> query, size_t k, size_t ef,
    uint64_t snapshot) const {
  VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
  const std::shared_ptr<HnswGraph> g = Current();
  const uint64_t snap = Resolve(*g, snapshot);
  k = std::min(k, Size());
  if (ef == 0) ef = options_.hnsw.ef_search;
  std::vector<Candidate> found;
  try {
    index_internal::WalkTally tally;
    found = g->Search(q.data(), k, ef, snap, nullptr, &tally);
    // Heavy deletion can leave too few live slots reachable from the
    // entry point; an exact scan keeps the min(k, Size()) promise.
    if (found.size() < k) found = g->ExactVisible(q.data(), k, snap);
  } catch (const std::exception& e) {
    return HnswFailure("search", e.what());
  }
  return ToHits(*g, found);
}

absl::StatusOr<std::vector<SearchHit>> HnswIndex::SearchFiltered(
    absl::Span<const float> query, size_t k, size_t ef,
    const LabelFilter* filter, size_t max_distance_computations,
    SearchStats* stats, uint64_t snapshot) const {
  VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
  const std::shared_ptr<HnswGraph> g = Current();
  const uint64_t snap = Resolve(*g, snapshot);
  k = std::min(k, Size());
  if (ef == 0) ef = options_.hnsw.ef_search;
  index_internal::WalkTally tally{.budget = max_distance_computations};
  std::vector<Candidate> found;
  try {
    found = g->Search(q.data(), k, ef, snap, filter, &tally);
  } catch (const std::exception& e) {
    return HnswFailure("search", e.what());
  }
  if (stats != nullptr) {
    *stats = {.distance_computations = tally.distance_computations,
              .nodes_expanded = tally.nodes_expanded,
              .budget_exhausted = tally.budget_exhausted};
  }
  return ToHits(*g, found);
}

// Labels are resolved to the slot visible at the snapshot (following the
// previous-version links of a label replaced since) in chunks, so that a
// long exact search holds the label map only briefly at a time. A slot's
// mark in a visited list gives duplicated labels one distance. Equal
// distances go to the smaller label, as in FlatIndex.
absl::StatusOr<std::vector<SearchHit>> HnswIndex::SearchAmong(
    absl::Span<const float> query, size_t k, absl::Span<const uint64_t> labels,
    SearchStats* stats, uint64_t snapshot) const {
  VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
  if (stats != nullptr) *stats = {};
  if (k == 0 || labels.empty()) return std::vector<SearchHit>{};
  const std::shared_ptr<HnswGraph> g = Current();
  const uint64_t snap = Resolve(*g, snapshot);
  constexpr size_t kChunk = 4096;
  std::vector<std::pair<float, uint64_t>> best;  // heap, the worst on top
  best.reserve(std::min(k, labels.size()) + 1);
  uint64_t computations = 0;
  std::vector<tableint> slots;
  try {
    HnswGraph::VisitedLease seen(*g);
    for (size_t first = 0; first < labels.size(); first += kChunk) {
      const size_t last = std::min(labels.size(), first + kChunk);
      slots.clear();
      {
        ReaderMutexLock lock(&g->labels_mu);
        for (size_t i = first; i < last; ++i) {
          auto it = g->current.find(labels[i]);
          tableint slot = it == g->current.end() ? kNoSlot : it->second;
          while (slot != kNoSlot &&
                 g->life(slot).born.load(std::memory_order_acquire) > snap) {
            slot = g->prev_[slot];
          }
          if (slot != kNoSlot && g->VisibleAt(slot, snap)) slots.push_back(slot);
        }
      }
      for (tableint slot : slots) {
        if (seen.Visit(slot)) continue;
        ++computations;
        // Ranked in reported units, so that distances equal after the
        // conversion tie-break by label as they do everywhere else.
        const std::pair<float, uint64_t> scored{
            ToReported(g->DistanceTo(q.data(), slot)),
            g->getExternalLabel(slot)};
        if (best.size() == k && !(scored < best.front())) continue;
        best.push_back(scored);
        std::push_heap(best.begin(), best.end());
        if (best.size() > k) {
          std::pop_heap(best.begin(), best.end());
          best.pop_back();
        }
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
  const std::shared_ptr<HnswGraph> g = Current();
  const size_t per_slot_overhead =
      sizeof(void*) + sizeof(int) + sizeof(std::mutex) +
      sizeof(hnswlib::vl_type);  // link list pointer, level, lock, visited
  size_t labels;
  {
    ReaderMutexLock lock(&g->labels_mu);
    labels = g->current.size() * (sizeof(uint64_t) + sizeof(tableint) + 1) +
             g->current.bucket_count() * sizeof(void*);
  }
  return g->Capacity() * (g->size_data_per_element_ + per_slot_overhead) +
         g->UpperLinkBytes() + g->LifetimeBytes() + labels +
         hnswlib::HierarchicalNSW<float>::max_update_element_locks *
             sizeof(std::mutex);
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
        index_internal::InstallHnswGraph(parsed, index->graph_for_load()));
  } catch (const std::exception& e) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot load the hnsw index: ", e.what()));
  }
  index->InitCounts();
  return index;
}

}  // namespace vecdb
