// Behaviour of HnswIndex: input checks, replacement, deletion, slot reuse,
// growth and per-call ef.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
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
using testing::MustSearch;

TEST_CASE("NewHnswIndex rejects bad options", "[index]") {
  CHECK(NewHnswIndex({.dimension = 0}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(NewHnswIndex({.dimension = kMaxDimension + 1}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  auto bad_m = NewHnswIndex({.dimension = 4, .hnsw = {.m = 1}});
  CHECK(bad_m.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(bad_m.status().message()), Catch::Contains("m must"));
}

TEST_CASE("HnswIndex rejects bad input and stays unchanged", "[index]") {
  auto index = MustHnsw({.dimension = 3, .metric = Metric::kCosine});
  REQUIRE(index->Add(Labels(0, 2), std::vector<float>{1, 0, 0, 0, 1, 0}).ok());

  auto size = index->Add(Labels(5, 7), std::vector<float>{1, 2, 3, 4});
  CHECK(size.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(size.message()), Catch::Contains("expected 2 x 3"));

  // One bad row fails the whole batch: the good row is not inserted and
  // the existing label 0 keeps its vector.
  auto zero = index->Add(std::vector<uint64_t>{0, 9},
                         std::vector<float>{0, 0, 1, 0, 0, 0});
  CHECK(zero.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(zero.message()), Catch::Contains("label 9"));
  CHECK_THAT(std::string(zero.message()), Catch::Contains("zero vector"));

  auto nan = index->Add(std::vector<uint64_t>{9},
                        std::vector<float>{1, std::nanf(""), 0});
  CHECK(nan.code() == absl::StatusCode::kInvalidArgument);

  auto dup = index->Add(std::vector<uint64_t>{9, 9},
                        std::vector<float>{1, 0, 0, 0, 1, 0});
  CHECK(dup.code() == absl::StatusCode::kInvalidArgument);

  CHECK(index->Size() == 2);
  CHECK(index->Slots() == 2);
  CHECK_FALSE(index->Contains(9));
  auto hits = MustSearch(*index, {1, 0, 0}, 1, 0);
  CHECK(hits[0].label == 0);
  CHECK(hits[0].distance == Approx(0.0).margin(1e-6));

  auto query = index->Search(std::vector<float>{1, 0}, 1, 0);
  CHECK(query.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(query.status().message()),
             Catch::Contains("dimension is 3"));
  CHECK(index->Search(std::vector<float>{0, 0, 0}, 1, 0).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("HnswIndex reports each metric's distance", "[index]") {
  const auto rows = testing::RandomVectors(300, 16, 3);
  for (Metric metric : {Metric::kL2, Metric::kCosine, Metric::kInnerProduct}) {
    auto index = MustHnsw({.dimension = 16, .metric = metric});
    REQUIRE(index->Add(Labels(0, 300), Flatten(rows)).ok());
    for (size_t q = 0; q < 5; ++q) {
      auto hits = MustSearch(*index, rows[q], 10, 100);
      REQUIRE(hits.size() == 10);
      CHECK(testing::SortedByDistance(hits));
      for (const SearchHit& hit : hits) {
        CHECK(hit.distance ==
              Approx(Distance(metric, rows[q], rows[hit.label])).margin(1e-4));
      }
    }
  }
}

TEST_CASE("HnswIndex returns min(k, Size()) hits", "[index]") {
  auto index = MustHnsw({.dimension = 4, .metric = Metric::kL2});
  CHECK(MustSearch(*index, {0, 0, 0, 0}, 10, 0).empty());
  REQUIRE(
      index->Add(Labels(0, 3), Flatten(testing::RandomVectors(3, 4, 1))).ok());
  CHECK(MustSearch(*index, {0, 0, 0, 0}, 10, 0).size() == 3);
  CHECK(MustSearch(*index, {0, 0, 0, 0}, 2, 1).size() == 2);
  CHECK(MustSearch(*index, {0, 0, 0, 0}, 0, 0).empty());
}

TEST_CASE("A replaced vector is found at its new place only", "[index]") {
  const size_t n = 2000, dim = 16;
  auto rows = testing::RandomVectors(n, dim, 11);
  auto index = MustHnsw({.dimension = dim, .metric = Metric::kL2});
  REQUIRE(index->Add(Labels(0, n), Flatten(rows)).ok());

  const std::vector<float> old_vector = rows[42];
  const std::vector<float> new_vector(dim, 5.0f);  // far outside the cube
  REQUIRE(index->Add(std::vector<uint64_t>{42}, new_vector).ok());
  // The new version takes a fresh slot; the old one is removed.
  CHECK(index->Slots() == n + 1);
  CHECK(index->DeletedSlots() == 1);

  auto at_new = MustSearch(*index, new_vector, 1, 64);
  CHECK(at_new[0].label == 42);
  CHECK(at_new[0].distance == Approx(0.0).margin(1e-5));
  auto at_old = MustSearch(*index, old_vector, 10, 64);
  for (const SearchHit& hit : at_old) {
    CHECK(hit.label != 42);
    CHECK(hit.distance > 0.0f);
  }
}

TEST_CASE("Replacing every vector grows the index until compaction",
          "[index]") {
  const size_t n = 500, dim = 16;
  auto index = MustHnsw({.dimension = dim, .metric = Metric::kCosine});
  REQUIRE(index->Add(Labels(0, n), Flatten(testing::RandomVectors(n, dim, 1)))
              .ok());
  std::vector<std::vector<float>> rows;
  for (uint64_t round = 2; round <= 6; ++round) {
    rows = testing::RandomVectors(n, dim, round);
    REQUIRE(index->Add(Labels(0, n), Flatten(rows)).ok());
    CHECK(index->Slots() == 2 * n);
    CHECK(index->Size() == n);
    CHECK(index->DeletedSlots() == n);
    CHECK(index->MaintenanceDue(0.2));
    REQUIRE(index->Maintain(0.2).ok());
    CHECK(index->Slots() == n);
    CHECK(index->DeletedSlots() == 0);
  }
  CHECK(index->Maintenance().compactions == 5);
  // The graph still finds the latest vectors.
  size_t self_found = 0;
  for (size_t i = 0; i < n; i += 5) {
    self_found += MustSearch(*index, rows[i], 1, 64)[0].label == i;
  }
  CHECK(self_found >= 95);
}

TEST_CASE("Delete and add cycles reclaim slots by compaction", "[index]") {
  const size_t n = 400, dim = 8;
  auto index = MustHnsw({.dimension = dim, .metric = Metric::kL2});
  REQUIRE(index->Add(Labels(0, n), Flatten(testing::RandomVectors(n, dim, 5)))
              .ok());
  uint64_t next_label = n;
  std::set<uint64_t> removed;
  for (int cycle = 0; cycle < 10; ++cycle) {
    const auto victims = Labels(next_label - n, next_label - n + 40);
    index->Remove(victims);
    removed.insert(victims.begin(), victims.end());
    CHECK(index->DeletedSlots() == 40);
    CHECK(index->Size() == n - 40);
    const auto fresh = testing::RandomVectors(40, dim, 100 + cycle);
    REQUIRE(
        index->Add(Labels(next_label, next_label + 40), Flatten(fresh)).ok());
    next_label += 40;
    CHECK(index->Slots() == n + 40);
    CHECK(index->Size() == n);
    REQUIRE(index->Maintain(0.05).ok());
    CHECK(index->Slots() == n);
    CHECK(index->DeletedSlots() == 0);
    CHECK(MustSearch(*index, fresh[0], 1, 32)[0].label == next_label - 40);
  }
  for (uint64_t label : removed) CHECK_FALSE(index->Contains(label));
  for (const auto& q : testing::RandomVectors(20, dim, 999)) {
    for (uint64_t label : HitLabels(MustSearch(*index, q, 20, 64))) {
      CHECK(removed.count(label) == 0);
    }
  }
  // Removing unknown or already removed labels changes nothing.
  index->Remove(std::vector<uint64_t>{0, 1, 123456});
  CHECK(index->Size() == n);
}

TEST_CASE("Capacity grows from 16 slots to 20k", "[index]") {
  const size_t n = 20000, dim = 16;
  const auto rows = testing::RandomVectors(n, dim, 8);
  auto index = MustHnsw({.dimension = dim,
                         .metric = Metric::kL2,
                         .hnsw = {.m = 12, .ef_construction = 64},
                         .initial_capacity = 16});
  const size_t before = index->MemoryBytes();
  for (size_t begin = 0; begin < n; begin += 2500) {
    REQUIRE(index
                ->Add(Labels(begin, begin + 2500),
                      Flatten(rows, begin, begin + 2500))
                .ok());
  }
  CHECK(index->Size() == n);
  CHECK(index->Slots() == n);
  CHECK(index->MemoryBytes() > before + n * dim * sizeof(float));
  size_t self_found = 0;
  for (size_t i = 0; i < n; i += 100) {
    self_found += MustSearch(*index, rows[i], 1, 64)[0].label == i;
  }
  CHECK(self_found >= 198);  // of 200
}

TEST_CASE("Heavy deletion keeps exact counts and recall", "[index]") {
  const size_t n = 5000, dim = 16;
  const auto rows = testing::RandomVectors(n, dim, 21);
  const IndexOptions options{.dimension = dim, .metric = Metric::kL2};
  auto index = MustHnsw(options);
  auto exact = MustFlat(options);
  REQUIRE(index->Add(Labels(0, n), Flatten(rows)).ok());
  REQUIRE(exact->Add(Labels(0, n), Flatten(rows)).ok());

  std::vector<uint64_t> doomed;
  for (uint64_t i = 0; i < n; ++i) {
    if (i % 10 != 3) doomed.push_back(i);
  }
  index->Remove(doomed);
  exact->Remove(doomed);
  REQUIRE(index->Size() == n / 10);
  CHECK(index->DeletedSlots() == doomed.size());

  const auto queries = testing::RandomVectors(100, dim, 22);
  for (const auto& q : queries) {
    auto hits = MustSearch(*index, q, 10, 64);
    REQUIRE(hits.size() == 10);
    CHECK(testing::SortedByDistance(hits));
    for (const SearchHit& hit : hits) CHECK(hit.label % 10 == 3);
  }
  const double recall = testing::RecallAt(*index, *exact, queries, 10, 64);
  INFO("recall@10 after deleting 90%: " << recall);
  CHECK(recall >= 0.95);

  // Down to five live vectors: every one of them comes back.
  std::vector<uint64_t> more;
  for (uint64_t i = 3; i < n; i += 10) {
    if (i >= 50) more.push_back(i);
  }
  index->Remove(more);
  auto few = MustSearch(*index, queries[0], 10, 10);
  CHECK(few.size() == 5);
  index->Remove(Labels(0, 50));
  CHECK(index->Size() == 0);
  CHECK(MustSearch(*index, queries[0], 10, 10).empty());
}

TEST_CASE("Concurrent searches with different ef match sequential ones",
          "[index]") {
  const size_t n = 4000, dim = 24;
  const auto rows = testing::RandomVectors(n, dim, 31);
  auto index = MustHnsw({.dimension = dim, .metric = Metric::kCosine});
  REQUIRE(index->Add(Labels(0, n), Flatten(rows)).ok());
  index->Remove(Labels(0, 400));  // deleted slots on the search paths too
  const auto queries = testing::RandomVectors(100, dim, 32);
  const std::vector<size_t> efs{10, 16, 40, 128};

  std::vector<std::vector<std::vector<SearchHit>>> expected(efs.size());
  for (size_t e = 0; e < efs.size(); ++e) {
    for (const auto& q : queries) {
      expected[e].push_back(MustSearch(*index, q, 10, efs[e]));
    }
  }
  // Per-call ef must matter, or this test would prove nothing.
  size_t differing = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    differing += HitLabels(expected[0][i]) != HitLabels(expected[3][i]);
  }
  CHECK(differing > 0);

  std::vector<int> mismatches(efs.size(), 0);
  std::vector<std::thread> threads;
  for (size_t e = 0; e < efs.size(); ++e) {
    threads.emplace_back([&, e] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < queries.size(); ++i) {
          auto hits = index->Search(queries[i], 10, efs[e]);
          if (!hits.ok() || hits->size() != expected[e][i].size()) {
            ++mismatches[e];
            continue;
          }
          for (size_t j = 0; j < hits->size(); ++j) {
            if ((*hits)[j].label != expected[e][i][j].label ||
                (*hits)[j].distance != expected[e][i][j].distance) {
              ++mismatches[e];
              break;
            }
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (size_t e = 0; e < efs.size(); ++e) {
    INFO("ef " << efs[e]);
    CHECK(mismatches[e] == 0);
  }
}

}  // namespace
}  // namespace vecdb
