// Serialize() / LoadHnswIndex(): round trips, and damaged or mismatched
// bytes that must give DataLoss rather than a crash.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "index/vector_index.h"
#include "tests/index/index_test_util.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::Flatten;
using testing::Labels;
using testing::MustHnsw;
using testing::MustSearch;

std::string ToBytes(const VectorIndex& index) {
  std::string bytes;
  absl::Status status = index.Serialize([&](std::string_view piece) {
    bytes.append(piece);
    return absl::OkStatus();
  });
  REQUIRE(status.ok());
  return bytes;
}

std::unique_ptr<VectorIndex> MustLoad(const IndexOptions& options,
                                      const std::string& bytes) {
  auto loaded = LoadHnswIndex(options, bytes);
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  return std::move(loaded).value();
}

void CheckSameResults(const VectorIndex& a, const VectorIndex& b,
                      const std::vector<std::vector<float>>& queries) {
  for (const auto& q : queries) {
    const auto x = MustSearch(a, q, 10, 40);
    const auto y = MustSearch(b, q, 10, 40);
    REQUIRE(x.size() == y.size());
    for (size_t i = 0; i < x.size(); ++i) {
      CHECK(x[i].label == y[i].label);
      CHECK(x[i].distance == y[i].distance);
    }
  }
}

// A small index with deleted slots, so every section of the format is used.
std::unique_ptr<VectorIndex> SmallIndex(const IndexOptions& options, size_t n,
                                        uint64_t seed) {
  auto index = MustHnsw(options);
  REQUIRE(index
              ->Add(Labels(0, n),
                    Flatten(testing::RandomVectors(n, options.dimension, seed)))
              .ok());
  std::vector<uint64_t> doomed;
  for (uint64_t i = 0; i < n; i += 7) doomed.push_back(i);
  index->Remove(doomed);
  return index;
}

TEST_CASE("Serialize and load give identical search results", "[index]") {
  const IndexOptions options{.dimension = 32, .metric = Metric::kCosine};
  auto index = SmallIndex(options, 3000, 41);
  const std::string bytes = ToBytes(*index);
  auto loaded = MustLoad(options, bytes);

  CHECK(loaded->Size() == index->Size());
  CHECK(loaded->Slots() == index->Slots());
  CHECK(loaded->DeletedSlots() == index->DeletedSlots());
  CHECK_FALSE(loaded->Contains(0));
  CHECK(loaded->Contains(1));
  const auto queries = testing::RandomVectors(100, 32, 42);
  CheckSameResults(*index, *loaded, queries);
  CHECK(ToBytes(*loaded) == bytes);

  // Both continue identically: new labels take the next slots.
  const auto more = testing::RandomVectors(50, 32, 43);
  REQUIRE(index->Add(Labels(5000, 5050), Flatten(more)).ok());
  REQUIRE(loaded->Add(Labels(5000, 5050), Flatten(more)).ok());
  CHECK(loaded->Slots() == 3050);
  CheckSameResults(*index, *loaded, queries);
}

TEST_CASE("An empty index round-trips", "[index]") {
  const IndexOptions options{.dimension = 4, .metric = Metric::kL2};
  auto loaded = MustLoad(options, ToBytes(*MustHnsw(options)));
  CHECK(loaded->Size() == 0);
  CHECK(MustSearch(*loaded, {1, 2, 3, 4}, 5, 0).empty());
  REQUIRE(loaded->Add(Labels(0, 1), std::vector<float>{1, 2, 3, 4}).ok());
  CHECK(MustSearch(*loaded, {1, 2, 3, 4}, 5, 0).size() == 1);
}

TEST_CASE("Bytes written for other options give DataLoss", "[index]") {
  const IndexOptions options{.dimension = 8, .metric = Metric::kL2};
  const std::string bytes = ToBytes(*SmallIndex(options, 100, 1));
  struct Case {
    IndexOptions options;
    const char* message;
  };
  const Case cases[] = {
      {{.dimension = 9, .metric = Metric::kL2}, "dimension"},
      {{.dimension = 8, .metric = Metric::kCosine}, "metric"},
      {{.dimension = 8, .metric = Metric::kL2, .hnsw = {.m = 8}}, "m 16"},
  };
  for (const Case& c : cases) {
    auto loaded = LoadHnswIndex(c.options, bytes);
    CHECK(loaded.status().code() == absl::StatusCode::kDataLoss);
    CHECK_THAT(std::string(loaded.status().message()),
               Catch::Contains(c.message));
  }
  CHECK(LoadHnswIndex({.dimension = 0}, bytes).status().code() ==
        absl::StatusCode::kInvalidArgument);

  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  auto magic = LoadHnswIndex(options, bad_magic);
  CHECK(magic.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(magic.status().message()), Catch::Contains("magic"));
}

TEST_CASE("Huge counts in the header are rejected before allocating",
          "[index]") {
  const IndexOptions options{.dimension = 8, .metric = Metric::kL2};
  const std::string bytes = ToBytes(*SmallIndex(options, 100, 2));
  for (uint64_t slots :
       {uint64_t{1} << 31, uint64_t{0xFFFFFFFE}, ~uint64_t{0}, uint64_t{101}}) {
    std::string damaged = bytes;
    std::memcpy(damaged.data() + 48, &slots, sizeof(slots));  // N
    auto loaded = LoadHnswIndex(options, damaged);
    CHECK(loaded.status().code() == absl::StatusCode::kDataLoss);
  }
  std::string damaged = bytes;
  const uint32_t entry = 100;  // one past the last slot
  std::memcpy(damaged.data() + 36, &entry, sizeof(entry));
  auto loaded = LoadHnswIndex(options, damaged);
  CHECK(loaded.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(loaded.status().message()),
             Catch::Contains("entry point"));
}

TEST_CASE("Every truncation gives DataLoss", "[index]") {
  const IndexOptions options{
      .dimension = 4, .metric = Metric::kL2, .hnsw = {.m = 4}};
  const std::string bytes = ToBytes(*SmallIndex(options, 60, 3));
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    auto loaded =
        LoadHnswIndex(options, std::string_view(bytes).substr(0, cut));
    INFO("cut at " << cut << " of " << bytes.size());
    REQUIRE(loaded.status().code() == absl::StatusCode::kDataLoss);
  }
  auto longer = LoadHnswIndex(options, bytes + '\0');
  CHECK(longer.status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("Random byte flips give DataLoss or a usable index", "[index]") {
  const IndexOptions options{
      .dimension = 4, .metric = Metric::kCosine, .hnsw = {.m = 4}};
  const std::string bytes = ToBytes(*SmallIndex(options, 80, 4));
  const auto queries = testing::RandomVectors(3, 4, 5);
  std::mt19937_64 rng(6);
  int rejected = 0, loaded_ok = 0;
  for (int trial = 0; trial < 600; ++trial) {
    std::string damaged = bytes;
    const int flips = 1 + trial % 4;
    for (int f = 0; f < flips; ++f) {
      // Half the trials aim at the header and link words, where damage is
      // most likely to be structural.
      const size_t limit = trial % 2 ? 200 : damaged.size();
      damaged[rng() % limit] ^= static_cast<char>(1 + rng() % 255);
    }
    auto loaded = LoadHnswIndex(options, damaged);
    if (!loaded.ok()) {
      REQUIRE(loaded.status().code() == absl::StatusCode::kDataLoss);
      ++rejected;
      continue;
    }
    ++loaded_ok;
    VectorIndex& index = **loaded;
    for (const auto& q : queries) {
      auto hits = MustSearch(index, q, 10, 20);
      CHECK(hits.size() == std::min<size_t>(10, index.Size()));
    }
    // A damaged but well-formed graph may trip hnswlib's own checks while
    // inserting; that must surface as a Status.
    const absl::Status added = index.Add(Labels(1000, 1003), Flatten(queries));
    CHECK((added.ok() || added.code() == absl::StatusCode::kInternal));
    CHECK(ToBytes(index).size() > 0);
  }
  INFO(rejected << " rejected, " << loaded_ok << " loaded");
  CHECK(rejected > 100);
  CHECK(loaded_ok > 10);
}

}  // namespace
}  // namespace vecdb
