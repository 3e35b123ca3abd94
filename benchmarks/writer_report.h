// What vecdb_writer_bench prints and writes: a table row per phase, the
// query p99 of each writer phase over that of the queries alone, and the
// targets next to the numbers (printed, never asserted).
//
// Thread safety: free functions only.
#ifndef VECDB_BENCHMARKS_WRITER_REPORT_H_
#define VECDB_BENCHMARKS_WRITER_REPORT_H_

#include <cstdio>
#include <vector>

#include "benchmarks/writer_result.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {

// Targets of the writer benchmark: a writer may at most double the query
// p99, and batches of 100 should replace at least this many points/s.
inline constexpr double kMaxQueryP99Ratio = 2.0;
inline constexpr double kMinBatch100PointsPerSecond = 2000;

// Query p99 of `phase` over that of `alone`; 0 when `alone` has none.
double QueryP99Ratio(const PhaseResult& phase, const PhaseResult& alone);

// The table (a header and a row per phase) and, when the phases are a, b
// and c, the two ratios and the writer rate against their targets.
void PrintPhases(const std::vector<PhaseResult>& phases, std::FILE* out);

// {"name", "label", "writer_batch", "seconds",
//  "query": {"ok", "qps", "short_answers", "errors", "latency_ms"},
//  "writer": null | {"batch", "requests_ok", "points_replaced",
//                    "points_per_second", "errors", "batch_latency_ms"}}
nlohmann::json PhaseJson(const PhaseResult& phase);

// {"query_p99_b_over_a", "query_p99_c_over_a", "batch100_points_per_second",
//  "targets": {...}, "met": {...}} for phases a, b, c; null otherwise.
nlohmann::json SummaryJson(const std::vector<PhaseResult>& phases);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_WRITER_REPORT_H_
