// Benchmark data sets: base vectors, held-out query vectors and their exact
// k nearest neighbours under L2.
//
//   sift5k   the shared 5,000 real SIFT descriptors: the first 4,000 rows are
//            the base set, the last 1,000 the queries (never in the base).
//   20k, 100k, 1m
//            a seeded clustered generator: 100 Gaussian clusters in 128-d;
//            base and queries are drawn from the same mixture with
//            different random streams, so no query is a base vector.
//
// Ground truth is computed by brute force on all cores and cached in
// `cache_dir`, keyed by every parameter that changes it.
//
// Thread safety: free functions only; each call is independent.
#ifndef VECDB_BENCHMARKS_DATASETS_H_
#define VECDB_BENCHMARKS_DATASETS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vecdb::bench {

struct Dataset {
  std::string name;
  size_t dim = 0;
  // num_base * dim floats, row by row. Row i is point "i" in every system.
  std::vector<float> base;
  std::vector<std::vector<float>> queries;
  // truth[q] = ids (row numbers) of the k exact nearest base rows, closest
  // first.
  std::vector<std::vector<uint32_t>> truth;

  size_t num_base() const { return dim == 0 ? 0 : base.size() / dim; }
  const float* row(size_t i) const { return base.data() + i * dim; }
};

struct DatasetSpec {
  // "sift5k", or a size such as "20k", "100k", "1m" for generated data.
  std::string name;
  // Query vectors wanted (sift5k has at most 1,000).
  size_t num_queries = 1000;
  size_t k = 10;
  uint64_t seed = 42;
};

// Loads or generates the data set and its ground truth. NotFound if the
// sift5k file is missing, InvalidArgument for an unknown name.
absl::StatusOr<Dataset> LoadDataset(const DatasetSpec& spec,
                                    const std::string& shared_data_dir,
                                    const std::string& cache_dir);

// Fraction of truth ids found among `found` (each list cut to k).
double RecallAtK(const std::vector<std::vector<uint32_t>>& truth,
                 const std::vector<std::vector<uint32_t>>& found, size_t k);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_DATASETS_H_
