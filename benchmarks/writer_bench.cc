// vecdb_writer_bench: how one writer replacing points disturbs concurrent
// queries, over gRPC against a real vecdb-server. It starts the server on
// a free loopback port and a temporary data directory, loads an L2
// collection of seeded Gaussian vectors (20,000 x 64 by default) and runs
// three phases of --phase-seconds each:
//   a  2 closed-loop query clients (k 10), alone
//   b  the same beside 1 writer replacing points with new vectors, 1 a call
//   c  the same with 100 points a call
// and reports per phase query QPS and latency percentiles, the writer's
// points/s and per-call latency, errors, and the query p99 ratios b/a and
// c/a next to their targets. See benchmarks/README.md.
//
// Exit codes: 0 done (request errors and missed targets are reported, not
// fatal), 2 bad flags, a server that does not start or a failed setup.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/load/spawned_server.h"
#include "benchmarks/machine.h"
#include "benchmarks/writer_flags.h"
#include "benchmarks/writer_phase.h"
#include "benchmarks/writer_report.h"
#include "clients/cpp/vecdb_client.h"
#include "common/status_macros.h"

namespace vecdb::bench {
namespace {

constexpr int kExitSetup = 2;
constexpr char kCollection[] = "writer";
constexpr size_t kQueries = 1000;
constexpr size_t kSetupBatch = 1000;

std::vector<PhaseSpec> Phases() {
  return {{"a", "queries alone", 0},
          {"b", "queries + writer, batch 1", 1},
          {"c", "queries + writer, batch 100", 100}};
}

constexpr char kUsage[] =
    R"(vecdb_writer_bench: query latency beside a writer, over gRPC

Starts vecdb-server on 127.0.0.1 (a free port) and a temporary data dir,
loads an L2 collection of seeded N(0,1) vectors, then runs three phases:
  a  2 query clients alone (k 10, closed loop, one connection each)
  b  the same beside 1 writer replacing points with new vectors, batch 1
  c  the same, batch 100

  --server-binary=PATH    vecdb-server to start (default: this build's)
  --server-flag=FLAG      extra server flag, repeatable (e.g. --sync=none)
  --points=N              collection size, 100..1000000 (default 20000)
  --dim=N                 dimension, 1..4096 (default 64)
  --phase-seconds=S       length of each phase, 0.1..600 (default 10)
  --warmup-seconds=S      unmeasured queries before phase a (default 2)
  --seed=N                points, queries and writer vectors (default 42)
  --json-out=PATH         write the phases and ratios as JSON
  --quick                 2000 x 16, 1 s phases, 0.2 s warmup (CI smoke)
)";

int Fail(const std::string& message) {
  std::fprintf(stderr, "vecdb_writer_bench: %s\n", message.c_str());
  return kExitSetup;
}

// Creates the collection and upserts every point ("i" is row i).
absl::Status Load(const std::string& target, const WriterWorkload& work,
                  const HnswParams& hnsw) {
  ClientOptions options;
  options.deadline = std::chrono::seconds(120);
  VECDB_ASSIGN_OR_RETURN(auto client, Client::Connect(target, options));
  VECDB_RETURN_IF_ERROR(client
                            ->CreateCollection(kCollection,
                                               static_cast<uint32_t>(work.dim),
                                               Metric::kL2, hnsw)
                            .status());
  std::vector<Point> points(work.points());
  for (size_t i = 0; i < points.size(); ++i) {
    points[i].id = std::to_string(i);
    const float* row = work.base.data() + i * work.dim;
    points[i].vector.assign(row, row + work.dim);
  }
  return client->UpsertBatched(kCollection, points, kSetupBatch).status();
}

nlohmann::json ReportJson(const WriterFlags& flags, const HnswParams& hnsw,
                          double setup_seconds,
                          const std::vector<PhaseResult>& phases,
                          const std::string& load_before,
                          const std::string& load_after) {
  nlohmann::json json = {{"tool", "vecdb_writer_bench"},
                         {"server_binary", flags.server_binary},
                         {"server_flags", flags.server_flags},
                         {"metric", "l2"},
                         {"data", "N(0,1) components"},
                         {"points", flags.points},
                         {"dim", flags.dim},
                         {"seed", flags.seed},
                         {"hnsw",
                          {{"m", hnsw.m},
                           {"ef_construction", hnsw.ef_construction},
                           {"ef_search", hnsw.ef_search}}},
                         {"k", RunnerOptions().k},
                         {"query_clients", RunnerOptions().query_clients},
                         {"phase_seconds", flags.phase_seconds},
                         {"warmup_seconds", flags.warmup_seconds},
                         {"quick", flags.quick},
                         {"setup_seconds", setup_seconds},
                         {"machine", MachineInfo()},
                         {"load_average_start", load_before},
                         {"load_average_end", load_after},
                         {"phases", nlohmann::json::array()},
                         {"summary", SummaryJson(phases)}};
  for (const PhaseResult& p : phases) json["phases"].push_back(PhaseJson(p));
  return json;
}

int Run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& a : args) {
    if (a == "--help") {
      std::printf("%s", kUsage);
      return 0;
    }
  }
  WriterFlags defaults;
#ifdef VECDB_SERVER_BINARY
  defaults.server_binary = VECDB_SERVER_BINARY;
#endif
  auto flags = ParseWriterFlags(args, defaults);
  if (!flags.ok()) {
    return Fail(std::string(flags.status().message()) +
                " (--help lists the flags)");
  }

  // Fork before any thread exists (gRPC starts threads on first use).
  auto server =
      load::SpawnedServer::Start(flags->server_binary, flags->server_flags);
  if (!server.ok()) return Fail(server.status().ToString());
  const std::string target = (*server)->address();
  const std::string load_before = LoadAverage();
  std::fprintf(stderr, "spawned vecdb-server pid %d on %s\n",
               static_cast<int>((*server)->pid()), target.c_str());

  const WriterWorkload work =
      MakeWorkload(flags->points, flags->dim, kQueries, flags->seed);
  const HnswParams hnsw;
  Stopwatch setup;
  if (absl::Status s = Load(target, work, hnsw); !s.ok()) {
    return Fail("setup: " + s.ToString());
  }
  const double setup_seconds = setup.Seconds();
  const RunnerOptions options;
  std::printf(
      "vecdb_writer_bench: %zu x %zu L2 points (N(0,1), seed %llu; M %u, "
      "efC %u, ef %u), loaded in %.1f s\n%zu query clients (k %u), %.1f s "
      "per phase; server %s%s%s; load average %s\n",
      flags->points, flags->dim, static_cast<unsigned long long>(flags->seed),
      hnsw.m, hnsw.ef_construction, hnsw.ef_search, setup_seconds,
      options.query_clients, options.k, flags->phase_seconds,
      flags->server_binary.c_str(), flags->server_flags.empty() ? "" : " ",
      absl::StrJoin(flags->server_flags, " ").c_str(), load_before.c_str());
  std::fflush(stdout);

  std::vector<PhaseResult> phases;
  {
    // Closed before the server stops: it waits for connected clients.
    PhaseRunner runner(target, kCollection, work, options);
    if (absl::Status s = runner.Connect(); !s.ok()) return Fail(s.ToString());
    if (flags->warmup_seconds > 0) {
      runner.Run({"warmup", "queries alone, not measured", 0},
                 flags->warmup_seconds);
    }
    for (const PhaseSpec& spec : Phases()) {
      phases.push_back(runner.Run(spec, flags->phase_seconds));
    }
  }
  const std::string load_after = LoadAverage();
  PrintPhases(phases, stdout);
  std::printf("load average at the end: %s\n", load_after.c_str());

  if (absl::Status s = (*server)->Stop(); !s.ok()) {
    std::fprintf(stderr, "vecdb_writer_bench: %s\n", s.ToString().c_str());
  }
  if (!flags->json_out.empty()) {
    std::ofstream out(flags->json_out);
    out << ReportJson(*flags, hnsw, setup_seconds, phases, load_before,
                      load_after)
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
    if (!out) return Fail("cannot write " + flags->json_out);
  }
  return 0;
}

}  // namespace
}  // namespace vecdb::bench

int main(int argc, char** argv) { return vecdb::bench::Run(argc, argv); }
