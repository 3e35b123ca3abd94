#include "benchmarks/engine_system.h"

#include <charconv>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/query_loop.h"
#include "benchmarks/scratch_run.h"
#include "collection/engine.h"
#include "common/status_macros.h"

namespace vecdb::bench {
namespace {

constexpr char kCollection[] = "bench";

uint32_t RowOf(const std::string& id) {
  uint32_t row = 0;
  std::from_chars(id.data(), id.data() + id.size(), row);
  return row;
}

QueryFn QueryCollection(Collection& coll, size_t k, size_t ef) {
  return [&coll, k, ef](size_t, const std::vector<float>& q,
                        std::vector<uint32_t>& ids) {
    auto result = coll.Query(absl::MakeConstSpan(&q, 1),
                             {.k = static_cast<uint32_t>(k),
                              .ef = static_cast<uint32_t>(ef),
                              .include = {}});
    if (!result.ok() || result->size() != 1) return false;
    const std::vector<Hit>& hits = (*result)[0];
    ids.resize(hits.size());
    for (size_t i = 0; i < hits.size(); ++i) ids[i] = RowOf(hits[i].point.id);
    return true;
  };
}

absl::Status Insert(const Dataset& data, size_t batch_size, Collection& coll) {
  const size_t n = data.num_base();
  for (size_t start = 0; start < n; start += batch_size) {
    const size_t end = std::min(n, start + batch_size);
    std::vector<Point> points(end - start);
    for (size_t i = start; i < end; ++i) {
      Point& p = points[i - start];
      p.id = std::to_string(i);
      p.vector.assign(data.row(i), data.row(i) + data.dim);
    }
    VECDB_RETURN_IF_ERROR(coll.Upsert(std::move(points)).status());
  }
  return absl::OkStatus();
}

absl::Status Run(const Dataset& data, const BenchConfig& config, size_t ef,
                 const std::string& dir, SystemResult& r) {
  EngineOptions options;
  options.sync_writes = true;
  options.insert_threads = 0;
  const size_t rss0 = ResidentBytes();
  VECDB_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                         Engine::Open(dir, options));
  CreateCollectionOptions create;
  create.name = kCollection;
  create.dimension = static_cast<uint32_t>(data.dim);
  create.metric = Metric::kL2;
  create.hnsw.m = static_cast<uint32_t>(config.m);
  create.hnsw.ef_construction = static_cast<uint32_t>(config.ef_construction);
  create.hnsw.ef_search = static_cast<uint32_t>(ef);
  VECDB_ASSIGN_OR_RETURN(std::shared_ptr<Collection> coll,
                         engine->CreateCollection(create));

  r.insert_threads = HardwareThreads();
  Stopwatch build;
  VECDB_RETURN_IF_ERROR(Insert(data, config.upsert_batch, *coll));
  r.insert_s = build.Seconds();
  r.points = coll->Count();
  r.insert_pts_per_s = data.num_base() / r.insert_s;
  r.rss_mb = (ResidentBytes() - static_cast<double>(rss0)) / (1 << 20);
  r.index_model_mb =
      static_cast<double>(coll->Info().index_memory_bytes) / (1 << 20);

  r.ef = ef;
  const QueryFn query = QueryCollection(*coll, config.k, ef);
  // One warm-up pass, as the ef sweep is for raw hnswlib.
  RunQueries(data, config.k, 1, query);
  QueryRun single =
      RunQueries(data, config.k, 1, query, config.min_run_seconds);
  if (single.errors > 0) {
    return absl::InternalError(absl::StrCat(single.errors, " queries failed"));
  }
  r.qps_1thr = single.qps;
  r.p50_ms = single.latency.PercentileMs(0.5);
  r.p99_ms = single.latency.PercentileMs(0.99);
  r.recall = single.recall;
  r.multi_threads = config.query_threads;
  r.qps_multi = RunQueries(data, config.k, config.query_threads, query,
                           config.min_run_seconds)
                    .qps;

  coll.reset();
  Stopwatch close;
  VECDB_RETURN_IF_ERROR(engine->Close());
  engine.reset();
  r.save_s = close.Seconds();
  Stopwatch open;
  VECDB_ASSIGN_OR_RETURN(engine, Engine::Open(dir, options));
  r.restart_s = open.Seconds();
  VECDB_ASSIGN_OR_RETURN(coll, engine->GetCollection(kCollection));
  r.recall_after_restart =
      RunQueries(data, config.k, 1, QueryCollection(*coll, config.k, ef))
          .recall;
  coll.reset();
  return engine->Close();
}

}  // namespace

SystemResult RunEmbedded(const Dataset& data, const BenchConfig& config,
                         size_t ef) {
  return RunInScratchDir(
      "vecdb embedded", config.work_dir + "/embedded",
      [&](const std::string& dir, SystemResult& r) {
        return Run(data, config, ef, dir, r);
      });
}

}  // namespace vecdb::bench
