// Benchmark data sets: base vectors, held-out query vectors and their exact
// k nearest neighbours under L2.
//
//   sift5k          the shared 5,000 real SIFT descriptors: the first 4,000
//                   rows are the base set, the last 1,000 the queries.
//   fashion-mnist   Debian's dataset-fashion-mnist package: the 60,000
//                   training images are the base set, the 10,000 test
//                   images the queries (784 pixels 0..255 as floats): the
//                   split of ann-benchmarks' fashion-mnist-784-euclidean.
//                   Directory: $VECDB_FASHION_MNIST_DIR or
//                   /usr/share/datasets/fashion-mnist.
//   sift-images     SIFT descriptors computed from the photographs and
//                   textures of Debian packages by
//                   benchmarks/data/extract_sift.py, stored as
//                   <cache_dir>/sift-images/{base,query}.fvecs. NotFound
//                   (naming the command that makes them) when absent.
//   fvecs:BASE,QUERY
//                   any pair of .fvecs files (the TEXMEX format: per row an
//                   int32 dimension, then that many float32).
//   20k, 100k, 1m, 1mx960 ...
//                   a seeded clustered generator: 100 Gaussian clusters,
//                   128-d unless "x<dim>" follows the size; base and queries
//                   are drawn from the same mixture with different random
//                   streams, so no query is a base vector.
//
// Ground truth is computed by brute force on all cores and cached in
// `cache_dir` (outside git), keyed by every parameter that changes it (for
// files: their path, size and modification time).
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
  // One of the names above.
  std::string name;
  // Query vectors wanted: the first ones of the set (sift5k has 1,000,
  // fashion-mnist 10,000).
  size_t num_queries = 1000;
  size_t k = 10;
  uint64_t seed = 42;
};

// Loads or generates the data set and its ground truth. NotFound if a file
// is missing, InvalidArgument for an unknown name or a malformed file.
absl::StatusOr<Dataset> LoadDataset(const DatasetSpec& spec,
                                    const std::string& shared_data_dir,
                                    const std::string& cache_dir);

// The exact k nearest base rows of every query under L2, closest first: the
// brute force (on all cores) that LoadDataset's ground truth comes from,
// for callers that change the base rows.
std::vector<std::vector<uint32_t>> ExactNeighbors(const Dataset& data,
                                                  size_t k);

// Writes rows as .fvecs (creating parent directories); how extracted or
// converted data sets are stored. Internal on an I/O error.
absl::Status WriteFvecs(const std::string& path, const float* rows,
                        size_t num_rows, size_t dim);

// Fraction of truth ids found among `found` (each list cut to k).
double RecallAtK(const std::vector<std::vector<uint32_t>>& truth,
                 const std::vector<std::vector<uint32_t>>& found, size_t k);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_DATASETS_H_
