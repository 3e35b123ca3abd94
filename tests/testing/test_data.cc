#include "tests/testing/test_data.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

namespace vecdb::testing {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr ? tmp : "/tmp") + "/vecdb-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SharedDataDir() {
  if (const char* env = std::getenv("VECDB_DATA_DIR"); env != nullptr) {
    return env;
  }
  return VECDB_SHARED_DATA_DIR;
}

std::vector<std::vector<float>> LoadSift5k() {
  const std::string path = SharedDataDir() + "/sift5k/sift-dataset-5k.tsv";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::vector<float>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::vector<float> row;
    float v;
    while (fields >> v) row.push_back(v);
    // 128 components, then the row's label (100001, 100002, ...).
    if (row.size() != 129) {
      throw std::runtime_error(path + ": row " + std::to_string(rows.size()) +
                               " has " + std::to_string(row.size()) +
                               " values, expected 128 and a label");
    }
    row.pop_back();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::vector<float>> RandomVectors(size_t n, size_t dim,
                                              uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<std::vector<float>> out(n, std::vector<float>(dim));
  for (auto& row : out) {
    for (float& x : row) x = uniform(rng);
  }
  return out;
}

std::vector<size_t> ExactKnnL2(const std::vector<std::vector<float>>& base,
                               const std::vector<float>& query, size_t k) {
  std::vector<std::pair<float, size_t>> scored(base.size());
  for (size_t i = 0; i < base.size(); ++i) {
    float d = 0;
    for (size_t j = 0; j < query.size(); ++j) {
      const float diff = base[i][j] - query[j];
      d += diff * diff;
    }
    scored[i] = {d, i};
  }
  k = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + k, scored.end());
  std::vector<size_t> ids(k);
  for (size_t i = 0; i < k; ++i) ids[i] = scored[i].second;
  return ids;
}

}  // namespace vecdb::testing
