// Turns the ANN benchmark's measurements of one data set into the printed
// summary table (QPS at recall thresholds, the ann-benchmarks reading), the
// full curves, the JSON document and the recall/QPS chart.
#ifndef VECDB_BENCHMARKS_ANN_REPORT_H_
#define VECDB_BENCHMARKS_ANN_REPORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "benchmarks/ann_result.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {

struct AnnDatasetReport {
  std::string name;
  size_t points = 0;
  size_t dim = 0;
  size_t queries = 0;
  size_t k = 10;
  // Seconds to load the data set and its ground truth.
  double load_s = 0;
  // One per system and build configuration, in run order.
  std::vector<AnnResult> results;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AnnDatasetReport, name, points,
                                                dim, queries, k, load_s,
                                                results)

// The recall thresholds of the summary table.
inline constexpr double kRecallThresholds[] = {0.90, 0.95, 0.99};

// One row per result: system, build, build s, memory MB, model MB, then
// the QPS at each threshold ("-" when no point reaches it).
std::string FormatAnnTable(const AnnDatasetReport& report);

// Every curve point: system, build, parameter, recall, QPS, p50, p99.
std::string FormatAnnCurves(const AnnDatasetReport& report);

// The chart: recall@k on x from 0.5 to 1 (points below 0.5 are left out;
// the range comes from the data if no point reaches 0.5), QPS on a log y
// axis, one series per result with points, labelled "system build".
// Title: data set, base size, dimension, queries.
std::string AnnPlotSvg(const AnnDatasetReport& report);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_ANN_REPORT_H_
