#include "benchmarks/datasets.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "common/status_macros.h"

namespace vecdb::bench {
namespace {

constexpr size_t kDim = 128;
constexpr size_t kClusters = 100;

// "20k" -> 20000, "1m" -> 1000000; 0 if malformed.
size_t ParseSize(const std::string& name) {
  if (name.empty()) return 0;
  size_t mult = 1;
  std::string digits = name;
  const char suffix = static_cast<char>(std::tolower(name.back()));
  if (suffix == 'k') mult = 1000;
  if (suffix == 'm') mult = 1000000;
  if (mult != 1) digits.pop_back();
  size_t n = 0;
  auto [ptr, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return 0;
  return n * mult;
}

// The file has 129 tab-separated columns: 128 components, then a row id,
// which is dropped.
absl::Status LoadSift(const std::string& dir, size_t num_queries,
                      Dataset& out) {
  const std::string path = dir + "/sift5k/sift-dataset-5k.tsv";
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<std::vector<float>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::vector<float> row(kDim);
    for (float& x : row) {
      if (!(fields >> x)) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ": row ", rows.size(), " has fewer than 128 values"));
      }
    }
    rows.push_back(std::move(row));
  }
  num_queries = std::min<size_t>(num_queries, 1000);
  if (rows.size() <= 1000) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": too few rows"));
  }
  const size_t num_base = rows.size() - 1000;
  out.dim = kDim;
  out.base.reserve(num_base * kDim);
  for (size_t i = 0; i < num_base; ++i) {
    out.base.insert(out.base.end(), rows[i].begin(), rows[i].end());
  }
  for (size_t i = 0; i < num_queries; ++i) {
    out.queries.push_back(std::move(rows[num_base + i]));
  }
  return absl::OkStatus();
}

// A mixture of kClusters Gaussians. Centres ~ N(0, 1) per component; a
// point is its centre plus noise whose spread falls with the component
// index (sigma_j = 0.6 / sqrt(1 + j / 16)), so the data has a lower
// intrinsic dimension than 128, like real embeddings. Base rows and
// queries come from separate random streams.
void Generate(size_t n, size_t num_queries, uint64_t seed, Dataset& out) {
  std::mt19937_64 center_rng(seed);
  std::normal_distribution<float> unit(0.0f, 1.0f);
  std::vector<float> centers(kClusters * kDim);
  for (float& c : centers) c = unit(center_rng);
  std::vector<float> sigma(kDim);
  for (size_t j = 0; j < kDim; ++j) {
    sigma[j] = 0.6f / std::sqrt(1.0f + static_cast<float>(j) / 16.0f);
  }
  auto draw = [&](std::mt19937_64& rng, float* dst) {
    const size_t c = rng() % kClusters;
    for (size_t j = 0; j < kDim; ++j) {
      dst[j] = centers[c * kDim + j] + sigma[j] * unit(rng);
    }
  };
  out.dim = kDim;
  out.base.resize(n * kDim);
  std::mt19937_64 base_rng(seed * 1000003 + 1);
  for (size_t i = 0; i < n; ++i) draw(base_rng, out.base.data() + i * kDim);
  std::mt19937_64 query_rng(seed * 1000003 + 2);
  out.queries.assign(num_queries, std::vector<float>(kDim));
  for (auto& q : out.queries) draw(query_rng, q.data());
}

std::vector<std::vector<uint32_t>> BruteForce(const Dataset& data, size_t k) {
  std::vector<std::vector<uint32_t>> truth(data.queries.size());
  const size_t n = data.num_base();
  k = std::min(k, n);
  ParallelFor(data.queries.size(), HardwareThreads(), [&](size_t q, size_t) {
    const float* query = data.queries[q].data();
    std::vector<std::pair<float, uint32_t>> scored(n);
    for (size_t i = 0; i < n; ++i) {
      const float* row = data.row(i);
      float d = 0;
      for (size_t j = 0; j < data.dim; ++j) {
        const float diff = row[j] - query[j];
        d += diff * diff;
      }
      scored[i] = {d, static_cast<uint32_t>(i)};
    }
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end());
    truth[q].resize(k);
    for (size_t i = 0; i < k; ++i) truth[q][i] = scored[i].second;
  });
  return truth;
}

// Cache file format: u64 num_queries, u64 k, then num_queries * k u32 ids.
bool ReadTruth(const std::string& path, size_t num_queries, size_t k,
               std::vector<std::vector<uint32_t>>& truth) {
  std::ifstream in(path, std::ios::binary);
  uint64_t header[2] = {0, 0};
  if (!in.read(reinterpret_cast<char*>(header), sizeof(header))) return false;
  if (header[0] != num_queries || header[1] != k) return false;
  truth.assign(num_queries, std::vector<uint32_t>(k));
  for (auto& ids : truth) {
    if (!in.read(reinterpret_cast<char*>(ids.data()), k * sizeof(uint32_t))) {
      return false;
    }
  }
  return true;
}

void WriteTruth(const std::string& path,
                const std::vector<std::vector<uint32_t>>& truth, size_t k) {
  std::error_code ec;
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path(), ec);
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  const uint64_t header[2] = {truth.size(), k};
  out.write(reinterpret_cast<const char*>(header), sizeof(header));
  for (const auto& ids : truth) {
    out.write(reinterpret_cast<const char*>(ids.data()),
              ids.size() * sizeof(uint32_t));
  }
  out.close();
  if (out) std::filesystem::rename(tmp, path, ec);
}

}  // namespace

absl::StatusOr<Dataset> LoadDataset(const DatasetSpec& spec,
                                    const std::string& shared_data_dir,
                                    const std::string& cache_dir) {
  Dataset data;
  data.name = spec.name;
  std::string key;
  if (spec.name == "sift5k" || spec.name == "5k") {
    data.name = "sift5k";
    VECDB_RETURN_IF_ERROR(LoadSift(shared_data_dir, spec.num_queries, data));
    key = absl::StrCat("sift5k-q", data.queries.size(), "-k", spec.k);
  } else {
    const size_t n = ParseSize(spec.name);
    if (n == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown data set '", spec.name,
                       "': expected sift5k or a size such as 100k, 1m"));
    }
    Generate(n, spec.num_queries, spec.seed, data);
    key = absl::StrCat("clustered-n", n, "-d", kDim, "-c", kClusters, "-s",
                       spec.seed, "-q", spec.num_queries, "-k", spec.k);
  }
  const std::string path = cache_dir + "/truth-" + key + ".bin";
  const size_t k = std::min(spec.k, data.num_base());
  if (!ReadTruth(path, data.queries.size(), k, data.truth)) {
    data.truth = BruteForce(data, k);
    WriteTruth(path, data.truth, k);
  }
  return data;
}

double RecallAtK(const std::vector<std::vector<uint32_t>>& truth,
                 const std::vector<std::vector<uint32_t>>& found, size_t k) {
  size_t hits = 0;
  size_t total = 0;
  for (size_t q = 0; q < truth.size() && q < found.size(); ++q) {
    const size_t kt = std::min(k, truth[q].size());
    const size_t kf = std::min(k, found[q].size());
    for (size_t i = 0; i < kt; ++i) {
      hits += std::count(found[q].begin(), found[q].begin() + kf, truth[q][i]);
    }
    total += kt;
  }
  return total == 0 ? 0 : static_cast<double>(hits) / total;
}

}  // namespace vecdb::bench
