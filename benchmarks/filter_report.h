// What vecdb_filter_bench measures, the acceptance targets of filtered
// search checked against it, the printed tables and the JSON document.
#ifndef VECDB_BENCHMARKS_FILTER_REPORT_H_
#define VECDB_BENCHMARKS_FILTER_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/system_result.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {

// Single-thread latency of one query per call.
struct LatencyStats {
  double mean_us = 0;
  double p50_us = 0;
  double p99_us = 0;
  double qps = 0;
  // Calls timed (whole passes over the queries).
  size_t calls = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LatencyStats, mean_us, p50_us,
                                                p99_us, qps, calls)

// A reference query without a filter: the engine's unfiltered query, or
// an exact scan of every base vector.
struct BaselineResult {
  std::string name;
  LatencyStats latency;
  double recall = 0;
  // From the explain pass (engine only).
  double mean_distance_computations = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BaselineResult, name, latency,
                                                recall,
                                                mean_distance_computations)

struct CaseResult {
  std::string kind;  // "eq" or "range"
  std::string filter;
  double selectivity = 0;
  size_t matching = 0;
  uint64_t estimated_matches = 0;
  LatencyStats latency;
  // recall@k against the exact filtered ground truth.
  double recall = 0;
  // Path name -> queries that took it (explain pass).
  std::map<std::string, size_t> paths;
  double mean_distance_computations = 0;
  // Query calls returning other than min(k, matching) hits; must be 0.
  size_t count_mismatches = 0;
  size_t errors = 0;
  // exact scan mean latency / this mean latency.
  double speedup_vs_exact_scan = 0;
  // this mean latency / unfiltered mean latency.
  double vs_unfiltered = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    CaseResult, kind, filter, selectivity, matching, estimated_matches, latency,
    recall, paths, mean_distance_computations, count_mismatches, errors,
    speedup_vs_exact_scan, vs_unfiltered)

// One acceptance target of filtered search and whether the run met it.
struct Target {
  std::string name;
  std::string requirement;
  std::string measured;
  bool met = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Target, name, requirement,
                                                measured, met)

struct FilterReport {
  std::string dataset;
  size_t points = 0;
  size_t dim = 0;
  size_t queries = 0;
  size_t k = 0;
  size_t ef = 0;
  bool ef_from_sweep = false;
  // Unfiltered recall@k and QPS per ef tried (empty when --ef was given).
  std::vector<SweepPoint> ef_sweep;
  double build_s = 0;
  // Measured before the filtered cases (the ratios use it), and again
  // after them: the difference shows how much the machine drifted.
  BaselineResult unfiltered;
  BaselineResult unfiltered_again;
  BaselineResult exact_scan;
  std::vector<CaseResult> cases;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    FilterReport, dataset, points, dim, queries, k, ef, ef_from_sweep, ef_sweep,
    build_s, unfiltered, unfiltered_again, exact_scan, cases)

// Fills each case's ratios from the baselines.
void ComputeCaseRatios(FilterReport& report);

// The acceptance targets, on the equality filters:
//   1%:  exact scan latency / filtered latency >= 10 at recall >= 0.95
//   50%: filtered latency <= 2 x unfiltered latency
//   all: every query returned min(k, matching) hits
std::vector<Target> CheckTargets(const FilterReport& report);

// Baselines, the equality and range tables, and the targets, as text.
std::string FormatFilterReport(const FilterReport& report,
                               const std::vector<Target>& targets);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_FILTER_REPORT_H_
