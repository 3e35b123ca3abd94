// SearchFiltered and SearchAmong of HnswIndex and FlatIndex against brute
// force over 20k random vectors, under every metric, before and after
// deletes and replacements.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "index/vector_index.h"
#include "tests/index/index_test_util.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::Flatten;
using testing::HitLabels;
using testing::Labels;
using testing::MustFlat;
using testing::MustHnsw;
using testing::SortedByDistance;

constexpr size_t kRows = 20000;
constexpr size_t kDim = 32;
constexpr size_t kK = 10;
constexpr size_t kQueries = 50;
// Beam width of the recall checks, max(64, 10 k): at 100% selectivity these
// 32-d uniform vectors need more than 64 for recall 0.95.
constexpr size_t kEf = std::max<size_t>(64, 10 * kK);
constexpr uint32_t kM = 16;
constexpr double kMinRecall = 0.95;
constexpr double kSelectivities[] = {0.001, 0.01, 0.1, 0.5, 1.0};

// Admits a fixed fraction of labels, spread over the whole label range by
// a multiplicative hash.
class FractionFilter final : public LabelFilter {
 public:
  explicit FractionFilter(double fraction)
      : threshold_(static_cast<uint64_t>(fraction * kBuckets)) {}
  bool Contains(uint64_t label) const override {
    return ((label * 0x9E3779B97F4A7C15ull) >> 40) % kBuckets < threshold_;
  }

 private:
  static constexpr uint64_t kBuckets = 100000;
  const uint64_t threshold_;
};

// The vectors an index should hold, by label (labels 0..kRows-1), and
// which of them are live.
struct Corpus {
  std::vector<std::vector<float>> rows;
  std::vector<bool> live;

  std::vector<uint64_t> LiveLabels() const {
    std::vector<uint64_t> out;
    for (uint64_t label = 0; label < rows.size(); ++label) {
      if (live[label]) out.push_back(label);
    }
    return out;
  }

  // Every live label with its distance to `query`, closest first.
  std::vector<SearchHit> Ranked(Metric metric,
                                const std::vector<float>& query) const {
    std::vector<SearchHit> out;
    for (uint64_t label = 0; label < rows.size(); ++label) {
      if (live[label])
        out.push_back({label, Distance(metric, query, rows[label])});
    }
    std::sort(out.begin(), out.end(),
              [](const SearchHit& a, const SearchHit& b) {
                return a.distance < b.distance ||
                       (a.distance == b.distance && a.label < b.label);
              });
    return out;
  }
};

// Fills `index` with kRows vectors.
Corpus Fill(VectorIndex& index) {
  Corpus corpus{testing::RandomVectors(kRows, kDim, 11),
                std::vector<bool>(kRows, true)};
  REQUIRE(index.Add(Labels(0, kRows), Flatten(corpus.rows)).ok());
  return corpus;
}

// Deletes 30% of the labels, adds a third of those back with new vectors
// (reusing slots) and gives another 10% new vectors in place.
void Churn(VectorIndex& index, Corpus& corpus) {
  std::vector<uint64_t> removed, changed;
  for (uint64_t label = 0; label < kRows; ++label) {
    if (label % 10 < 3) removed.push_back(label);
    if (label % 10 == 0 || label % 10 == 5) changed.push_back(label);
  }
  index.Remove(removed);
  for (uint64_t label : removed) corpus.live[label] = false;

  const auto fresh = testing::RandomVectors(kRows, kDim, 12);
  std::vector<float> flat;
  for (uint64_t label : changed) {
    corpus.rows[label] = fresh[label];
    corpus.live[label] = true;
    flat.insert(flat.end(), fresh[label].begin(), fresh[label].end());
  }
  REQUIRE(index.Add(changed, flat).ok());
  REQUIRE(index.Size() == kRows * 8 / 10);
  REQUIRE(index.Slots() - index.DeletedSlots() == index.Size());
}

std::unique_ptr<VectorIndex> MakeIndex(bool hnsw, Metric metric) {
  const IndexOptions options{.dimension = kDim,
                             .metric = metric,
                             .hnsw = {.m = kM, .ef_construction = 100}};
  return hnsw ? MustHnsw(options) : MustFlat(options);
}

std::vector<SearchHit> MustFilter(const VectorIndex& index,
                                  const std::vector<float>& query, size_t ef,
                                  const LabelFilter* filter, size_t budget,
                                  SearchStats* stats) {
  auto hits = index.SearchFiltered(query, kK, ef, filter, budget, stats);
  REQUIRE(hits.ok());
  return *hits;
}

std::vector<SearchHit> MustAmong(const VectorIndex& index,
                                 const std::vector<float>& query, size_t k,
                                 const std::vector<uint64_t>& labels) {
  auto hits = index.SearchAmong(query, k, labels, nullptr);
  REQUIRE(hits.ok());
  return *hits;
}

// Hits distinct, live, admitted by `filter`, closest first, in the
// index's units.
void CheckHits(const std::vector<SearchHit>& hits, const Corpus& corpus,
               const LabelFilter* filter, Metric metric,
               const std::vector<float>& query) {
  CHECK(SortedByDistance(hits));
  std::set<uint64_t> seen;
  for (const SearchHit& hit : hits) {
    REQUIRE(hit.label < kRows);
    CHECK(corpus.live[hit.label]);
    CHECK(seen.insert(hit.label).second);
    if (filter != nullptr) CHECK(filter->Contains(hit.label));
    CHECK(hit.distance ==
          Approx(Distance(metric, query, corpus.rows[hit.label])).margin(1e-4));
  }
}

// Filtered search at every selectivity, unlimited: exactly min(k, matching)
// hits, and recall against brute force where a beam of 64 suffices.
void CheckFilteredRecall(const VectorIndex& index, const Corpus& corpus,
                         Metric metric, double min_recall) {
  const auto queries = testing::RandomVectors(kQueries, kDim, 13);
  std::vector<std::vector<SearchHit>> ranked;
  for (const auto& q : queries) ranked.push_back(corpus.Ranked(metric, q));

  for (double fraction : kSelectivities) {
    const FractionFilter filter(fraction);
    size_t matching = 0;
    for (uint64_t label : corpus.LiveLabels())
      matching += filter.Contains(label);
    REQUIRE(matching > 0);
    size_t found = 0, wanted = 0;
    for (size_t i = 0; i < queries.size(); ++i) {
      SearchStats stats;
      const auto hits = MustFilter(index, queries[i], kEf, &filter, 0, &stats);
      INFO(MetricName(metric) << " selectivity " << fraction << " matching "
                              << matching << " query " << i);
      CheckHits(hits, corpus, &filter, metric, queries[i]);
      // Every live slot is reachable, so an unlimited walk that never fills
      // its beam has seen every match.
      CHECK(hits.size() == std::min(kK, matching));
      CHECK(stats.distance_computations > 0);
      CHECK_FALSE(stats.budget_exhausted);

      std::set<uint64_t> truth;
      for (const SearchHit& hit : ranked[i]) {
        if (truth.size() == kK) break;
        if (filter.Contains(hit.label)) truth.insert(hit.label);
      }
      for (uint64_t label : HitLabels(hits)) found += truth.count(label);
      wanted += truth.size();
    }
    const double recall = static_cast<double>(found) / wanted;
    INFO(MetricName(metric)
         << " selectivity " << fraction << " recall@10 " << recall);
    if (fraction >= 0.1) CHECK(recall >= min_recall);
  }
}

// A budget stops the walk within one neighbour list of it; fewer than
// min(k, matching) hits only with budget_exhausted.
void CheckBudget(const VectorIndex& index, const Corpus& corpus, Metric metric,
                 bool graph) {
  const auto queries = testing::RandomVectors(10, kDim, 14);
  for (double fraction : kSelectivities) {
    const FractionFilter filter(fraction);
    size_t matching = 0;
    for (uint64_t label : corpus.LiveLabels())
      matching += filter.Contains(label);
    for (size_t budget : {1, 50, 500, 3000}) {
      for (const auto& q : queries) {
        INFO(MetricName(metric)
             << " selectivity " << fraction << " budget " << budget);
        SearchStats stats;
        const auto hits = MustFilter(index, q, 64, &filter, budget, &stats);
        CheckHits(hits, corpus, &filter, metric, q);
        CHECK(stats.distance_computations > 0);
        CHECK(stats.distance_computations <= budget + 2 * kM);
        if (hits.size() < std::min(kK, matching)) {
          CHECK(stats.budget_exhausted);
        }
      }
    }
  }
  // A walk looking for 0.1% of 16k slots runs out of 500 distances; a
  // scan computes distances to the matches only.
  const FractionFilter rare(0.001);
  SearchStats stats;
  MustFilter(index, queries[0], 64, &rare, 500, &stats);
  CHECK(stats.budget_exhausted == graph);
}

// SearchAmong against sorting the distances of single labels, exactly;
// absent labels are skipped and duplicates count once.
void CheckAmong(const VectorIndex& index, const Corpus& corpus, Metric metric) {
  const auto queries = testing::RandomVectors(5, kDim, 15);
  for (double fraction : kSelectivities) {
    const FractionFilter filter(fraction);
    std::vector<uint64_t> labels;
    for (uint64_t label = 0; label < kRows + 50; ++label) {
      if (filter.Contains(label)) labels.push_back(label);
    }
    // Duplicates of present labels, in another order.
    labels.insert(labels.end(), labels.rbegin(),
                  labels.rbegin() + std::min<size_t>(labels.size(), 40));
    for (const auto& q : queries) {
      INFO(MetricName(metric) << " selectivity " << fraction);
      std::vector<SearchHit> oracle;
      size_t wrong_single = 0;
      for (uint64_t label : std::set<uint64_t>(labels.begin(), labels.end())) {
        const auto single = MustAmong(index, q, 1, {label});
        const bool present = label < kRows && corpus.live[label];
        if (single.size() != (present ? 1u : 0u)) ++wrong_single;
        if (!present || single.empty()) continue;
        const float expected = Distance(metric, q, corpus.rows[label]);
        if (single[0].label != label ||
            std::abs(single[0].distance - expected) > 1e-4) {
          ++wrong_single;
        }
        oracle.push_back(single[0]);
      }
      CHECK(wrong_single == 0);
      std::sort(oracle.begin(), oracle.end(),
                [](const SearchHit& a, const SearchHit& b) {
                  return a.distance < b.distance ||
                         (a.distance == b.distance && a.label < b.label);
                });
      for (size_t k : {size_t{1}, kK, size_t{100000}}) {
        SearchStats stats;
        auto hits = index.SearchAmong(q, k, labels, &stats);
        REQUIRE(hits.ok());
        REQUIRE(hits->size() == std::min(k, oracle.size()));
        size_t differing = 0;
        for (size_t i = 0; i < hits->size(); ++i) {
          differing += (*hits)[i].label != oracle[i].label ||
                       (*hits)[i].distance != oracle[i].distance;
        }
        CHECK(differing == 0);
        CHECK(stats.distance_computations == oracle.size());
      }
    }
  }
}

// Without a filter SearchFiltered() is the walk Search() runs: the same
// hits. Prints the two timings.
void CheckUnfilteredLikeSearch(const VectorIndex& index) {
  const auto queries = testing::RandomVectors(500, kDim, 16);
  size_t differing = 0;
  for (const auto& q : queries) {
    const auto plain = testing::MustSearch(index, q, kK, 64);
    const auto walked = MustFilter(index, q, 64, nullptr, 0, nullptr);
    REQUIRE(walked.size() == plain.size());
    for (size_t i = 0; i < plain.size(); ++i) {
      differing += walked[i].label != plain[i].label ||
                   walked[i].distance != plain[i].distance;
    }
  }
  CHECK(differing == 0);

  using Clock = std::chrono::steady_clock;
  double plain_seconds = 0, walked_seconds = 0;
  size_t returned = 0;
  for (int round = 0; round < 3; ++round) {
    auto start = Clock::now();
    for (const auto& q : queries) returned += index.Search(q, kK, 64)->size();
    plain_seconds +=
        std::chrono::duration<double>(Clock::now() - start).count();
    start = Clock::now();
    for (const auto& q : queries) {
      returned += index.SearchFiltered(q, kK, 64, nullptr, 0, nullptr)->size();
    }
    walked_seconds +=
        std::chrono::duration<double>(Clock::now() - start).count();
  }
  CHECK(returned == 6 * queries.size() * kK);
  WARN("1500 searches at ef 64: Search "
       << plain_seconds * 1e3 << " ms, SearchFiltered(filter null) "
       << walked_seconds * 1e3 << " ms");
}

TEST_CASE("Filtered HNSW search finds the filtered nearest neighbours",
          "[index][filter]") {
  for (Metric metric : {Metric::kCosine, Metric::kL2, Metric::kInnerProduct}) {
    auto index = MakeIndex(true, metric);
    Corpus corpus = Fill(*index);
    for (bool churned : {false, true}) {
      if (churned) Churn(*index, corpus);
      INFO((churned ? "after deletes and replacements, " : "fresh, ")
           << MetricName(metric));
      CheckFilteredRecall(*index, corpus, metric, kMinRecall);
      CheckBudget(*index, corpus, metric, true);
      CheckAmong(*index, corpus, metric);
      if (metric == Metric::kL2) CheckUnfilteredLikeSearch(*index);
    }
  }
}

TEST_CASE("Filtered flat search is exact and keeps to its budget",
          "[index][filter]") {
  for (Metric metric : {Metric::kCosine, Metric::kL2, Metric::kInnerProduct}) {
    INFO(MetricName(metric));
    auto index = MakeIndex(false, metric);
    Corpus corpus = Fill(*index);
    Churn(*index, corpus);
    // Exact up to float rounding (the index sums in float, the oracle in
    // double), which may swap near-ties.
    CheckFilteredRecall(*index, corpus, metric, 0.995);
    CheckBudget(*index, corpus, metric, false);
    CheckAmong(*index, corpus, metric);
  }
}

TEST_CASE("SearchFiltered and SearchAmong edge cases", "[index][filter]") {
  for (bool hnsw : {true, false}) {
    INFO((hnsw ? "hnsw" : "flat"));
    auto index = MakeIndex(hnsw, Metric::kL2);
    const std::vector<float> q(kDim, 0.5f);
    const FractionFilter none(0.0);

    auto empty = index->SearchFiltered(q, kK, 0, nullptr, 0, nullptr);
    REQUIRE(empty.ok());
    CHECK(empty->empty());
    auto empty_among = index->SearchAmong(q, kK, Labels(0, 5), nullptr);
    REQUIRE(empty_among.ok());
    CHECK(empty_among->empty());

    const auto rows = testing::RandomVectors(300, kDim, 17);
    REQUIRE(index->Add(Labels(0, 300), Flatten(rows)).ok());

    CHECK(index
              ->SearchFiltered(std::vector<float>(kDim - 1, 1.0f), kK, 0,
                               nullptr, 0, nullptr)
              .status()
              .code() == absl::StatusCode::kInvalidArgument);
    CHECK(index
              ->SearchAmong(std::vector<float>(kDim + 1, 1.0f), kK,
                            Labels(0, 5), nullptr)
              .status()
              .code() == absl::StatusCode::kInvalidArgument);

    SearchStats stats{.distance_computations = 99, .budget_exhausted = true};
    auto nothing = index->SearchFiltered(q, kK, 0, &none, 0, &stats);
    REQUIRE(nothing.ok());
    CHECK(nothing->empty());
    CHECK_FALSE(stats.budget_exhausted);
    if (hnsw) {
      // The walk crossed every slot looking for a match.
      CHECK(stats.nodes_expanded >= 300);
      CHECK(stats.distance_computations >= 300);
    } else {
      CHECK(stats.distance_computations == 0);
    }

    auto zero_k = index->SearchFiltered(q, 0, 0, nullptr, 0, nullptr);
    REQUIRE(zero_k.ok());
    CHECK(zero_k->empty());
    auto zero_among = index->SearchAmong(q, 0, Labels(0, 5), nullptr);
    REQUIRE(zero_among.ok());
    CHECK(zero_among->empty());

    auto absent = index->SearchAmong(q, kK, {1000, 2000, 7, 7, 7}, &stats);
    REQUIRE(absent.ok());
    REQUIRE(absent->size() == 1);
    CHECK((*absent)[0].label == 7);
    CHECK(stats.distance_computations == 1);
  }
}

}  // namespace
}  // namespace vecdb
