#include "benchmarks/ann_runner.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/query_loop.h"
#include "common/status_macros.h"

namespace vecdb::bench {
namespace {

// The fastest of sweep.runs runs, with the first run's recall (the searches
// are deterministic) and the errors of all of them.
QueryRun BestRun(const Dataset& data, const AnnSweep& sweep,
                 const QueryFn& search) {
  const size_t runs = std::max<size_t>(1, sweep.runs);
  QueryRun best;
  size_t errors = 0;
  for (size_t i = 0; i < runs; ++i) {
    QueryRun run = RunQueries(data, sweep.k, sweep.threads, search,
                              sweep.min_run_seconds / runs);
    errors += run.errors;
    if (i == 0 || run.qps > best.qps) {
      const double recall = i == 0 ? run.recall : best.recall;
      best = std::move(run);
      best.recall = recall;
    }
  }
  best.errors = errors;
  return best;
}

absl::Status Measure(const AnnIndexFactory& make, const Dataset& data,
                     const AnnSweep& sweep, AnnResult& r) {
  const size_t rss0 = ResidentBytes();
  VECDB_ASSIGN_OR_RETURN(std::unique_ptr<AnnIndex> index, make());
  r.build_threads = HardwareThreads();
  Stopwatch build;
  VECDB_RETURN_IF_ERROR(index->Build(data));
  r.build_s = build.Seconds();
  r.points = data.num_base();
  r.rss_mb = (ResidentBytes() - static_cast<double>(rss0)) / (1 << 20);
  r.model_mb = index->ModelBytes() / (1 << 20);
  r.query_threads = sweep.threads;

  const QueryFn search = [&](size_t q, const std::vector<float>& query,
                             std::vector<uint32_t>& ids) {
    return index->Search(q, query, sweep.k, ids);
  };
  bool warm = false;
  for (size_t value : sweep.values) {
    if (value > sweep.max_value) continue;
    VECDB_RETURN_IF_ERROR(index->SetSearchParam(value));
    if (!warm) {
      // One untimed pass: page in the index, connect, fill caches.
      RunQueries(data, sweep.k, sweep.threads, search);
      warm = true;
    }
    QueryRun run = BestRun(data, sweep, search);
    AnnPoint& p = r.curve.emplace_back();
    p.param = value;
    p.recall = run.recall;
    p.qps = run.qps;
    p.p50_ms = run.latency.PercentileMs(0.5);
    p.p99_ms = run.latency.PercentileMs(0.99);
    p.errors = run.errors;
    if (run.errors > 0) {
      index->Close().IgnoreError();
      return absl::InternalError(absl::StrCat(run.errors, " of the queries at ",
                                              r.param_name, "=", value,
                                              " failed"));
    }
    // Larger values only cost time: nothing is left to find.
    if (p.recall >= 1.0) break;
  }
  return index->Close();
}

}  // namespace

void MeasureAnn(const AnnIndexFactory& make, const Dataset& data,
                const AnnSweep& sweep, AnnResult& result) {
  if (absl::Status s = Measure(make, data, sweep, result); !s.ok()) {
    result.error = s.ToString();
  }
}

}  // namespace vecdb::bench
