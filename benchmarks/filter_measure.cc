#include "benchmarks/filter_measure.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "collection/engine.h"
#include "common/status_macros.h"
#include "index/vector_index.h"

namespace vecdb::bench {
namespace {

constexpr char kCollection[] = "filter_bench";
constexpr size_t kUpsertBatch = 1000;
constexpr double kTargetRecall = 0.95;
constexpr size_t kEfSweep[] = {16,  24,  32,  48,   64,   96,   128,  192, 256,
                               384, 512, 768, 1024, 1536, 2048, 3072, 4096};

// Answers query q with the base rows of its hits, closest first.
using SearchFn = std::function<absl::StatusOr<std::vector<uint32_t>>(size_t q)>;

struct TimedRun {
  LatencyStats latency;
  // Rows found per query, from the untimed warm-up pass.
  std::vector<std::vector<uint32_t>> found;
  size_t errors = 0;
  std::string first_error;
  // Calls (all passes) whose hit count was not `expected_hits`.
  size_t count_mismatches = 0;
};

// One untimed warm-up pass, then timed passes over all queries on this
// thread until `min_seconds` have passed (at least one).
TimedRun TimeQueries(size_t nq, const SearchFn& fn, size_t expected_hits,
                     double min_seconds) {
  TimedRun run;
  run.found.resize(nq);
  auto call = [&](size_t q, std::vector<uint32_t>* keep) {
    absl::StatusOr<std::vector<uint32_t>> rows = fn(q);
    if (!rows.ok()) {
      if (run.errors++ == 0) run.first_error = rows.status().ToString();
      return;
    }
    if (rows->size() != expected_hits) ++run.count_mismatches;
    if (keep != nullptr) *keep = *std::move(rows);
  };
  for (size_t q = 0; q < nq; ++q) call(q, &run.found[q]);
  LatencySet latencies;
  double total = 0;
  Stopwatch wall;
  do {
    for (size_t q = 0; q < nq; ++q) {
      Stopwatch one;
      call(q, nullptr);
      const double s = one.Seconds();
      latencies.Add(s);
      total += s;
    }
  } while (wall.Seconds() < min_seconds);
  run.latency.calls = latencies.size();
  run.latency.mean_us = 1e6 * total / latencies.size();
  run.latency.p50_us = 1e3 * latencies.PercentileMs(0.5);
  run.latency.p99_us = 1e3 * latencies.PercentileMs(0.99);
  run.latency.qps = latencies.size() / total;
  return run;
}

uint32_t RowOf(const std::string& id) {
  uint32_t row = 0;
  std::from_chars(id.data(), id.data() + id.size(), row);
  return row;
}

absl::StatusOr<QueryResult> SearchOne(Collection& coll,
                                      const std::vector<float>& query,
                                      const QueryOptions& options) {
  VECDB_ASSIGN_OR_RETURN(
      std::vector<QueryResult> results,
      coll.Search(absl::MakeConstSpan(&query, 1), {}, options));
  if (results.size() != 1) return absl::InternalError("not one result");
  return std::move(results[0]);
}

SearchFn EngineSearch(Collection& coll, const Dataset& data,
                      const QueryOptions& options) {
  return [&coll, &data,
          options](size_t q) -> absl::StatusOr<std::vector<uint32_t>> {
    VECDB_ASSIGN_OR_RETURN(QueryResult result,
                           SearchOne(coll, data.queries[q], options));
    std::vector<uint32_t> rows(result.hits.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i] = RowOf(result.hits[i].point.id);
    }
    return rows;
  };
}

// What the explain pass reports for one query configuration.
struct ExplainSummary {
  std::map<std::string, size_t> paths;
  double mean_distance_computations = 0;
  uint64_t estimated_matches = 0;
};

// A separate pass with explain on, so its cost stays out of the timing.
absl::StatusOr<ExplainSummary> ExplainPass(Collection& coll,
                                           const Dataset& data,
                                           QueryOptions options) {
  options.explain = true;
  ExplainSummary summary;
  uint64_t computations = 0;
  for (const std::vector<float>& query : data.queries) {
    VECDB_ASSIGN_OR_RETURN(QueryResult result, SearchOne(coll, query, options));
    if (!result.explain.has_value()) {
      return absl::InternalError("explain requested but not returned");
    }
    ++summary.paths[std::string(QueryPathName(result.explain->path))];
    computations += result.explain->distance_computations;
    summary.estimated_matches = result.explain->estimated_matches;
  }
  summary.mean_distance_computations =
      static_cast<double>(computations) / data.queries.size();
  return summary;
}

absl::Status Load(const Dataset& data, const FilterWorkload& workload,
                  Collection& coll) {
  const size_t n = data.num_base();
  for (size_t start = 0; start < n; start += kUpsertBatch) {
    const size_t end = std::min(n, start + kUpsertBatch);
    std::vector<Point> points(end - start);
    for (size_t i = start; i < end; ++i) {
      Point& p = points[i - start];
      p.id = std::to_string(i);
      p.vector.assign(data.row(i), data.row(i) + data.dim);
      p.metadata = workload.MetadataOf(i);
    }
    VECDB_RETURN_IF_ERROR(coll.Upsert(std::move(points)).status());
  }
  return absl::OkStatus();
}

// The smallest ef of the sweep reaching kTargetRecall unfiltered (the
// largest tried when none does).
size_t SweepEf(Collection& coll, const Dataset& data, size_t k,
               std::vector<SweepPoint>& sweep) {
  for (size_t ef : kEfSweep) {
    if (ef < k) continue;
    TimedRun run = TimeQueries(data.queries.size(),
                               EngineSearch(coll, data,
                                            {.k = static_cast<uint32_t>(k),
                                             .ef = static_cast<uint32_t>(ef)}),
                               k, 0);
    const double recall = RecallAtK(data.truth, run.found, k);
    sweep.push_back({.ef = ef, .recall = recall, .qps = run.latency.qps});
    std::fprintf(stderr, "  ef %zu: unfiltered recall %.4f\n", ef, recall);
    if (recall >= kTargetRecall) break;
  }
  return sweep.back().ef;
}

absl::Status CheckRun(const TimedRun& run, const std::string& what) {
  if (run.errors == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      what, ": ", run.errors, " queries failed, first: ", run.first_error));
}

absl::StatusOr<BaselineResult> MeasureUnfiltered(Collection& coll,
                                                 const Dataset& data,
                                                 const QueryOptions& options,
                                                 double min_seconds) {
  BaselineResult r;
  r.name = absl::StrCat("unfiltered (ef=", options.ef, ")");
  TimedRun run =
      TimeQueries(data.queries.size(), EngineSearch(coll, data, options),
                  options.k, min_seconds);
  VECDB_RETURN_IF_ERROR(CheckRun(run, r.name));
  r.latency = run.latency;
  r.recall = RecallAtK(data.truth, run.found, options.k);
  VECDB_ASSIGN_OR_RETURN(ExplainSummary ex, ExplainPass(coll, data, options));
  r.mean_distance_computations = ex.mean_distance_computations;
  return r;
}

// An exact scan of the whole collection: a FlatIndex over every base row.
absl::StatusOr<BaselineResult> MeasureExactScan(const Dataset& data, size_t k,
                                                double min_seconds) {
  VECDB_ASSIGN_OR_RETURN(
      std::unique_ptr<VectorIndex> flat,
      NewFlatIndex({.dimension = static_cast<uint32_t>(data.dim),
                    .metric = Metric::kL2,
                    .initial_capacity = data.num_base()}));
  std::vector<uint64_t> labels(data.num_base());
  std::iota(labels.begin(), labels.end(), 0);
  VECDB_RETURN_IF_ERROR(flat->Add(labels, data.base));
  SearchFn fn = [&](size_t q) -> absl::StatusOr<std::vector<uint32_t>> {
    VECDB_ASSIGN_OR_RETURN(std::vector<SearchHit> hits,
                           flat->Search(data.queries[q], k, 0));
    std::vector<uint32_t> rows(hits.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = hits[i].label;
    return rows;
  };
  BaselineResult r;
  r.name = "exact scan (FlatIndex)";
  TimedRun run = TimeQueries(data.queries.size(), fn, k, min_seconds);
  VECDB_RETURN_IF_ERROR(CheckRun(run, r.name));
  r.latency = run.latency;
  r.recall = RecallAtK(data.truth, run.found, k);
  r.mean_distance_computations = static_cast<double>(data.num_base());
  return r;
}

absl::StatusOr<CaseResult> MeasureCase(
    Collection& coll, const Dataset& data, const FilterCase& fc,
    const std::vector<std::vector<uint32_t>>& truth, QueryOptions options,
    double min_seconds) {
  options.filter = fc.filter;
  CaseResult r;
  r.kind = fc.kind == FilterKind::kEq ? "eq" : "range";
  r.filter = fc.label;
  r.selectivity = fc.selectivity;
  r.matching = fc.rows.size();
  const size_t expected = std::min<size_t>(options.k, fc.rows.size());
  TimedRun run =
      TimeQueries(data.queries.size(), EngineSearch(coll, data, options),
                  expected, min_seconds);
  r.errors = run.errors;
  if (run.errors > 0) {
    std::fprintf(stderr, "  %s: %s\n", fc.label.c_str(),
                 run.first_error.c_str());
  }
  r.count_mismatches = run.count_mismatches;
  r.latency = run.latency;
  r.recall = RecallAtK(truth, run.found, options.k);
  VECDB_ASSIGN_OR_RETURN(ExplainSummary ex, ExplainPass(coll, data, options));
  r.paths = std::move(ex.paths);
  r.mean_distance_computations = ex.mean_distance_computations;
  r.estimated_matches = ex.estimated_matches;
  return r;
}

}  // namespace

absl::Status MeasureFilteredSearch(
    const MeasureOptions& measure, const Dataset& data,
    const FilterWorkload& workload,
    const std::vector<std::vector<std::vector<uint32_t>>>& truth,
    FilterReport& report) {
  EngineOptions engine_options;
  engine_options.sync_writes = true;
  VECDB_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                         Engine::Open(measure.work_dir, engine_options));
  CreateCollectionOptions create;
  create.name = kCollection;
  create.dimension = static_cast<uint32_t>(data.dim);
  create.metric = Metric::kL2;
  create.hnsw.m = 16;
  create.hnsw.ef_construction = 200;
  VECDB_ASSIGN_OR_RETURN(std::shared_ptr<Collection> coll,
                         engine->CreateCollection(create));
  std::fprintf(stderr, "upserting %zu points ...\n", data.num_base());
  Stopwatch build;
  VECDB_RETURN_IF_ERROR(Load(data, workload, *coll));
  report.build_s = build.Seconds();
  std::fprintf(stderr, "  built in %.1f s; load average %s\n", report.build_s,
               LoadAverage().c_str());

  report.ef = measure.ef;
  report.ef_from_sweep = measure.ef == 0;
  if (report.ef_from_sweep) {
    report.ef = SweepEf(*coll, data, measure.k, report.ef_sweep);
  }
  const QueryOptions options{.k = static_cast<uint32_t>(measure.k),
                             .ef = static_cast<uint32_t>(report.ef)};
  std::fprintf(stderr, "measuring baselines at ef %zu ...\n", report.ef);
  VECDB_ASSIGN_OR_RETURN(
      report.unfiltered,
      MeasureUnfiltered(*coll, data, options, measure.min_run_seconds));
  VECDB_ASSIGN_OR_RETURN(
      report.exact_scan,
      MeasureExactScan(data, measure.k, measure.min_run_seconds));
  for (size_t c = 0; c < workload.cases.size(); ++c) {
    const FilterCase& fc = workload.cases[c];
    std::fprintf(stderr, "measuring %s ...\n", fc.label.c_str());
    VECDB_ASSIGN_OR_RETURN(CaseResult r,
                           MeasureCase(*coll, data, fc, truth[c], options,
                                       measure.min_run_seconds));
    report.cases.push_back(std::move(r));
  }
  VECDB_ASSIGN_OR_RETURN(
      report.unfiltered_again,
      MeasureUnfiltered(*coll, data, options, measure.min_run_seconds));
  report.unfiltered_again.name += " again";
  coll.reset();
  return engine->Close();
}

}  // namespace vecdb::bench
