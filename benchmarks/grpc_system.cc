#include "benchmarks/grpc_system.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/scratch_run.h"
#include "collection/engine.h"
#include "common/status_macros.h"
#include "server/server.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::bench {
namespace {

constexpr char kCollection[] = "bench";

absl::Status FromGrpc(const grpc::Status& s, const char* what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

// An engine and a server over it, listening on 127.0.0.1.
struct Served {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<RunningServer> server;
  std::string address;
};

absl::StatusOr<Served> Serve(const std::string& dir, int server_threads) {
  Served s;
  EngineOptions options;
  options.sync_writes = true;
  VECDB_ASSIGN_OR_RETURN(s.engine, Engine::Open(dir, options));
  ServerOptions server_options;
  server_options.listen_address = "127.0.0.1:0";
  server_options.max_threads = server_threads;
  VECDB_ASSIGN_OR_RETURN(s.server, StartServer(s.engine.get(), server_options));
  s.address = s.server->address();
  return s;
}

absl::Status Shutdown(Served& s) {
  s.server->Shutdown(std::chrono::seconds(5));
  s.server.reset();
  absl::Status status = s.engine->Close();
  s.engine.reset();
  return status;
}

// Each client gets its own connection, as separate processes would.
std::unique_ptr<v1::VectorDB::Stub> NewStub(const std::string& address,
                                            int client_id) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("vecdb.bench.client", client_id);
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  return v1::VectorDB::NewStub(grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args));
}

absl::Status Insert(const Dataset& data, size_t batch_size,
                    v1::VectorDB::Stub& stub) {
  const size_t n = data.num_base();
  for (size_t start = 0; start < n; start += batch_size) {
    const size_t end = std::min(n, start + batch_size);
    v1::UpsertRequest request;
    request.set_collection(kCollection);
    for (size_t i = start; i < end; ++i) {
      v1::Point* p = request.add_points();
      p->set_id(std::to_string(i));
      p->mutable_vector()->Add(data.row(i), data.row(i) + data.dim);
    }
    v1::UpsertResponse response;
    grpc::ClientContext context;
    VECDB_RETURN_IF_ERROR(
        FromGrpc(stub.Upsert(&context, request, &response), "Upsert"));
  }
  return absl::OkStatus();
}

absl::Status CreateBenchCollection(v1::VectorDB::Stub& stub, size_t dim,
                                   size_t m, size_t ef_construction,
                                   size_t ef_search) {
  v1::CreateCollectionRequest req;
  req.set_name(kCollection);
  req.set_dimension(static_cast<uint32_t>(dim));
  req.set_metric(v1::METRIC_L2);
  req.mutable_hnsw()->set_m(static_cast<uint32_t>(m));
  req.mutable_hnsw()->set_ef_construction(
      static_cast<uint32_t>(ef_construction));
  req.mutable_hnsw()->set_ef_search(static_cast<uint32_t>(ef_search));
  v1::CollectionInfo info;
  grpc::ClientContext context;
  return FromGrpc(stub.CreateCollection(&context, req, &info),
                  "CreateCollection");
}

// The row numbers of one result's hits, closest first.
void HitRows(const v1::QueryResult& result, std::vector<uint32_t>& ids) {
  ids.clear();
  for (const v1::ScoredPoint& hit : result.hits()) {
    const std::string& id = hit.point().id();
    uint32_t row = 0;
    std::from_chars(id.data(), id.data() + id.size(), row);
    ids.push_back(row);
  }
}

// Queries in requests of `batch` vectors; request r holds queries
// [r * batch, (r + 1) * batch).
std::vector<v1::QueryRequest> BuildRequests(const Dataset& data, size_t batch,
                                            size_t k, size_t ef) {
  std::vector<v1::QueryRequest> requests;
  for (size_t start = 0; start < data.queries.size(); start += batch) {
    v1::QueryRequest& req = requests.emplace_back();
    req.set_collection(kCollection);
    req.set_k(static_cast<uint32_t>(k));
    req.set_ef(static_cast<uint32_t>(ef));
    const size_t end = std::min(data.queries.size(), start + batch);
    for (size_t q = start; q < end; ++q) {
      req.add_queries()->mutable_values()->Add(data.queries[q].begin(),
                                               data.queries[q].end());
    }
  }
  return requests;
}

absl::StatusOr<GrpcRun> RunQueryLoad(const Dataset& data,
                                     const BenchConfig& config, size_t ef,
                                     const std::string& address, size_t clients,
                                     size_t batch) {
  const std::vector<v1::QueryRequest> requests =
      BuildRequests(data, batch, config.k, ef);
  std::vector<std::unique_ptr<v1::VectorDB::Stub>> stubs;
  for (size_t c = 0; c < clients; ++c) {
    stubs.push_back(NewStub(address, static_cast<int>(c)));
    // Connect before the clock starts.
    v1::CountRequest req;
    req.set_collection(kCollection);
    v1::CountResponse resp;
    grpc::ClientContext context;
    VECDB_RETURN_IF_ERROR(
        FromGrpc(stubs.back()->Count(&context, req, &resp), "Count"));
  }
  std::vector<std::vector<uint32_t>> found(data.queries.size());
  std::vector<LatencySet> latencies(clients);
  std::vector<size_t> failed(clients, 0);
  std::vector<grpc::Status> errors(clients);
  GrpcRun run;
  size_t done = 0;
  Stopwatch wall;
  do {
    ParallelFor(requests.size(), clients, [&](size_t r, size_t c) {
      v1::QueryResponse response;
      grpc::ClientContext context;
      Stopwatch one;
      grpc::Status s = stubs[c]->Query(&context, requests[r], &response);
      latencies[c].Add(one.Seconds());
      if (!s.ok()) {
        if (failed[c]++ == 0) errors[c] = s;
        return;
      }
      for (int i = 0; i < response.results_size(); ++i) {
        HitRows(response.results(i), found[r * batch + i]);
      }
    });
    if (done == 0) run.recall = RecallAtK(data.truth, found, config.k);
    done += data.queries.size();
  } while (wall.Seconds() < config.min_run_seconds);
  const double seconds = wall.Seconds();
  // Failed requests are reported, not counted as answered.
  for (size_t c = 0; c < clients; ++c) {
    run.failed_requests += failed[c];
    done -= std::min(done, failed[c] * batch);
    if (run.first_error.empty() && !errors[c].ok()) {
      run.first_error = FromGrpc(errors[c], "Query").ToString();
    }
  }
  run.clients = clients;
  run.batch = batch;
  run.qps = done / seconds;
  LatencySet all;
  for (const auto& l : latencies) all.Append(l);
  run.p50_ms = all.PercentileMs(0.5);
  run.p99_ms = all.PercentileMs(0.99);
  return run;
}

absl::Status Run(const Dataset& data, const BenchConfig& config, size_t ef,
                 const std::string& dir, SystemResult& r) {
  const size_t rss0 = ResidentBytes();
  VECDB_ASSIGN_OR_RETURN(Served served, Serve(dir, config.grpc_server_threads));
  auto stub = NewStub(served.address, -1);
  VECDB_RETURN_IF_ERROR(CreateBenchCollection(*stub, data.dim, config.m,
                                              config.ef_construction, ef));
  r.insert_threads = HardwareThreads();
  Stopwatch build;
  VECDB_RETURN_IF_ERROR(Insert(data, config.upsert_batch, *stub));
  r.insert_s = build.Seconds();
  r.points = data.num_base();
  r.insert_pts_per_s = data.num_base() / r.insert_s;
  r.rss_mb = (ResidentBytes() - static_cast<double>(rss0)) / (1 << 20);

  r.ef = ef;
  // Warm-up.
  VECDB_RETURN_IF_ERROR(
      RunQueryLoad(data, config, ef, served.address, 1, config.grpc_batch)
          .status());
  std::vector<size_t> client_counts = {1, config.query_threads,
                                       config.grpc_clients};
  client_counts.erase(std::unique(client_counts.begin(), client_counts.end()),
                      client_counts.end());
  for (size_t batch : {config.grpc_batch, size_t{1}}) {
    for (size_t clients : client_counts) {
      VECDB_ASSIGN_OR_RETURN(
          GrpcRun run,
          RunQueryLoad(data, config, ef, served.address, clients, batch));
      r.grpc_runs.push_back(run);
    }
  }
  for (const GrpcRun& run : r.grpc_runs) {
    if (run.batch != config.grpc_batch) continue;
    if (run.clients == 1) {
      r.qps_1thr = run.qps;
      r.p50_ms = run.p50_ms;
      r.p99_ms = run.p99_ms;
      r.recall = run.recall;
    }
    if (run.clients == config.query_threads) r.qps_multi = run.qps;
  }
  r.multi_threads = config.query_threads;

  stub.reset();
  Stopwatch close;
  VECDB_RETURN_IF_ERROR(Shutdown(served));
  r.save_s = close.Seconds();
  Stopwatch open;
  VECDB_ASSIGN_OR_RETURN(served, Serve(dir, config.grpc_server_threads));
  stub = NewStub(served.address, -2);
  {
    v1::CountRequest req;
    req.set_collection(kCollection);
    v1::CountResponse resp;
    grpc::ClientContext context;
    VECDB_RETURN_IF_ERROR(FromGrpc(stub->Count(&context, req, &resp), "Count"));
  }
  r.restart_s = open.Seconds();
  VECDB_ASSIGN_OR_RETURN(
      GrpcRun after,
      RunQueryLoad(data, config, ef, served.address, 1, config.grpc_batch));
  r.recall_after_restart = after.recall;
  stub.reset();
  return Shutdown(served);
}

class GrpcAnnIndex : public AnnIndex {
 public:
  explicit GrpcAnnIndex(const AnnBuildParams& params)
      : params_(params), dir_(params.work_dir + "/grpc") {}

  ~GrpcAnnIndex() override { Close().IgnoreError(); }

  absl::Status Build(const Dataset& data) override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    VECDB_ASSIGN_OR_RETURN(served_, Serve(dir_, /*server_threads=*/0));
    stub_ = NewStub(served_.address, 0);
    VECDB_RETURN_IF_ERROR(CreateBenchCollection(*stub_, data.dim, params_.m,
                                                params_.ef_construction,
                                                /*ef_search=*/64));
    return Insert(data, params_.upsert_batch, *stub_);
  }

  // The API does not report it; the server's engine is in this process.
  double ModelBytes() const override {
    auto coll = served_.engine->GetCollection(kCollection);
    return coll.ok() ? static_cast<double>((*coll)->Info().index_memory_bytes)
                     : 0;
  }

  absl::Status SetSearchParam(size_t ef) override {
    ef_ = ef;
    return absl::OkStatus();
  }

  // The request is built in the call, as a client would.
  bool Search(size_t, const std::vector<float>& query, size_t k,
              std::vector<uint32_t>& ids) override {
    v1::QueryRequest request;
    request.set_collection(kCollection);
    request.set_k(static_cast<uint32_t>(k));
    request.set_ef(static_cast<uint32_t>(ef_));
    request.add_queries()->mutable_values()->Add(query.begin(), query.end());
    v1::QueryResponse response;
    grpc::ClientContext context;
    if (!stub_->Query(&context, request, &response).ok() ||
        response.results_size() != 1) {
      return false;
    }
    HitRows(response.results(0), ids);
    return true;
  }

  absl::Status Close() override {
    stub_.reset();
    absl::Status status;
    if (served_.engine != nullptr) status = Shutdown(served_);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    return status;
  }

 private:
  AnnBuildParams params_;
  std::string dir_;
  Served served_;
  std::unique_ptr<v1::VectorDB::Stub> stub_;
  size_t ef_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<AnnIndex>> NewGrpcAnnIndex(
    const AnnBuildParams& params) {
  if (params.work_dir.empty()) {
    return absl::InvalidArgumentError("vecdb gRPC needs a work_dir");
  }
  return std::make_unique<GrpcAnnIndex>(params);
}

bool GrpcSystemAvailable() { return true; }

SystemResult RunGrpc(const Dataset& data, const BenchConfig& config,
                     size_t ef) {
  return RunInScratchDir("vecdb gRPC", config.work_dir + "/grpc",
                         [&](const std::string& dir, SystemResult& r) {
                           return Run(data, config, ef, dir, r);
                         });
}

}  // namespace vecdb::bench
