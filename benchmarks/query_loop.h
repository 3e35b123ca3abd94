// The query loop every in-process system shares: runs each query of a data
// set once, on one or more threads, and reports QPS, per-call latency and
// recall@k against the data set's ground truth.
#ifndef VECDB_BENCHMARKS_QUERY_LOOP_H_
#define VECDB_BENCHMARKS_QUERY_LOOP_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "benchmarks/bench_util.h"
#include "benchmarks/datasets.h"

namespace vecdb::bench {

// Answers query number `q` (vector `query`) with the ids of its nearest
// base rows, closest first. Returns false on error. Called concurrently
// from several threads when threads > 1.
using QueryFn = std::function<bool(size_t q, const std::vector<float>& query,
                                   std::vector<uint32_t>& ids)>;

struct QueryRun {
  double qps = 0;
  double recall = 0;
  LatencySet latency;
  size_t errors = 0;
};

// Repeats full passes until `min_seconds` have passed (at least one pass);
// recall is that of the first pass.
QueryRun RunQueries(const Dataset& data, size_t k, size_t threads,
                    const QueryFn& fn, double min_seconds = 0);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_QUERY_LOOP_H_
