// Recall of HnswIndex against exact search (FlatIndex) on SIFT and on
// random data under each metric.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "index/vector_index.h"
#include "tests/index/index_test_util.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::Flatten;
using testing::Labels;
using testing::MustFlat;
using testing::MustHnsw;

constexpr double kMinRecall = 0.95;

// The sift5k rows as stored: 128 components followed by a row id (NGT's
// layout), which testing::LoadSift5k() does not expect yet; the id is
// dropped here.
std::vector<std::vector<float>> LoadSiftRows() {
  std::ifstream in(testing::SharedDataDir() + "/sift5k/sift-dataset-5k.tsv");
  REQUIRE(in.good());
  std::vector<std::vector<float>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<float> row(128);
    for (float& x : row) REQUIRE(static_cast<bool>(fields >> x));
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST_CASE("HNSW recall@10 on sift5k is at least 0.95", "[index]") {
  const auto sift = LoadSiftRows();
  REQUIRE(sift.size() == 5000);
  const size_t base = 4500;
  const std::vector<std::vector<float>> queries(sift.begin() + base,
                                                sift.end());
  const IndexOptions options{.dimension = 128,
                             .metric = Metric::kL2,
                             .hnsw = {.m = 16, .ef_construction = 200}};
  auto index = MustHnsw(options);
  auto exact = MustFlat(options);
  REQUIRE(index->Add(Labels(0, base), Flatten(sift, 0, base)).ok());
  REQUIRE(exact->Add(Labels(0, base), Flatten(sift, 0, base)).ok());

  double previous = 0;
  for (size_t ef : {64, 128}) {
    const double recall = testing::RecallAt(*index, *exact, queries, 10, ef);
    INFO("ef " << ef << " recall@10 " << recall);
    CHECK(recall >= kMinRecall);
    CHECK(recall >= previous - 0.005);
    previous = recall;
  }
}

TEST_CASE("HNSW recall@10 on random data under cosine and inner product",
          "[index]") {
  const size_t n = 10000, dim = 64;
  const auto rows = testing::RandomVectors(n, dim, 77);
  const auto queries = testing::RandomVectors(200, dim, 78);
  for (Metric metric : {Metric::kCosine, Metric::kInnerProduct}) {
    const IndexOptions options{.dimension = dim,
                               .metric = metric,
                               .hnsw = {.m = 16, .ef_construction = 100}};
    auto index = MustHnsw(options);
    auto exact = MustFlat(options);
    REQUIRE(index->Add(Labels(0, n), Flatten(rows)).ok());
    REQUIRE(exact->Add(Labels(0, n), Flatten(rows)).ok());
    const double recall = testing::RecallAt(*index, *exact, queries, 10, 256);
    INFO(MetricName(metric) << " recall@10 at ef 256: " << recall);
    CHECK(recall >= kMinRecall);
  }
}

}  // namespace
}  // namespace vecdb
