// The filtered-search workload of vecdb_filter_bench: seeded metadata for
// every base row, one filter per (kind, selectivity), and the exact
// filtered ground truth.
//
// Metadata of row i, independent of its vector:
//   "s0_1", "s1", "s10", "s50", "s100"   bool, true on exactly
//        round(s * n) rows chosen at random (0.1%, 1%, 10%, 50%, 100%),
//        false on the others
//   "bucket"                             int, uniform in 0..999
// Filters: kEq(<bool field>, true), and kLt("bucket", 1000 * s), which
// matches about the same fraction but costs more to evaluate (a range
// over up to 1000 postings instead of one).
//
// Thread safety: free functions only; a FilterWorkload is read-only once
// built.
#ifndef VECDB_BENCHMARKS_FILTER_WORKLOAD_H_
#define VECDB_BENCHMARKS_FILTER_WORKLOAD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "benchmarks/datasets.h"
#include "common/filter.h"
#include "common/types.h"

namespace vecdb::bench {

// The selectivities reported, smallest first.
inline constexpr double kSelectivities[] = {0.001, 0.01, 0.1, 0.5, 1.0};
inline constexpr int64_t kBuckets = 1000;

enum class FilterKind { kEq, kRange };

struct FilterCase {
  FilterKind kind = FilterKind::kEq;
  // Wanted fraction of matching rows.
  double selectivity = 0;
  // Readable form, e.g. "s1 == true", "bucket < 10".
  std::string label;
  Filter filter;
  // The matching base rows, ascending.
  std::vector<uint32_t> rows;
};

struct FilterWorkload {
  size_t num_rows = 0;
  // flags[f][i]: the value of bool field kSelectivities[f] on row i.
  std::vector<std::vector<bool>> flags;
  std::vector<int64_t> bucket;
  // Eq cases first, then range cases, each in kSelectivities order.
  std::vector<FilterCase> cases;

  // The metadata upserted with row `row`.
  Metadata MetadataOf(size_t row) const;
};

// The field name of selectivity `s`: 0.001 -> "s0_1", 0.5 -> "s50".
std::string FlagField(double s);

// Draws the metadata of `num_rows` rows from `seed` and builds the cases.
FilterWorkload MakeFilterWorkload(size_t num_rows, uint64_t seed);

// truth[c][q]: the rows of cases[c] nearest (L2) to query q, closest
// first, min(k, matching rows) each. Brute force on all cores.
std::vector<std::vector<std::vector<uint32_t>>> FilteredTruth(
    const Dataset& data, const std::vector<FilterCase>& cases, size_t k);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_FILTER_WORKLOAD_H_
