#include "index/internal/flat_index.h"

#include <catch2/catch.hpp>
#include <string>
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
using testing::MustSearch;

TEST_CASE("FlatIndex returns the exact nearest labels in order", "[index]") {
  auto index = MustFlat({.dimension = 1, .metric = Metric::kL2});
  REQUIRE(index
              ->Add(std::vector<uint64_t>{10, 20, 30, 40},
                    std::vector<float>{0, 5, 2, 9})
              .ok());
  auto hits = MustSearch(*index, {1.9f}, 3, 0);
  CHECK(HitLabels(hits) == std::vector<uint64_t>{30, 10, 20});
  CHECK(hits[0].distance == Approx(0.1));
  CHECK(hits[2].distance == Approx(3.1));
  // k above Size() gives every live vector.
  CHECK(MustSearch(*index, {0}, 10, 0).size() == 4);
}

TEST_CASE("FlatIndex replaces, removes and reuses slots", "[index]") {
  auto index = MustFlat({.dimension = 2, .metric = Metric::kCosine});
  REQUIRE(index->Add(Labels(0, 3), std::vector<float>{1, 0, 0, 1, -1, 0}).ok());
  REQUIRE(index->Add(std::vector<uint64_t>{0}, std::vector<float>{0, -3}).ok());
  CHECK(index->Slots() == 3);
  auto hits = MustSearch(*index, {0, -1}, 1, 0);
  CHECK(hits[0].label == 0);
  CHECK(hits[0].distance == Approx(0.0).margin(1e-6));

  index->Remove(std::vector<uint64_t>{1, 99});
  CHECK_FALSE(index->Contains(1));
  CHECK(index->Size() == 2);
  CHECK(index->DeletedSlots() == 1);
  CHECK(HitLabels(MustSearch(*index, {0, 1}, 3, 0)) ==
        std::vector<uint64_t>{2, 0});

  REQUIRE(index->Add(std::vector<uint64_t>{7}, std::vector<float>{0, 1}).ok());
  CHECK(index->Slots() == 3);
  CHECK(index->DeletedSlots() == 0);
  CHECK(MustSearch(*index, {0, 1}, 1, 0)[0].label == 7);
}

TEST_CASE("FlatIndex rejects bad input and stays unchanged", "[index]") {
  auto index = MustFlat({.dimension = 2, .metric = Metric::kCosine});
  REQUIRE(index->Add(std::vector<uint64_t>{1}, std::vector<float>{1, 0}).ok());

  auto size = index->Add(Labels(2, 4), std::vector<float>{1, 2, 3});
  CHECK(size.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(size.message()), Catch::Contains("expected 2 x 2"));

  auto zero = index->Add(Labels(2, 4), std::vector<float>{1, 2, 0, 0});
  CHECK(zero.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(zero.message()), Catch::Contains("zero vector"));
  CHECK(index->Size() == 1);
  CHECK_FALSE(index->Contains(2));

  CHECK(index->Search(std::vector<float>{1}, 1, 0).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(NewFlatIndex({.dimension = 0}).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("FlatIndex serialises and loads back", "[index]") {
  const IndexOptions options{.dimension = 8, .metric = Metric::kCosine};
  auto index = MustFlat(options);
  const auto rows = testing::RandomVectors(100, 8, 7);
  REQUIRE(index->Add(Labels(0, 100), Flatten(rows)).ok());
  index->Remove(Labels(0, 10));
  std::string bytes;
  REQUIRE(index
              ->Serialize([&](std::string_view piece) {
                bytes.append(piece);
                return absl::OkStatus();
              })
              .ok());

  auto loaded = index_internal::LoadFlatIndex(options, bytes);
  REQUIRE(loaded.ok());
  CHECK((*loaded)->Size() == 90);
  for (size_t i = 0; i < 10; ++i) {
    auto a = MustSearch(*index, rows[i], 5, 0);
    auto b = MustSearch(**loaded, rows[i], 5, 0);
    CHECK(HitLabels(a) == HitLabels(b));
    CHECK(a[0].distance == b[0].distance);
  }

  IndexOptions other = options;
  other.dimension = 9;
  CHECK(index_internal::LoadFlatIndex(other, bytes).status().code() ==
        absl::StatusCode::kDataLoss);
  CHECK(
      index_internal::LoadFlatIndex(options, bytes.substr(0, bytes.size() - 1))
          .status()
          .code() == absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace vecdb
