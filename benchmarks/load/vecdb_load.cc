// vecdb_load: a load generator for a vecdb server over gRPC. N concurrent
// clients (one thread and one connection each) send a mix of queries and
// upserts in a closed loop or at a target rate; each run reports
// throughput, latency percentiles per operation, errors by status code and
// recall@10 of the answers; --soak samples the server's memory, open
// descriptors and threads meanwhile. See benchmarks/load/README.md.
//
// Exit codes: 0 done, 1 a run exceeded --max-error-rate, 2 bad flags, an
// unreachable server, or a failed setup.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "benchmarks/datasets.h"
#include "benchmarks/load/load_flags.h"
#include "benchmarks/load/load_report.h"
#include "benchmarks/load/load_run.h"
#include "benchmarks/load/load_setup.h"
#include "benchmarks/load/process_sampler.h"
#include "benchmarks/load/spawned_server.h"
#include "benchmarks/load/vector_noise.h"
#include "clients/cpp/vecdb_client.h"

namespace vecdb::bench::load {
namespace {

constexpr int kExitTooManyErrors = 1;
constexpr int kExitSetup = 2;

// --upsert-vectors=new: queries over which the truth's drift is measured,
// and the seed of that measurement's noise.
constexpr size_t kAgreementQueries = 200;
constexpr uint64_t kAgreementSeed = 7;

constexpr char kUsage[] = R"(vecdb_load: load test of a vecdb server over gRPC

Target (exactly one):
  --server=HOST:PORT      a running vecdb-server
  --server-pid=N          its pid (for --soak)
  --spawn-server=PATH     start this vecdb-server binary on a free loopback
                          port and a temporary data dir; SIGTERM at the end
  --spawn-flag=FLAG       extra flag for it, repeatable (e.g. --sync=none)
Data:
  --dataset=NAME          benchmarks/datasets.h name (default sift5k)
  --queries=N             query vectors used (default 1000)
  --collection=NAME       default load
  --M=16 --efc=200        HNSW parameters of a created collection
  --reuse                 use an existing collection holding the base set
  --drop-existing         drop an existing collection and load it afresh
  --setup-batch=N         points per upsert while loading (default 1000)
Load:
  --clients=1,4,16        one run per value (default 1)
  --mode=closed|rate      closed loop (default) or open loop at --rate=R
  --rate=R                total requests/s over all clients (rate mode)
  --mix=query:95,upsert:5 operation weights (default query:100)
  --upsert-batch=N        points per upsert (default 10)
  --upsert-vectors=same|new  rewrite base rows with their own vectors
                          (default same) or with new ones: the row plus
                          seeded Gaussian noise (see README)
  --upsert-noise=F        new: noise length as a fraction of the median
                          query-to-10th-neighbour distance (default 0.01)
  --query-batch=N         query vectors per query (default 1)
  --duration=30s          measured time per run (default 10s unless
  --requests=N            measured requests per run is given; both: first)
  --warmup=2s             unmeasured load before each run (default 2s)
  --ef=N --k=10           query parameters (ef 0: the collection's)
  --deadline=10s          per-request deadline
  --late-ms=1             rate mode: a send this late counts as late
Soak:
  --soak                  sample the server's RSS, fds, threads
  --sample-every=10s      sampling interval
  --grow-percent-per-hour=5  growth rule (see README)
Output:
  --json-out=PATH         write the runs (and soak) as JSON
  --max-error-rate=F      exit 1 when a run's failed share exceeds F (0..1)
  --data-dir=DIR --cache-dir=DIR  shared data and ground-truth cache
)";

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "vecdb_load: %s\n", message.c_str());
  return code;
}

RunConfig ConfigFor(const LoadFlags& f, const std::string& target,
                    size_t clients, const std::optional<NoiseScale>& noise) {
  RunConfig c;
  static_cast<LoadShape&>(c) = f;
  c.target = target;
  c.collection = f.collection;
  c.clients = clients;
  if (noise) c.upsert_sigma = noise->sigma;
  return c;
}

void PrintUpsertVectors(const std::optional<NoiseScale>& noise) {
  if (!noise) {
    std::printf("upserts: same vectors (base rows rewritten unchanged)\n");
    return;
  }
  std::printf(
      "upserts: new vectors (base row + N(0, %.4g^2) per component: length "
      "~%.3g x %.4g, the median query-to-10th-neighbour distance); truth "
      "agreement %.4f (original top-10 vs the exact top-10 with every row "
      "perturbed, %zu queries)\n",
      noise->sigma, noise->fraction, noise->radius, noise->truth.agreement,
      noise->truth.queries);
}

nlohmann::json NoiseJson(const NoiseScale& noise) {
  return {{"fraction", noise.fraction},
          {"truth_radius", noise.radius},
          {"sigma", noise.sigma},
          {"truth_agreement", noise.truth.agreement},
          {"truth_agreement_queries", noise.truth.queries}};
}

// Loads the data set, connects and prepares the collection; a message on
// failure.
std::optional<std::string> Prepare(const LoadFlags& flags,
                                   const std::string& target, Dataset& data) {
  std::error_code ec;
  std::filesystem::create_directories(flags.cache_dir, ec);
  auto loaded = LoadDataset(
      {.name = flags.dataset, .num_queries = flags.num_queries, .k = 10},
      flags.data_dir, flags.cache_dir);
  if (!loaded.ok()) return "dataset: " + loaded.status().ToString();
  data = *std::move(loaded);
  ClientOptions options;
  options.deadline = std::chrono::seconds(60);
  auto client = Client::Connect(target, options);
  if (!client.ok()) return "server: " + client.status().ToString();
  // A short first call tells an unreachable server (UNAVAILABLE at once)
  // from a slow setup.
  ClientOptions probe_options;
  probe_options.deadline = std::chrono::seconds(5);
  auto probe = Client::Connect(target, probe_options);
  if (!probe.ok()) return "server: " + probe.status().ToString();
  if (auto listed = (*probe)->ListCollections(); !listed.ok()) {
    return "cannot reach a vecdb server at " + target + ": " +
           listed.status().ToString();
  }
  SetupOptions setup{.collection = flags.collection,
                     .m = flags.m,
                     .ef_construction = flags.ef_construction,
                     .reuse = flags.reuse,
                     .drop_existing = flags.drop_existing,
                     .batch = flags.setup_batch};
  if (absl::Status s = PrepareCollection(**client, data, setup); !s.ok()) {
    return "setup: " + s.ToString();
  }
  return std::nullopt;
}

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& a : args) {
    if (a == "--help") {
      std::printf("%s", kUsage);
      return 0;
    }
  }
  LoadFlags defaults;
  defaults.data_dir = VECDB_SHARED_DATA_DIR;
  defaults.cache_dir = VECDB_BENCH_BUILD_DIR "/bench-cache";
  auto flags = ParseLoadFlags(args, defaults);
  if (!flags.ok()) {
    return Fail(kExitSetup, std::string(flags.status().message()) +
                                " (--help lists the flags)");
  }

  // Fork before any thread exists (gRPC starts threads on first use).
  std::unique_ptr<SpawnedServer> server;
  std::string target = flags->server;
  std::optional<pid_t> pid = flags->server_pid;
  if (!flags->spawn_server.empty()) {
    auto spawned = SpawnedServer::Start(flags->spawn_server,
                                        flags->spawn_flags);
    if (!spawned.ok()) return Fail(kExitSetup, spawned.status().ToString());
    server = *std::move(spawned);
    target = server->address();
    pid = server->pid();
    std::fprintf(stderr, "spawned vecdb-server pid %d on %s\n",
                 static_cast<int>(*pid), target.c_str());
  }

  Dataset data;
  if (auto error = Prepare(*flags, target, data)) {
    return Fail(kExitSetup, *error);
  }

  std::optional<NoiseScale> noise;
  if (flags->upsert_vectors == UpsertVectors::kNew) {
    noise = MeasureNoiseScale(data, *flags->upsert_noise, kAgreementQueries,
                              kAgreementSeed);
  }

  std::unique_ptr<ProcessSampler> sampler;
  if (flags->soak) {
    sampler = std::make_unique<ProcessSampler>(
        *pid,
        std::chrono::milliseconds(
            static_cast<int64_t>(flags->sample_every_seconds * 1000)),
        [](const ProcessSample& s) { PrintSample(s, stdout); });
    sampler->Start();
  }

  std::printf("vecdb_load: %s (%zu base, %zu queries, dim %zu) at %s, %s\n",
              data.name.c_str(), data.num_base(), data.queries.size(),
              data.dim, target.c_str(),
              flags->mode == LoadMode::kClosed ? "closed loop" : "open loop");
  PrintUpsertVectors(noise);
  std::vector<RunResult> runs;
  int exit_code = 0;
  for (size_t clients : flags->clients) {
    runs.push_back(RunLoad(ConfigFor(*flags, target, clients, noise), data));
    if (runs.size() == 1) PrintRunHeader(stdout);
    PrintRun(runs.back(), stdout);
    std::fflush(stdout);
    const RunResult& run = runs.back();
    if (flags->max_error_rate && run.requests() > 0 &&
        static_cast<double>(run.failed()) / run.requests() >
            *flags->max_error_rate) {
      exit_code = kExitTooManyErrors;
    }
  }

  nlohmann::json json = {{"dataset", data.name},
                         {"target", target},
                         {"mode", flags->mode == LoadMode::kClosed ? "closed"
                                                                   : "rate"},
                         {"rate", flags->rate},
                         {"mix",
                          {{"query", flags->mix.Share(Op::kQuery)},
                           {"upsert", flags->mix.Share(Op::kUpsert)}}},
                         {"upsert_batch", flags->upsert_batch},
                         {"upsert_vectors",
                          UpsertVectorsName(flags->upsert_vectors)},
                         {"runs", nlohmann::json::array()}};
  if (noise) json["upsert_noise"] = NoiseJson(*noise);
  for (const RunResult& run : runs) json["runs"].push_back(RunJson(run));
  if (sampler) {
    sampler->Stop();
    SoakSummary soak = SummarizeSoak(sampler->samples(), sampler->failed(),
                                     flags->grow_percent_per_hour);
    PrintSoak(soak, stdout);
    json["soak"] = SoakJson(soak);
  }
  if (server) {
    if (absl::Status s = server->Stop(); !s.ok()) {
      std::fprintf(stderr, "vecdb_load: %s\n", s.ToString().c_str());
    }
  }
  if (!flags->json_out.empty()) {
    std::ofstream out(flags->json_out);
    out << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
    if (!out) return Fail(kExitSetup, "cannot write " + flags->json_out);
  }
  if (exit_code == kExitTooManyErrors) {
    std::fprintf(stderr, "vecdb_load: a run exceeded --max-error-rate=%g\n",
                 *flags->max_error_rate);
  }
  return exit_code;
}

}  // namespace
}  // namespace vecdb::bench::load

int main(int argc, char** argv) { return vecdb::bench::load::Run(argc, argv); }
