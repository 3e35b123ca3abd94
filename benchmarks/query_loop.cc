#include "benchmarks/query_loop.h"

#include <atomic>

namespace vecdb::bench {

QueryRun RunQueries(const Dataset& data, size_t k, size_t threads,
                    const QueryFn& fn, double min_seconds) {
  const size_t nq = data.queries.size();
  std::vector<std::vector<uint32_t>> found(nq);
  std::vector<LatencySet> latencies(threads);
  std::atomic<size_t> errors{0};
  QueryRun run;
  size_t done = 0;
  Stopwatch wall;
  do {
    ParallelFor(nq, threads, [&](size_t q, size_t t) {
      Stopwatch one;
      if (!fn(q, data.queries[q], found[q])) ++errors;
      latencies[t].Add(one.Seconds());
    });
    if (done == 0) run.recall = RecallAtK(data.truth, found, k);
    done += nq;
  } while (wall.Seconds() < min_seconds);
  run.qps = done / wall.Seconds();
  for (const auto& l : latencies) run.latency.Append(l);
  run.errors = errors;
  return run;
}

}  // namespace vecdb::bench
