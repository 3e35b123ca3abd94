// Durability under crashes: rounds of concurrent writes and queries against
// a vecdb-server child that is then killed (mostly SIGKILL, sometimes a
// graceful SIGTERM, under --sync fsync and --sync none), while its writers
// replace points with new vectors and it checkpoints and compacts its graph
// in the background (--compact_fraction 0.05), restarted on the
// same data directory and checked against the state the test kept outside
// the database. See verifier.h for what is checked after each restart.
//
// VECDB_CRASH_ROUNDS sets the number of rounds (default 20; the [.slow]
// case defaults to 200), VECDB_CRASH_SEED the seed (default: random,
// printed).
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/crash/crash_support.h"
#include "tests/crash/index_check.h"
#include "tests/crash/rpc_util.h"
#include "tests/crash/server_process.h"
#include "tests/crash/verifier.h"
#include "tests/crash/workload.h"
#include "tests/crash/writer_state.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {
namespace {

constexpr char kCollection[] = "crash";
constexpr uint32_t kDim = 16;
constexpr uint32_t kWriters = 4;
constexpr uint32_t kKeysPerWriter = 500;

enum class StopKind { kKill, kGraceful };

struct RoundPlan {
  StopKind stop = StopKind::kKill;
  std::string sync = "fsync";
  int delay_ms = 0;
};

// Mostly SIGKILL under fsync; every 5th round a graceful stop (which
// checkpoints), every 6th from the 3rd on runs --sync none. Every 4th round
// runs longer than a second, so the engine's background checkpoint (it
// looks once a second, --checkpoint_every_ops apart) runs and kills land
// before, during and after it.
RoundPlan PlanRound(int round, std::mt19937_64& rng) {
  RoundPlan plan;
  plan.stop = round % 5 == 4 ? StopKind::kGraceful : StopKind::kKill;
  plan.sync = round % 6 == 2 ? "none" : "fsync";
  plan.delay_ms = round % 4 == 3
                      ? std::uniform_int_distribution<int>(1000, 2500)(rng)
                      : std::uniform_int_distribution<int>(50, 800)(rng);
  return plan;
}

std::string Describe(const RoundPlan& plan) {
  return absl::StrCat(plan.stop == StopKind::kKill ? "SIGKILL" : "SIGTERM",
                      " after ", plan.delay_ms, " ms, --sync ", plan.sync);
}

// Lines holding `needle` in the servers' stderr logs under `dir`.
int CountInLogs(const std::string& dir, const std::string& needle) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".stderr") continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      count += line.find(needle) != std::string::npos;
    }
  }
  return count;
}

int64_t Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

struct Totals {
  uint64_t acked_writes = 0;
  uint64_t upserted_points = 0;
  uint64_t deleted_points = 0;
  uint64_t queries = 0;
};

// Verifies the restarted server and prints the summary of the round before.
void VerifyRound(ServerProcess& server, vecdb::v1::VectorDB::Stub& stub,
                 std::vector<WriterState>& writers, const TempDir& data,
                 const std::string& round_name, const Totals& totals,
                 std::chrono::steady_clock::duration restart_time) {
  const auto begin = std::chrono::steady_clock::now();
  absl::StatusOr<VerifyReport> report =
      VerifyCollection(stub, kCollection, kDim, writers);
  INFO("server stderr after restart:\n" << server.StderrTail());
  if (!report.ok()) {
    // Keep the evidence: the data directory as the restarted server saw it.
    const std::string kept = absl::StrCat(data.path(), "-failed");
    std::error_code ec;
    std::filesystem::copy(data.path(), kept,
                          std::filesystem::copy_options::recursive, ec);
    std::cout << "verification failed; data directory copied to " << kept
              << std::endl;
  }
  REQUIRE_OK(report.status());
  // The metadata and text indexes, loaded from RocksDB at restart, answer
  // filters as the expected state does.
  REQUIRE_OK(CheckFilteredCounts(stub, kCollection, kDim, writers));
  absl::StatusOr<vecdb::v1::CollectionInfo> info =
      GetCollectionInfo(stub, kCollection);
  REQUIRE_OK(info.status());
  const std::string recovery =
      server.Stderr().find("rebuil") != std::string::npos
          ? "a rebuild"
          : absl::StrCat("checkpoint seq ", info->checkpoint_sequence());
  std::cout << round_name << ": acked writes so far " << totals.acked_writes
            << ", live ids " << report->live
            << ", in flight: " << report->InFlightSummary()
            << (report->self_query_retries > 0
                    ? absl::StrCat(", self-query retries ",
                                   report->self_query_retries)
                    : "")
            << "; recovered from " << recovery << " + replay to seq "
            << info->last_sequence() << "; restart " << Millis(restart_time)
            << " ms, verify "
            << Millis(std::chrono::steady_clock::now() - begin) << " ms"
            << std::endl;
}

// Runs the load for `plan.delay_ms`, then kills or terminates the server.
// Returns once every writer has its answer or its in-flight operation. A
// graceful stop still has to be awaited (after the channel is closed: the
// server's shutdown waits for connected clients).
RoundTotals RunLoad(ServerProcess& server,
                    std::shared_ptr<grpc::Channel> channel,
                    std::vector<WriterState>& writers, const RoundPlan& plan,
                    uint64_t seed) {
  WorkloadOptions options;
  options.collection = kCollection;
  options.dim = kDim;
  Workload load(std::move(channel), options, &writers, seed);
  load.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(plan.delay_ms));
  load.Stop();
  if (plan.stop == StopKind::kKill) {
    REQUIRE_OK(server.Kill());
  } else {
    REQUIRE_OK(server.Terminate());
  }
  return load.Join();
}

void RunCrashRounds(int rounds, uint64_t seed) {
  std::cout << "crash test: " << rounds << " rounds, seed " << seed
            << " (VECDB_CRASH_SEED=" << seed << " to repeat the schedule)"
            << std::endl;
  INFO("seed " << seed);
  TempDir data;
  TempDir logs;
  std::vector<WriterState> writers;
  for (uint32_t w = 0; w < kWriters; ++w) {
    writers.emplace_back(w, kKeysPerWriter);
  }
  std::mt19937_64 rng(seed);
  Totals totals;
  ServerProcess server;
  std::string last_round;  // description of the round being verified
  const auto started = std::chrono::steady_clock::now();

  // Round `rounds` only restarts and verifies the last round.
  for (int round = 0; round <= rounds; ++round) {
    const RoundPlan plan = PlanRound(round, rng);
    INFO("round " << round << ": " << Describe(plan));
    ServerOptions options = CrashServerOptions(data.path(), logs.path());
    options.sync = plan.sync;
    const auto start = std::chrono::steady_clock::now();
    REQUIRE_OK(server.Start(options, absl::StrCat("round-", round)));
    const auto restart_time = std::chrono::steady_clock::now() - start;
    RoundTotals round_totals;
    {
      absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
          Connect(server.address());
      REQUIRE_OK(channel.status());
      auto stub = vecdb::v1::VectorDB::NewStub(*channel);
      if (round == 0) {
        REQUIRE_OK(
            CreateCollection(*stub, kCollection, kDim, vecdb::v1::METRIC_L2));
      } else {
        VerifyRound(server, *stub, writers, data, last_round, totals,
                    restart_time);
      }
      if (round == rounds) break;
      round_totals =
          RunLoad(server, *std::move(channel), writers, plan, seed + round);
    }
    if (plan.stop == StopKind::kGraceful) {
      REQUIRE_OK(server.WaitStopped(std::chrono::seconds(60)));
    }
    // With the server down: the index entries in RocksDB are exactly those
    // of the stored points, whatever moment the kill hit.
    REQUIRE_OK(CheckIndexEntries(data.path()));
    INFO("server stderr:\n" << server.StderrTail());
    for (const std::string& error : round_totals.errors) FAIL_CHECK(error);
    REQUIRE(round_totals.errors.empty());
    totals.acked_writes += round_totals.acked_writes;
    totals.upserted_points += round_totals.upserted_points;
    totals.deleted_points += round_totals.deleted_points;
    totals.queries += round_totals.queries;
    last_round = absl::StrCat("round ", round, " (", Describe(plan), ", ",
                              round_totals.acked_writes, " writes acked, ",
                              round_totals.queries, " query batches)");
  }
  REQUIRE_OK(server.Stop(std::chrono::seconds(60)));
  const int compactions = CountInLogs(logs.path(), "graph compacted");
  // A SIGKILL can cut off the last WAL record (never acknowledged), which
  // recovery drops silently; it never damages an earlier one.
  CHECK(CountInLogs(logs.path(), "write-ahead log was damaged") == 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  std::cout << "crash test: " << rounds << " rounds, " << totals.acked_writes
            << " acknowledged writes (" << totals.upserted_points
            << " upserted points, " << totals.deleted_points
            << " deleted), 0 lost; " << compactions
            << " graph compactions; " << totals.queries << " query batches, "
            << static_cast<int>(seconds) << " s, seed " << seed << std::endl;
  CHECK(totals.acked_writes > 0);
}

TEST_CASE("acknowledged writes survive SIGKILL and restart", "[crash]") {
  RunCrashRounds(CrashRoundsFromEnv(20), CrashSeedFromEnv());
}

TEST_CASE("acknowledged writes survive 200 crash rounds", "[crash][.slow]") {
  RunCrashRounds(CrashRoundsFromEnv(200), CrashSeedFromEnv());
}

}  // namespace
}  // namespace vecdb::testing
