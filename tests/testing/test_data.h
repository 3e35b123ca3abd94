// Fixtures for tests: temporary directories, the shared data sets, random
// vectors and an exact-search oracle.
#ifndef VECDB_TESTS_TESTING_TEST_DATA_H_
#define VECDB_TESTS_TESTING_TEST_DATA_H_

#include <cstdint>
#include <string>
#include <vector>

namespace vecdb::testing {

// A fresh directory under $TMPDIR, removed with everything in it on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Directory of the shared test data (MED, ADI, sift5k): $VECDB_DATA_DIR
// when set, else ../shared/data next to the source tree.
std::string SharedDataDir();

// The 5,000 x 128 SIFT vectors of sift5k, row by row (each line of the
// file holds 128 components and a trailing row label, which is dropped).
// Throws if the file is missing or malformed.
std::vector<std::vector<float>> LoadSift5k();

// `n` vectors of `dim` components uniform in [-1, 1], deterministic in seed.
std::vector<std::vector<float>> RandomVectors(size_t n, size_t dim,
                                              uint64_t seed);

// Squared L2 / cosine distance helpers are in index/vector_index.h
// (vecdb::Distance); this computes the ids of the k exact nearest
// neighbours of `query` among `base` under squared L2 distance.
std::vector<size_t> ExactKnnL2(const std::vector<std::vector<float>>& base,
                               const std::vector<float>& query, size_t k);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_TESTING_TEST_DATA_H_
