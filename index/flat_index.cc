#include "index/internal/flat_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/internal/byte_io.h"
#include "index/internal/vector_checks.h"
#include "index/vector_index.h"

namespace vecdb {
namespace {

using index_internal::ByteReader;
using index_internal::ByteWriter;

constexpr char kFlatMagic[8] = {'V', 'F', 'L', 'A', 'T', '0', '0', '1'};
constexpr uint32_t kFlatVersion = 1;

// The k closest of the (distance, label) pairs offered; equal distances go
// to the smaller label, so results do not depend on slot order.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k + 1); }

  void Offer(float distance, uint64_t label) {
    const Entry entry{distance, label};
    if (k_ == 0 || (heap_.size() == k_ && !(entry < heap_.front()))) return;
    heap_.push_back(entry);
    std::push_heap(heap_.begin(), heap_.end());
    if (heap_.size() > k_) {
      std::pop_heap(heap_.begin(), heap_.end());
      heap_.pop_back();
    }
  }

  // Closest first.
  std::vector<SearchHit> Take() {
    std::sort_heap(heap_.begin(), heap_.end());
    std::vector<SearchHit> hits;
    hits.reserve(heap_.size());
    for (auto [distance, label] : heap_) hits.push_back({label, distance});
    return hits;
  }

 private:
  using Entry = std::pair<float, uint64_t>;
  const size_t k_;
  std::vector<Entry> heap_;  // max-heap: the worst kept on top
};

// Vectors live in slots of one contiguous array; a removed label's slot goes
// on a free list and is handed to the next new label.
class FlatIndex final : public VectorIndex {
 public:
  explicit FlatIndex(const IndexOptions& options) : options_(options) {}

  // Staging only validates and prepares the rows; Publish() stores them.
  absl::StatusOr<StagedWrite> Stage(absl::Span<const uint64_t> labels,
                                    absl::Span<const float> vectors) override {
    const uint32_t dim = options_.dimension;
    VECDB_RETURN_IF_ERROR(
        index_internal::ValidateBatch(options_.metric, dim, labels, vectors));
    if (options_.stage_fault) VECDB_RETURN_IF_ERROR(options_.stage_fault());
    auto rows = std::make_shared<std::vector<float>>(
        index_internal::PrepareVectors(options_.metric, dim, vectors));
    return StagedWrite(std::vector<uint64_t>(labels.begin(), labels.end()),
                       std::move(rows), nullptr);
  }

  void Publish(uint64_t seq, StagedWrite staged,
               absl::Span<const uint64_t> removed) override {
    const uint32_t dim = options_.dimension;
    const auto* rows = static_cast<const std::vector<float>*>(
        staged.state().get());
    for (size_t i = 0; i < staged.labels().size(); ++i) {
      Store(staged.labels()[i], rows->data() + i * dim);
    }
    RemoveLabels(removed);
    published_ = std::max(published_, seq);
    staged.Settle();
  }

  void Abandon(StagedWrite staged) override { staged.Settle(); }
  uint64_t PublishedSeq() const override { return published_; }

  void RemoveLabels(absl::Span<const uint64_t> labels) {
    for (uint64_t label : labels) {
      auto it = slot_of_.find(label);
      if (it == slot_of_.end()) continue;
      live_[it->second] = false;
      free_slots_.push_back(it->second);
      slot_of_.erase(it);
    }
  }

  // Snapshots are ignored: a FlatIndex is only used with its writes
  // excluded, so every search sees the newest state.
  absl::StatusOr<std::vector<SearchHit>> Search(absl::Span<const float> query,
                                                size_t k, size_t ef,
                                                uint64_t) const override {
    return SearchFiltered(query, k, ef, nullptr, 0, nullptr, kLatestSnapshot);
  }

  // Exact: compares with every live slot the filter admits. A budget stops
  // the scan after that many distances, as it stops the graph walk.
  absl::StatusOr<std::vector<SearchHit>> SearchFiltered(
      absl::Span<const float> query, size_t k, size_t /*ef*/,
      const LabelFilter* filter, size_t max_distance_computations,
      SearchStats* stats, uint64_t) const override {
    VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
    k = std::min(k, slot_of_.size());
    SearchStats tally;
    TopK best(k);
    for (size_t slot = 0; slot < labels_.size() && k > 0; ++slot) {
      if (!live_[slot]) continue;
      if (filter != nullptr && !filter->Contains(labels_[slot])) continue;
      if (max_distance_computations != 0 &&
          tally.distance_computations >= max_distance_computations) {
        tally.budget_exhausted = true;
        break;
      }
      ++tally.distance_computations;
      best.Offer(SlotDistance(q.data(), slot), labels_[slot]);
    }
    if (stats != nullptr) *stats = tally;
    return best.Take();
  }

  absl::StatusOr<std::vector<SearchHit>> SearchAmong(
      absl::Span<const float> query, size_t k,
      absl::Span<const uint64_t> labels, SearchStats* stats,
      uint64_t) const override {
    VECDB_ASSIGN_OR_RETURN(const std::vector<float> q, PrepareQuery(query));
    std::vector<size_t> slots;
    slots.reserve(labels.size());
    for (uint64_t label : labels) {
      if (auto it = slot_of_.find(label); it != slot_of_.end()) {
        slots.push_back(it->second);
      }
    }
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    TopK best(std::min(k, slots.size()));
    for (size_t slot : slots) {
      best.Offer(SlotDistance(q.data(), slot), labels_[slot]);
    }
    if (stats != nullptr) *stats = {.distance_computations = slots.size()};
    return best.Take();
  }

  bool Contains(uint64_t label) const override {
    return slot_of_.contains(label);
  }
  size_t Size() const override { return slot_of_.size(); }
  size_t Slots() const override { return labels_.size(); }
  size_t DeletedSlots() const override { return free_slots_.size(); }
  size_t MemoryBytes() const override {
    return vectors_.capacity() * sizeof(float) +
           labels_.capacity() * sizeof(uint64_t) + live_.capacity() / 8 +
           free_slots_.capacity() * sizeof(size_t) +
           slot_of_.size() * (sizeof(uint64_t) + sizeof(size_t) + 16);
  }

  absl::Status Serialize(const ByteSink& sink) const override {
    ByteWriter out(sink);
    VECDB_RETURN_IF_ERROR(
        out.PutBytes(std::string_view(kFlatMagic, sizeof(kFlatMagic))));
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(kFlatVersion));
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(options_.dimension));
    VECDB_RETURN_IF_ERROR(
        out.Put<uint32_t>(static_cast<uint32_t>(options_.metric)));
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(0));
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(slot_of_.size()));
    const size_t row_bytes = options_.dimension * sizeof(float);
    for (size_t slot = 0; slot < labels_.size(); ++slot) {
      if (!live_[slot]) continue;
      VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(labels_[slot]));
      VECDB_RETURN_IF_ERROR(out.PutBytes(std::string_view(
          reinterpret_cast<const char*>(Row(slot)), row_bytes)));
    }
    return out.Flush();
  }

  // Stores an already prepared (normalised under kCosine) vector.
  void Store(uint64_t label, const float* vector) {
    const uint32_t dim = options_.dimension;
    size_t slot;
    if (auto it = slot_of_.find(label); it != slot_of_.end()) {
      slot = it->second;
    } else if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = labels_.size();
      labels_.push_back(0);
      live_.push_back(false);
      vectors_.resize(vectors_.size() + dim);
    }
    labels_[slot] = label;
    live_[slot] = true;
    slot_of_[label] = slot;
    std::memcpy(vectors_.data() + slot * dim, vector, dim * sizeof(float));
  }

 private:
  absl::StatusOr<std::vector<float>> PrepareQuery(
      absl::Span<const float> query) const {
    VECDB_RETURN_IF_ERROR(index_internal::ValidateQuery(
        options_.metric, options_.dimension, query));
    std::vector<float> q(query.begin(), query.end());
    if (options_.metric == Metric::kCosine) {
      index_internal::Normalize(absl::MakeSpan(q));
    }
    return q;
  }

  const float* Row(size_t slot) const {
    return vectors_.data() + slot * options_.dimension;
  }

  // The same quantities hnswlib's spaces compute, in float; NaN (from
  // overflowing inputs) sorts last.
  float SlotDistance(const float* q, size_t slot) const {
    const float* v = Row(slot);
    float sum = 0;
    if (options_.metric == Metric::kL2) {
      for (uint32_t i = 0; i < options_.dimension; ++i) {
        const float d = q[i] - v[i];
        sum += d * d;
      }
      sum = std::sqrt(sum);
    } else {
      for (uint32_t i = 0; i < options_.dimension; ++i) sum += q[i] * v[i];
      sum = 1.0f - sum;
    }
    return std::isnan(sum) ? std::numeric_limits<float>::infinity() : sum;
  }

  const IndexOptions options_;
  std::vector<float> vectors_;
  std::vector<uint64_t> labels_;
  std::vector<bool> live_;
  std::vector<size_t> free_slots_;
  uint64_t published_ = 0;
  std::unordered_map<uint64_t, size_t> slot_of_;
};

absl::Status Corrupt(const std::string& what) {
  return absl::DataLossError(absl::StrCat("flat index bytes: ", what));
}

}  // namespace

absl::StatusOr<std::unique_ptr<VectorIndex>> NewFlatIndex(
    const IndexOptions& options) {
  VECDB_RETURN_IF_ERROR(index_internal::ValidateOptions(options));
  return std::make_unique<FlatIndex>(options);
}

namespace index_internal {

absl::StatusOr<std::unique_ptr<VectorIndex>> LoadFlatIndex(
    const IndexOptions& options, std::string_view bytes) {
  VECDB_RETURN_IF_ERROR(ValidateOptions(options));
  ByteReader in(bytes);
  std::string_view magic;
  uint32_t version, dimension, metric, zero;
  uint64_t count;
  if (!in.GetBytes(sizeof(kFlatMagic), &magic) || !in.Get(&version) ||
      !in.Get(&dimension) || !in.Get(&metric) || !in.Get(&zero) ||
      !in.Get(&count)) {
    return Corrupt("truncated header");
  }
  if (magic != std::string_view(kFlatMagic, sizeof(kFlatMagic))) {
    return Corrupt("bad magic");
  }
  if (version != kFlatVersion || zero != 0) {
    return Corrupt(absl::StrCat("unsupported version ", version));
  }
  if (dimension != options.dimension) {
    return Corrupt(absl::StrCat("dimension ", dimension, ", expected ",
                                options.dimension));
  }
  if (metric != static_cast<uint32_t>(options.metric)) {
    return Corrupt(absl::StrCat("metric ", metric, ", expected ",
                                static_cast<int>(options.metric)));
  }
  const size_t record_bytes = sizeof(uint64_t) + dimension * sizeof(float);
  if (count > in.remaining() / record_bytes ||
      count * record_bytes != in.remaining()) {
    return Corrupt(absl::StrCat(count, " records do not match ", in.remaining(),
                                " bytes"));
  }
  auto index = std::make_unique<FlatIndex>(options);
  std::vector<float> row(dimension);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t label = 0;
    std::string_view data;
    in.Get(&label);
    in.GetBytes(dimension * sizeof(float), &data);
    std::memcpy(row.data(), data.data(), data.size());
    if (index->Contains(label)) {
      return Corrupt(absl::StrCat("label ", label, " appears twice"));
    }
    if (!ValidateVector(options.metric, row, "vector").ok()) {
      return Corrupt(absl::StrCat("bad vector for label ", label));
    }
    index->Store(label, row.data());
  }
  return index;
}

}  // namespace index_internal
}  // namespace vecdb
