// The measurements of vecdb_filter_bench on the embedded engine: builds the
// collection, picks ef, and times the unfiltered query, an exact scan and
// every filter case on one thread, one query per call.
#ifndef VECDB_BENCHMARKS_FILTER_MEASURE_H_
#define VECDB_BENCHMARKS_FILTER_MEASURE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "benchmarks/datasets.h"
#include "benchmarks/machine.h"
#include "benchmarks/filter_report.h"
#include "benchmarks/filter_workload.h"

namespace vecdb::bench {

struct MeasureOptions {
  size_t k = 10;
  // Search breadth; 0 = the smallest of 16, 24, 32, 48, ... whose
  // unfiltered recall@k is >= 0.95.
  size_t ef = 0;
  // Each latency measurement repeats passes over the queries this long.
  double min_run_seconds = 1.0;
  // The engine's data directory (created; the caller removes it).
  std::string work_dir;
};

// Opens an engine in `options.work_dir` (sync_writes), upserts the data
// set with the workload's metadata into an L2 collection (M 16,
// ef_construction 200) in batches of 1000, and fills `report` with the
// baselines and one CaseResult per workload case (`truth[c]` is case c's
// filtered ground truth). Ratios are left to ComputeCaseRatios().
absl::Status MeasureFilteredSearch(
    const MeasureOptions& options, const Dataset& data,
    const FilterWorkload& workload,
    const std::vector<std::vector<std::vector<uint32_t>>>& truth,
    FilterReport& report);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_FILTER_MEASURE_H_
