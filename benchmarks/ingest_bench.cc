// vecdb_ingest_bench: the ingestion pipeline end to end.
//
//   1. Rate: MED's 1,033 abstracts written `--replicas` times as JSONL are
//      synced by the vecdb-ingest binary (read, chunk, hash-embed, upsert)
//      into a server in this process; then the same points (vectors,
//      metadata, texts) are upserted again through the client in batches
//      of the same size into a second server on an empty data directory.
//      The ratio of the two rates is the pipeline's cost over the engine's
//      own write path.
//   2. Quality: MED and ADI ingested with the default pipeline; nDCG@10,
//      recall@10 and MRR of Retrieve in dense, text and hybrid mode
//      against the collections' relevance judgments.
//
// Prints tables; --json-out writes the numbers. See benchmarks/README.md.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/ingest_workload.h"
#include "benchmarks/machine.h"
#include "common/status_macros.h"
#include "eval/ingest_run.h"
#include "eval/judgments.h"
#include "eval/retrieval_eval.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {
namespace {

constexpr char kUsage[] =
    "usage: vecdb_ingest_bench [--replicas=N] [--quick] [--json-out=PATH]\n"
    "                          [--ingest-binary=PATH] [--batch=N]\n"
    "  --replicas   copies of MED in the rate corpus (default 10)\n"
    "  --quick      1 replica (a smoke run)\n"
    "  --batch      chunks per upsert, both runs (default 256)\n";

struct Flags {
  size_t replicas = 10;
  size_t batch = 256;
  std::string json_out;
  std::string ingest_binary = VECDB_INGEST_BINARY;
};

struct Collection {
  std::string name;
  std::string dir;  // under the shared data dir
  std::string prefix;
};

absl::Status Run(const Flags& flags) {
  const std::string work = absl::StrCat(VECDB_BENCH_BUILD_DIR,
                                        "/ingest-bench-", getpid());
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  VECDB_ASSIGN_OR_RETURN(LocalServer local, StartLocalServer(work + "/data"));
  VECDB_ASSIGN_OR_RETURN(auto client, Client::Connect(local.address, {}));
  const std::string data = VECDB_SHARED_DATA_DIR;
  nlohmann::json json = {{"machine", MachineInfo()}};

  // --- Rate ---------------------------------------------------------------
  const std::string corpus = work + "/med.jsonl";
  VECDB_ASSIGN_OR_RETURN(
      size_t documents,
      WriteReplicatedCorpus(data + "/med/MED.ALL", flags.replicas, corpus));
  const std::string batch_flag = absl::StrCat("--batch=", flags.batch);
  VECDB_ASSIGN_OR_RETURN(
      eval::IngestRun ingest,
      eval::RunIngest({.binary = flags.ingest_binary,
                       .server = local.address,
                       .collection = "rate",
                       .args = {"--format=jsonl", batch_flag},
                       .inputs = {corpus},
                       .log_path = work + "/rate.log"}));
  VECDB_ASSIGN_OR_RETURN(const uint64_t chunks, client->Count("rate"));
  // The baseline writes to a second server on an empty data directory, as
  // the ingest run did.
  VECDB_ASSIGN_OR_RETURN(LocalServer fresh,
                         StartLocalServer(work + "/baseline"));
  VECDB_ASSIGN_OR_RETURN(auto fresh_client, Client::Connect(fresh.address, {}));
  VECDB_ASSIGN_OR_RETURN(
      UpsertRun upsert,
      RunBaselineUpsert(*client, *fresh_client, "rate", flags.batch));
  fresh.server->Shutdown(std::chrono::seconds(1));
  (void)fresh.engine->Close();
  const double ingest_rate = chunks / ingest.seconds;
  const double upsert_rate = upsert.points / upsert.seconds;
  std::printf("\nIngest rate: %zu documents, %llu chunks (hash embedder, "
              "default chunker, batch %zu)\n",
              documents, static_cast<unsigned long long>(chunks),
              flags.batch);
  std::printf("| run | seconds | chunks/s |\n|---|---|---|\n");
  std::printf("| vecdb-ingest sync (read+chunk+embed+upsert) | %.2f | %.0f |\n",
              ingest.seconds, ingest_rate);
  std::printf("| client upsert of the same points | %.2f | %.0f |\n",
              upsert.seconds, upsert_rate);
  std::printf("ratio ingest / upsert: %.2f (target >= 0.5)\n",
              ingest_rate / upsert_rate);
  json["rate"] = {{"documents", documents},
                  {"chunks", chunks},
                  {"batch", flags.batch},
                  {"ingest_seconds", ingest.seconds},
                  {"ingest_chunks_per_s", ingest_rate},
                  {"upsert_seconds", upsert.seconds},
                  {"upsert_chunks_per_s", upsert_rate},
                  {"ratio", ingest_rate / upsert_rate}};

  // --- Quality ------------------------------------------------------------
  const std::vector<Collection> collections = {{"med", "/med/", "MED"},
                                               {"adi", "/adi/", "ADI"}};
  std::printf("\nRetrieval quality (documents ranked by their best chunk)\n");
  std::printf("| collection | mode | nDCG@10 | recall@10 | MRR | p50 ms | "
              "p99 ms |\n|---|---|---|---|---|---|---|\n");
  for (const Collection& c : collections) {
    const std::string base = data + c.dir + c.prefix;
    VECDB_ASSIGN_OR_RETURN(
        eval::IngestRun run,
        eval::RunIngest({.binary = flags.ingest_binary,
                         .server = local.address,
                         .collection = c.name,
                         .args = {"--format=smart"},
                         .inputs = {base + ".ALL"},
                         .log_path = work + "/" + c.name + ".log"}));
    VECDB_ASSIGN_OR_RETURN(const uint64_t c_chunks, client->Count(c.name));
    VECDB_ASSIGN_OR_RETURN(auto queries, eval::LoadQueries(base + ".QRY"));
    VECDB_ASSIGN_OR_RETURN(
        auto judgments,
        eval::LoadJudgments(base + ".REL", eval::JudgmentFormat::kSmart));
    for (auto mode : {client::RetrieveMode::kDense, client::RetrieveMode::kText,
                      client::RetrieveMode::kHybrid}) {
      VECDB_ASSIGN_OR_RETURN(
          auto report, eval::EvaluateRetrieval(*client, c.name, queries,
                                               judgments, mode, {}));
      const std::string mode_name(eval::RetrieveModeName(mode));
      std::printf("| %s | %s | %.3f | %.3f | %.3f | %.2f | %.2f |\n",
                  c.name.c_str(), mode_name.c_str(), report.ndcg_at_k,
                  report.recall_at_k, report.mrr, report.latency_p50_ms,
                  report.latency_p99_ms);
      json["quality"][c.name][mode_name] = {
          {"ndcg_at_10", report.ndcg_at_k},
          {"recall_at_10", report.recall_at_k},
          {"mrr", report.mrr},
          {"queries", report.queries},
          {"latency_p50_ms", report.latency_p50_ms},
          {"latency_p99_ms", report.latency_p99_ms}};
    }
    json["quality"][c.name]["chunks"] = c_chunks;
    json["quality"][c.name]["ingest_seconds"] = run.seconds;
  }

  local.server->Shutdown(std::chrono::seconds(1));
  (void)local.engine->Close();
  std::filesystem::remove_all(work);
  if (!flags.json_out.empty()) {
    std::ofstream out(flags.json_out);
    out << json.dump(2) << '\n';
    if (!out) return absl::InternalError("cannot write " + flags.json_out);
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace vecdb::bench

int main(int argc, char** argv) {
  using namespace vecdb::bench;
  Flags flags;
  const bool ok = ForEachFlag(
      argc, argv, kUsage, [&](const std::string& name, const std::string& value) {
        if (name == "--quick") {
          flags.replicas = 1;
          return true;
        }
        if (name == "--replicas") return ParseCount(value, flags.replicas);
        if (name == "--batch") return ParseCount(value, flags.batch);
        if (name == "--json-out") {
          flags.json_out = value;
          return !value.empty();
        }
        if (name == "--ingest-binary") {
          flags.ingest_binary = value;
          return !value.empty();
        }
        return false;
      });
  if (!ok) return 2;
  const absl::Status status = Run(flags);
  if (!status.ok()) {
    std::fprintf(stderr, "vecdb_ingest_bench: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
