// Measures one AnnIndex: creates it, times its build and the memory it
// took, then runs every query at each value of the search parameter. Meant
// to run inside a child process (child_process.h), one system at a time.
#ifndef VECDB_BENCHMARKS_ANN_RUNNER_H_
#define VECDB_BENCHMARKS_ANN_RUNNER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmarks/ann_index.h"
#include "benchmarks/ann_result.h"
#include "benchmarks/datasets.h"

namespace vecdb::bench {

struct AnnSweep {
  // Search parameter values, measured in this order; the sweep ends after
  // the first point with recall 1.
  std::vector<size_t> values;
  // Values above this are skipped (IVF: nprobe > nlist). Default: no limit.
  size_t max_value = SIZE_MAX;
  size_t k = 10;
  // Threads issuing queries, one query per call. Default: 1.
  size_t threads = 1;
  // Each point is measured `runs` times; a run repeats full passes over the
  // queries until it has taken min_run_seconds / runs (at least one pass).
  // The point keeps the fastest run (QPS and its latencies), as
  // ann-benchmarks does, so a burst of load from elsewhere on the machine
  // does not bend the curve. Defaults: 1 s, 3 runs.
  double min_run_seconds = 1.0;
  size_t runs = 3;
};

using AnnIndexFactory =
    std::function<absl::StatusOr<std::unique_ptr<AnnIndex>>()>;

// `result` arrives with system, build and param_name set; this fills in the
// rest. Never fails: errors come back in result.error (a point whose calls
// failed keeps its error count and ends the sweep).
void MeasureAnn(const AnnIndexFactory& make, const Dataset& data,
                const AnnSweep& sweep, AnnResult& result);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_ANN_RUNNER_H_
