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

// One query at `ef`: the row numbers of the hits, closest first.
bool QueryRows(Collection& coll, const std::vector<float>& q, size_t k,
               size_t ef, std::vector<uint32_t>& ids) {
  auto result =
      coll.Query(absl::MakeConstSpan(&q, 1), {.k = static_cast<uint32_t>(k),
                                              .ef = static_cast<uint32_t>(ef),
                                              .include = {}});
  if (!result.ok() || result->size() != 1) return false;
  const std::vector<Hit>& hits = (*result)[0];
  ids.resize(hits.size());
  for (size_t i = 0; i < hits.size(); ++i) ids[i] = RowOf(hits[i].point.id);
  return true;
}

EngineOptions DurableOptions() {
  EngineOptions options;
  options.sync_writes = true;
  options.insert_threads = 0;
  return options;
}

absl::StatusOr<std::shared_ptr<Collection>> CreateBenchCollection(
    Engine& engine, size_t dim, size_t m, size_t ef_construction,
    size_t ef_search) {
  CreateCollectionOptions create;
  create.name = kCollection;
  create.dimension = static_cast<uint32_t>(dim);
  create.metric = Metric::kL2;
  create.hnsw.m = static_cast<uint32_t>(m);
  create.hnsw.ef_construction = static_cast<uint32_t>(ef_construction);
  create.hnsw.ef_search = static_cast<uint32_t>(ef_search);
  return engine.CreateCollection(create);
}

absl::Status Run(const Dataset& data, const BenchConfig& config, size_t ef,
                 const std::string& dir, SystemResult& r) {
  const EngineOptions options = DurableOptions();
  const size_t rss0 = ResidentBytes();
  VECDB_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine,
                         Engine::Open(dir, options));
  VECDB_ASSIGN_OR_RETURN(std::shared_ptr<Collection> coll,
                         CreateBenchCollection(*engine, data.dim, config.m,
                                               config.ef_construction, ef));

  r.insert_threads = HardwareThreads();
  Stopwatch build;
  VECDB_RETURN_IF_ERROR(UpsertRows(data, config.upsert_batch, *coll));
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

class EmbeddedAnnIndex : public AnnIndex {
 public:
  explicit EmbeddedAnnIndex(const AnnBuildParams& params)
      : params_(params), dir_(params.work_dir + "/embedded") {}

  ~EmbeddedAnnIndex() override { Close().IgnoreError(); }

  absl::Status Build(const Dataset& data) override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    VECDB_ASSIGN_OR_RETURN(engine_, Engine::Open(dir_, DurableOptions()));
    // ef_search is the default only: every query sets its own ef.
    VECDB_ASSIGN_OR_RETURN(coll_,
                           CreateBenchCollection(*engine_, data.dim, params_.m,
                                                 params_.ef_construction,
                                                 /*ef_search=*/64));
    return UpsertRows(data, params_.upsert_batch, *coll_);
  }

  double ModelBytes() const override {
    return static_cast<double>(coll_->Info().index_memory_bytes);
  }

  absl::Status SetSearchParam(size_t ef) override {
    ef_ = ef;
    return absl::OkStatus();
  }

  bool Search(size_t, const std::vector<float>& query, size_t k,
              std::vector<uint32_t>& ids) override {
    return QueryRows(*coll_, query, k, ef_, ids);
  }

  absl::Status Close() override {
    coll_.reset();
    absl::Status status;
    if (engine_ != nullptr) status = engine_->Close();
    engine_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    return status;
  }

 private:
  AnnBuildParams params_;
  std::string dir_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<Collection> coll_;
  size_t ef_ = 0;
};

}  // namespace

QueryFn QueryCollection(Collection& coll, size_t k, size_t ef) {
  return [&coll, k, ef](size_t, const std::vector<float>& q,
                        std::vector<uint32_t>& ids) {
    return QueryRows(coll, q, k, ef, ids);
  };
}

absl::Status UpsertRows(const Dataset& data, size_t batch_size,
                        Collection& coll) {
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

absl::StatusOr<std::unique_ptr<AnnIndex>> NewEmbeddedAnnIndex(
    const AnnBuildParams& params) {
  if (params.work_dir.empty()) {
    return absl::InvalidArgumentError("vecdb embedded needs a work_dir");
  }
  return std::make_unique<EmbeddedAnnIndex>(params);
}

SystemResult RunEmbedded(const Dataset& data, const BenchConfig& config,
                         size_t ef) {
  return RunInScratchDir("vecdb embedded", config.work_dir + "/embedded",
                         [&](const std::string& dir, SystemResult& r) {
                           return Run(data, config, ef, dir, r);
                         });
}

}  // namespace vecdb::bench
