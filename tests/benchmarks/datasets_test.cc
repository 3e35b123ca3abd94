#include "benchmarks/datasets.h"

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include "tests/testing/test_data.h"

namespace vecdb::bench {
namespace {

// Exact neighbours computed the slow, obvious way in double precision.
std::vector<uint32_t> NaiveNearest(const Dataset& data,
                                   const std::vector<float>& query,
                                   size_t k) {
  std::vector<std::pair<double, uint32_t>> scored;
  for (size_t i = 0; i < data.num_base(); ++i) {
    double d = 0;
    for (size_t j = 0; j < data.dim; ++j) {
      const double diff = double{data.row(i)[j]} - query[j];
      d += diff * diff;
    }
    scored.emplace_back(d, static_cast<uint32_t>(i));
  }
  std::sort(scored.begin(), scored.end());
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < k && i < scored.size(); ++i) {
    ids.push_back(scored[i].second);
  }
  return ids;
}

void CheckTruth(const Dataset& data, size_t k) {
  REQUIRE(data.truth.size() == data.queries.size());
  for (size_t q = 0; q < data.queries.size(); ++q) {
    INFO("query " << q);
    CHECK(data.truth[q] == NaiveNearest(data, data.queries[q], k));
  }
}

std::vector<float> RandomRows(size_t n, size_t dim, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> rows(n * dim);
  for (float& x : rows) x = u(rng);
  return rows;
}

TEST_CASE("a generated set takes its dimension from the name",
          "[datasets]") {
  testing::TempDir cache;
  auto data = LoadDataset({.name = "2kx40", .num_queries = 25, .k = 10},
                          "", cache.path());
  REQUIRE(data.ok());
  CHECK(data->dim == 40);
  CHECK(data->num_base() == 2000);
  CHECK(data->queries.size() == 25);
  CheckTruth(*data, 10);

  auto default_dim = LoadDataset({.name = "1k", .num_queries = 5}, "",
                                 cache.path());
  REQUIRE(default_dim.ok());
  CHECK(default_dim->dim == 128);
}

TEST_CASE("ground truth comes back from the cache unchanged", "[datasets]") {
  testing::TempDir cache;
  const DatasetSpec spec{.name = "3kx16", .num_queries = 40, .k = 5};
  auto first = LoadDataset(spec, "", cache.path());
  REQUIRE(first.ok());
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(cache.path())) {
    files += e.path().filename().string().rfind("truth-", 0) == 0;
  }
  CHECK(files == 1);
  auto second = LoadDataset(spec, "", cache.path());
  REQUIRE(second.ok());
  CHECK(second->truth == first->truth);
}

TEST_CASE("unknown and malformed names are refused", "[datasets]") {
  testing::TempDir cache;
  for (const std::string name : {"abc", "10q", "1mx0", "1mxabc", ""}) {
    INFO(name);
    auto data = LoadDataset({.name = name}, "", cache.path());
    CHECK(data.status().code() == absl::StatusCode::kInvalidArgument);
  }
  auto pair = LoadDataset({.name = "fvecs:only-one"}, "", cache.path());
  CHECK(pair.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("fvecs files round trip and get exact ground truth",
          "[datasets]") {
  testing::TempDir dir;
  const std::vector<float> base = RandomRows(500, 24, 1);
  const std::vector<float> queries = RandomRows(30, 24, 2);
  const std::string base_path = dir.path() + "/b/base.fvecs";
  const std::string query_path = dir.path() + "/q.fvecs";
  REQUIRE(WriteFvecs(base_path, base.data(), 500, 24).ok());
  REQUIRE(WriteFvecs(query_path, queries.data(), 30, 24).ok());
  CHECK(std::filesystem::file_size(base_path) == 500 * (4 + 24 * 4));

  auto data = LoadDataset(
      {.name = "fvecs:" + base_path + "," + query_path, .num_queries = 20,
       .k = 7},
      "", dir.path() + "/cache");
  REQUIRE(data.ok());
  CHECK(data->dim == 24);
  CHECK(data->base == base);
  REQUIRE(data->queries.size() == 20);
  CHECK(data->queries[19] ==
        std::vector<float>(queries.begin() + 19 * 24,
                           queries.begin() + 20 * 24));
  CheckTruth(*data, 7);

  SECTION("a changed file gets new ground truth, not the cached one") {
    const std::vector<float> other = RandomRows(300, 24, 3);
    REQUIRE(WriteFvecs(base_path, other.data(), 300, 24).ok());
    auto again = LoadDataset(
        {.name = "fvecs:" + base_path + "," + query_path, .num_queries = 20,
         .k = 7},
        "", dir.path() + "/cache");
    REQUIRE(again.ok());
    CHECK(again->num_base() == 300);
    CheckTruth(*again, 7);
  }
  SECTION("a truncated file is refused with its name") {
    std::filesystem::resize_file(base_path, 500 * (4 + 24 * 4) - 10);
    auto bad = LoadDataset({.name = "fvecs:" + base_path + "," + query_path},
                           "", dir.path() + "/cache");
    CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(bad.status().message().find("base.fvecs: row 499") !=
          std::string::npos);
  }
  SECTION("a query file of another dimension is refused") {
    const std::vector<float> wide = RandomRows(3, 25, 4);
    REQUIRE(WriteFvecs(query_path, wide.data(), 3, 25).ok());
    auto bad = LoadDataset({.name = "fvecs:" + base_path + "," + query_path},
                           "", dir.path() + "/cache");
    CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("a missing file is NotFound") {
    auto missing = LoadDataset(
        {.name = "fvecs:" + dir.path() + "/none.fvecs," + query_path}, "",
        dir.path() + "/cache");
    CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  }
}

TEST_CASE("sift-images names the command that makes it when absent",
          "[datasets]") {
  testing::TempDir cache;
  auto data = LoadDataset({.name = "sift-images"}, "", cache.path());
  CHECK(data.status().code() == absl::StatusCode::kNotFound);
  CHECK(data.status().message().find("extract_sift.py") != std::string::npos);
}

// Writes an IDX image file (gzip) of `count` images of rows x cols bytes.
void WriteIdx(const std::string& path, uint32_t magic,
              const std::vector<unsigned char>& pixels, uint32_t count,
              uint32_t rows, uint32_t cols) {
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  for (uint32_t v : {magic, count, rows, cols}) {
    const unsigned char be[4] = {static_cast<unsigned char>(v >> 24),
                                 static_cast<unsigned char>(v >> 16),
                                 static_cast<unsigned char>(v >> 8),
                                 static_cast<unsigned char>(v)};
    gzwrite(f, be, 4);
  }
  gzwrite(f, pixels.data(), static_cast<unsigned>(pixels.size()));
  gzclose(f);
}

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

TEST_CASE("fashion-mnist reads the IDX images of the package layout",
          "[datasets]") {
  testing::TempDir dir;
  std::vector<unsigned char> train(50 * 3 * 4);
  std::vector<unsigned char> test(8 * 3 * 4);
  for (size_t i = 0; i < train.size(); ++i) train[i] = (i * 37) % 256;
  for (size_t i = 0; i < test.size(); ++i) test[i] = (i * 11) % 256;
  WriteIdx(dir.path() + "/train-images-idx3-ubyte.gz", 0x803, train, 50, 3, 4);
  WriteIdx(dir.path() + "/t10k-images-idx3-ubyte.gz", 0x803, test, 8, 3, 4);
  ScopedEnv env("VECDB_FASHION_MNIST_DIR", dir.path());

  auto data = LoadDataset({.name = "fashion-mnist", .num_queries = 5, .k = 3},
                          "", dir.path() + "/cache");
  REQUIRE(data.ok());
  CHECK(data->dim == 12);
  CHECK(data->num_base() == 50);
  REQUIRE(data->queries.size() == 5);
  CHECK(data->row(1)[0] == static_cast<float>(train[12]));
  CHECK(data->queries[4][11] == static_cast<float>(test[4 * 12 + 11]));
  CheckTruth(*data, 3);

  SECTION("a label file in place of images is refused") {
    WriteIdx(dir.path() + "/train-images-idx3-ubyte.gz", 0x801, train, 50, 3,
             4);
    auto bad = LoadDataset({.name = "fashion-mnist"}, "",
                           dir.path() + "/cache");
    CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("a truncated file is refused") {
    train.resize(100);
    WriteIdx(dir.path() + "/train-images-idx3-ubyte.gz", 0x803, train, 50, 3,
             4);
    auto bad = LoadDataset({.name = "fashion-mnist"}, "",
                           dir.path() + "/cache");
    CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("the installed fashion-mnist package has the ann-benchmarks split",
          "[datasets]") {
  testing::TempDir cache;
  auto data = LoadDataset({.name = "fashion-mnist", .num_queries = 3, .k = 10},
                          "", cache.path());
  REQUIRE(data.ok());
  CHECK(data->dim == 784);
  CHECK(data->num_base() == 60000);
  CHECK(data->queries.size() == 3);
  // The first test image is an ankle boot (label 9): its nearest training
  // images are ankle boots too; check the truth against the naive scan.
  CHECK(data->truth[0] == NaiveNearest(*data, data->queries[0], 10));
}

}  // namespace
}  // namespace vecdb::bench
