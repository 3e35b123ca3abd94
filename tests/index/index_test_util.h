// Shared pieces of the index tests: builders, search wrappers, recall.
#ifndef VECDB_TESTS_INDEX_INDEX_TEST_UTIL_H_
#define VECDB_TESTS_INDEX_INDEX_TEST_UTIL_H_

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "index/vector_index.h"

namespace vecdb::testing {

inline std::vector<float> Flatten(const std::vector<std::vector<float>>& rows,
                                  size_t begin = 0, size_t end = SIZE_MAX) {
  end = std::min(end, rows.size());
  std::vector<float> out;
  for (size_t i = begin; i < end; ++i) {
    out.insert(out.end(), rows[i].begin(), rows[i].end());
  }
  return out;
}

inline std::vector<uint64_t> Labels(uint64_t begin, uint64_t end) {
  std::vector<uint64_t> out(end - begin);
  std::iota(out.begin(), out.end(), begin);
  return out;
}

inline std::unique_ptr<VectorIndex> MustHnsw(const IndexOptions& options) {
  auto index = NewHnswIndex(options);
  REQUIRE(index.ok());
  return std::move(index).value();
}

inline std::unique_ptr<VectorIndex> MustFlat(const IndexOptions& options) {
  auto index = NewFlatIndex(options);
  REQUIRE(index.ok());
  return std::move(index).value();
}

inline std::vector<SearchHit> MustSearch(const VectorIndex& index,
                                         const std::vector<float>& query,
                                         size_t k, size_t ef) {
  auto hits = index.Search(query, k, ef);
  REQUIRE(hits.ok());
  return *hits;
}

inline std::vector<uint64_t> HitLabels(const std::vector<SearchHit>& hits) {
  std::vector<uint64_t> out;
  for (const SearchHit& hit : hits) out.push_back(hit.label);
  return out;
}

// Mean fraction of the exact top-k labels that the approximate index
// returns, over `queries`.
inline double RecallAt(const VectorIndex& approx, const VectorIndex& exact,
                       const std::vector<std::vector<float>>& queries, size_t k,
                       size_t ef) {
  size_t found = 0, wanted = 0;
  for (const auto& q : queries) {
    const auto truth = HitLabels(MustSearch(exact, q, k, 0));
    const auto got = HitLabels(MustSearch(approx, q, k, ef));
    const std::set<uint64_t> got_set(got.begin(), got.end());
    for (uint64_t label : truth) found += got_set.count(label);
    wanted += truth.size();
  }
  return wanted == 0 ? 1.0 : static_cast<double>(found) / wanted;
}

inline bool SortedByDistance(const std::vector<SearchHit>& hits) {
  return std::is_sorted(hits.begin(), hits.end(),
                        [](const SearchHit& a, const SearchHit& b) {
                          return a.distance < b.distance;
                        });
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_INDEX_INDEX_TEST_UTIL_H_
