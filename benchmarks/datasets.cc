#include "benchmarks/datasets.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <queue>
#include <utility>

#include <zlib.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "common/status_macros.h"

namespace vecdb::bench {
namespace {

constexpr size_t kDim = 128;
constexpr size_t kClusters = 100;
constexpr char kFashionMnistDefaultDir[] = "/usr/share/datasets/fashion-mnist";
// Upper bounds that keep a damaged header from asking for huge buffers.
constexpr int32_t kMaxFileDim = 1 << 16;
constexpr size_t kMaxIdxBytes = size_t{1} << 34;

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

// "1m" -> {1000000, 128}, "100kx960" -> {100000, 960}; n = 0 if malformed.
std::pair<size_t, size_t> ParseGenerated(const std::string& name) {
  const size_t x = name.find('x');
  if (x == std::string::npos) return {ParseSize(name), kDim};
  const std::string dim_text = name.substr(x + 1);
  size_t dim = 0;
  auto [ptr, ec] = std::from_chars(
      dim_text.data(), dim_text.data() + dim_text.size(), dim);
  if (ec != std::errc() || ptr != dim_text.data() + dim_text.size() ||
      dim == 0 || dim > 65536) {
    return {0, 0};
  }
  return {ParseSize(name.substr(0, x)), dim};
}

// An IDX file (big-endian u32 magic 0x00000803, count, rows, cols, then
// count * rows * cols bytes), gzip-compressed as the package ships it.
absl::Status ReadIdxImages(const std::string& path, size_t max_rows,
                           size_t& dim, std::vector<float>& rows) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "cannot open ", path,
        " (install Debian's dataset-fashion-mnist package or set "
        "VECDB_FASHION_MNIST_DIR)"));
  }
  unsigned char header[16];
  auto be32 = [&](int at) {
    return (uint32_t{header[at]} << 24) | (uint32_t{header[at + 1]} << 16) |
           (uint32_t{header[at + 2]} << 8) | uint32_t{header[at + 3]};
  };
  absl::Status status;
  if (gzread(file, header, sizeof(header)) != sizeof(header) ||
      be32(0) != 0x00000803) {
    status = absl::InvalidArgumentError(
        absl::StrCat(path, ": not an IDX image file (magic 0x00000803)"));
  } else {
    const size_t count = std::min<size_t>(be32(4), max_rows);
    dim = size_t{be32(8)} * be32(12);
    if (dim == 0 || dim > size_t{kMaxFileDim} || count * dim > kMaxIdxBytes ||
        count * dim > size_t{INT32_MAX}) {
      gzclose(file);
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": implausible header (", count, " images of ", be32(8),
          " x ", be32(12), ")"));
    }
    std::vector<unsigned char> pixels(count * dim);
    const int want = static_cast<int>(pixels.size());
    if (gzread(file, pixels.data(), want) != want) {
      status = absl::InvalidArgumentError(
          absl::StrCat(path, ": truncated (", count, " images of ", dim,
                       " pixels expected)"));
    } else {
      rows.assign(pixels.begin(), pixels.end());
    }
  }
  gzclose(file);
  return status;
}

std::string FashionMnistDir() {
  const char* env = std::getenv("VECDB_FASHION_MNIST_DIR");
  return env != nullptr && *env != '\0' ? env : kFashionMnistDefaultDir;
}

absl::Status LoadFashionMnist(size_t num_queries, Dataset& out) {
  const std::string dir = FashionMnistDir();
  size_t query_dim = 0;
  std::vector<float> queries;
  VECDB_RETURN_IF_ERROR(ReadIdxImages(dir + "/train-images-idx3-ubyte.gz",
                                      SIZE_MAX, out.dim, out.base));
  VECDB_RETURN_IF_ERROR(ReadIdxImages(dir + "/t10k-images-idx3-ubyte.gz",
                                      num_queries, query_dim, queries));
  if (query_dim != out.dim) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, ": train images have ", out.dim,
                     " pixels, test images ", query_dim));
  }
  for (size_t i = 0; i + query_dim <= queries.size(); i += query_dim) {
    out.queries.emplace_back(queries.begin() + i,
                             queries.begin() + i + query_dim);
  }
  return absl::OkStatus();
}

// Reads every row of a .fvecs file.
absl::Status ReadFvecs(const std::string& path, size_t max_rows, size_t& dim,
                       std::vector<float>& rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::error_code ec;
  const uintmax_t file_size = std::filesystem::file_size(path, ec);
  dim = 0;
  int32_t row_dim = 0;
  size_t count = 0;
  while (count < max_rows &&
         in.read(reinterpret_cast<char*>(&row_dim), sizeof(row_dim))) {
    const bool fits = !ec && row_dim > 0 && row_dim <= kMaxFileDim &&
                      (count + 1) * (4 + 4 * uintmax_t(row_dim)) <= file_size;
    if (!fits && row_dim > 0 && row_dim <= kMaxFileDim) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": row ", count, " is truncated"));
    }
    if (!fits || (dim != 0 && static_cast<size_t>(row_dim) != dim)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": row ", count, " has dimension ", row_dim,
                       dim == 0 ? "" : absl::StrCat(", expected ", dim)));
    }
    dim = static_cast<size_t>(row_dim);
    const size_t at = rows.size();
    rows.resize(at + dim);
    if (!in.read(reinterpret_cast<char*>(rows.data() + at),
                 static_cast<std::streamsize>(dim * sizeof(float)))) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": row ", count, " is truncated"));
    }
    ++count;
  }
  if (count == 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no rows"));
  }
  if (count < max_rows && in.gcount() != 0 && in.eof()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ends inside the header of row ", count));
  }
  return absl::OkStatus();
}

absl::Status LoadFvecsPair(const std::string& base_path,
                           const std::string& query_path, size_t num_queries,
                           Dataset& out) {
  VECDB_RETURN_IF_ERROR(ReadFvecs(base_path, SIZE_MAX, out.dim, out.base));
  size_t query_dim = 0;
  std::vector<float> queries;
  VECDB_RETURN_IF_ERROR(
      ReadFvecs(query_path, num_queries, query_dim, queries));
  if (query_dim != out.dim) {
    return absl::InvalidArgumentError(
        absl::StrCat(query_path, ": dimension ", query_dim, ", base has ",
                     out.dim));
  }
  for (size_t i = 0; i < queries.size(); i += query_dim) {
    out.queries.emplace_back(queries.begin() + i,
                             queries.begin() + i + query_dim);
  }
  return absl::OkStatus();
}

// Identifies a file's current content for the ground-truth cache key.
std::string FileKey(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const auto mtime = std::filesystem::last_write_time(path, ec);
  return absl::StrCat(std::hash<std::string>{}(path), "-", size, "-",
                      mtime.time_since_epoch().count());
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
void Generate(size_t n, size_t dim, size_t num_queries, uint64_t seed,
              Dataset& out) {
  std::mt19937_64 center_rng(seed);
  std::normal_distribution<float> unit(0.0f, 1.0f);
  std::vector<float> centers(kClusters * dim);
  for (float& c : centers) c = unit(center_rng);
  std::vector<float> sigma(dim);
  for (size_t j = 0; j < dim; ++j) {
    sigma[j] = 0.6f / std::sqrt(1.0f + static_cast<float>(j) / 16.0f);
  }
  auto draw = [&](std::mt19937_64& rng, float* dst) {
    const size_t c = rng() % kClusters;
    for (size_t j = 0; j < dim; ++j) {
      dst[j] = centers[c * dim + j] + sigma[j] * unit(rng);
    }
  };
  out.dim = dim;
  out.base.resize(n * dim);
  std::mt19937_64 base_rng(seed * 1000003 + 1);
  for (size_t i = 0; i < n; ++i) draw(base_rng, out.base.data() + i * dim);
  std::mt19937_64 query_rng(seed * 1000003 + 2);
  out.queries.assign(num_queries, std::vector<float>(dim));
  for (auto& q : out.queries) draw(query_rng, q.data());
}

// Squared L2 distance with 16 independent partial sums, which the compiler
// turns into vector instructions without reassociation flags, added up in
// double: integer data such as pixels (partial sums < 2^24) then gets
// exact distances, so ties are ordered by id and not by rounding.
double SquaredL2(const float* a, const float* b, size_t dim) {
  constexpr size_t kLanes = 16;
  float acc[kLanes] = {};
  size_t j = 0;
  for (; j + kLanes <= dim; j += kLanes) {
    for (size_t t = 0; t < kLanes; ++t) {
      const float diff = a[j + t] - b[j + t];
      acc[t] += diff * diff;
    }
  }
  double d = 0;
  for (; j < dim; ++j) {
    const double diff = double{a[j]} - double{b[j]};
    d += diff * diff;
  }
  for (float x : acc) d += x;
  return d;
}

// Exact k nearest base rows of every query. Queries are taken in blocks so
// that one pass over the base rows (which may not fit in cache) serves a
// whole block.
std::vector<std::vector<uint32_t>> BruteForce(const Dataset& data, size_t k) {
  constexpr size_t kBlock = 32;
  const size_t nq = data.queries.size();
  std::vector<std::vector<uint32_t>> truth(nq);
  const size_t n = data.num_base();
  k = std::min(k, n);
  const size_t blocks = (nq + kBlock - 1) / kBlock;
  ParallelFor(blocks, HardwareThreads(), [&](size_t b, size_t) {
    const size_t first = b * kBlock;
    const size_t last = std::min(nq, first + kBlock);
    // Max-heaps of (distance, id): the worst kept neighbour on top.
    std::vector<std::priority_queue<std::pair<double, uint32_t>>> best(
        last - first);
    for (size_t i = 0; i < n; ++i) {
      const float* row = data.row(i);
      for (size_t q = first; q < last; ++q) {
        const double d = SquaredL2(row, data.queries[q].data(), data.dim);
        auto& heap = best[q - first];
        const std::pair<double, uint32_t> entry{d, static_cast<uint32_t>(i)};
        if (heap.size() < k) {
          heap.push(entry);
        } else if (entry < heap.top()) {
          heap.pop();
          heap.push(entry);
        }
      }
    }
    for (size_t q = first; q < last; ++q) {
      auto& heap = best[q - first];
      truth[q].resize(heap.size());
      for (size_t r = heap.size(); r-- > 0;) {
        truth[q][r] = heap.top().second;
        heap.pop();
      }
    }
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
  auto load_files = [&](const std::string& base_path,
                        const std::string& query_path) -> absl::Status {
    VECDB_RETURN_IF_ERROR(
        LoadFvecsPair(base_path, query_path, spec.num_queries, data));
    key = absl::StrCat("fvecs-", FileKey(base_path), "-", FileKey(query_path),
                       "-q", data.queries.size(), "-k", spec.k);
    return absl::OkStatus();
  };
  if (spec.name == "sift5k" || spec.name == "5k") {
    data.name = "sift5k";
    VECDB_RETURN_IF_ERROR(LoadSift(shared_data_dir, spec.num_queries, data));
    key = absl::StrCat("sift5k-q", data.queries.size(), "-k", spec.k);
  } else if (spec.name == "fashion-mnist") {
    VECDB_RETURN_IF_ERROR(LoadFashionMnist(spec.num_queries, data));
    const std::string dir = FashionMnistDir();
    key = absl::StrCat("fashion-mnist-",
                       FileKey(dir + "/train-images-idx3-ubyte.gz"), "-",
                       FileKey(dir + "/t10k-images-idx3-ubyte.gz"), "-q",
                       data.queries.size(), "-k", spec.k);
  } else if (spec.name == "sift-images") {
    const std::string dir = cache_dir + "/sift-images";
    if (!std::filesystem::exists(dir + "/base.fvecs")) {
      return absl::NotFoundError(absl::StrCat(
          dir, "/base.fvecs is missing: make it with "
               "'benchmarks/data/extract_sift.py --out ",
          dir, "' (needs python3-opencv and image packages; "
               "benchmarks/suite.sh does both)"));
    }
    VECDB_RETURN_IF_ERROR(
        load_files(dir + "/base.fvecs", dir + "/query.fvecs"));
  } else if (spec.name.rfind("fvecs:", 0) == 0) {
    const std::string paths = spec.name.substr(6);
    const size_t comma = paths.find(',');
    if (comma == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "data set '", spec.name, "': expected fvecs:BASE,QUERY"));
    }
    VECDB_RETURN_IF_ERROR(
        load_files(paths.substr(0, comma), paths.substr(comma + 1)));
  } else {
    const auto [n, dim] = ParseGenerated(spec.name);
    if (n == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown data set '", spec.name,
          "': expected sift5k, fashion-mnist, sift-images, "
          "fvecs:BASE,QUERY or a size such as 100k, 1m, 1mx960"));
    }
    Generate(n, dim, spec.num_queries, spec.seed, data);
    key = absl::StrCat("clustered-n", n, "-d", dim, "-c", kClusters, "-s",
                       spec.seed, "-q", spec.num_queries, "-k", spec.k);
  }
  if (data.queries.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("data set '", spec.name, "' has no queries"));
  }
  const std::string path = cache_dir + "/truth-" + key + ".bin";
  const size_t k = std::min(spec.k, data.num_base());
  if (!ReadTruth(path, data.queries.size(), k, data.truth)) {
    data.truth = BruteForce(data, k);
    WriteTruth(path, data.truth, k);
  }
  return data;
}

std::vector<std::vector<uint32_t>> ExactNeighbors(const Dataset& data,
                                                  size_t k) {
  return BruteForce(data, k);
}

absl::Status WriteFvecs(const std::string& path, const float* rows,
                        size_t num_rows, size_t dim) {
  std::error_code ec;
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const int32_t row_dim = static_cast<int32_t>(dim);
  for (size_t i = 0; i < num_rows && out; ++i) {
    out.write(reinterpret_cast<const char*>(&row_dim), sizeof(row_dim));
    out.write(reinterpret_cast<const char*>(rows + i * dim),
              static_cast<std::streamsize>(dim * sizeof(float)));
  }
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
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
