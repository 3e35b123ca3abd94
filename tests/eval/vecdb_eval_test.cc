// The real vecdb-eval binary on the shared ADI collection (82 documents,
// 35 queries): exit codes, and JSON numbers equal to EvaluateRetrieval's.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "eval/ingest_run.h"
#include "eval/judgments.h"
#include "eval/retrieval_eval.h"
#include "nlohmann/json.hpp"
#include "tests/clients/test_server.h"
#include "tests/testing/test_data.h"

extern char** environ;

namespace vecdb::eval {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs vecdb-eval with `args`, stdout and stderr captured.
Run RunEval(const testing::TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), VECDB_EVAL_BINARY);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string out = dir.path() + "/stdout";
  const std::string err = dir.path() + "/stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, VECDB_EVAL_BINARY, &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  Run run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadAll(out);
  run.err = ReadAll(err);
  return run;
}

const std::string kAdi = testing::SharedDataDir() + "/adi/ADI";

std::vector<std::string> AdiArgs() {
  return {"--collection=adi", "--queries=" + kAdi + ".QRY",
          "--qrels=" + kAdi + ".REL"};
}

TEST_CASE(
    "vecdb-eval ingests ADI into a private server; a passing gate exits 0",
    "[eval][binary]") {
  testing::TempDir dir;
  std::vector<std::string> args = AdiArgs();
  args.insert(args.end(),
              {"--ingest=" + kAdi + ".ALL", "--ingest-arg=--format=smart",
               std::string("--ingest-binary=") + VECDB_INGEST_BINARY,
               "--gate=ndcg@10>=0.3", "--gate=hybrid:map>0.2",
               "--json-out=" + dir.path() + "/run.json",
               "--html-out=" + dir.path() + "/run.html"});
  const Run run = RunEval(dir, args);
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  // One line per gate per mode: 3 for the unprefixed gate, 1 for hybrid's.
  CHECK(run.out.find("PASS dense ndcg@10") != std::string::npos);
  CHECK(run.out.find("PASS hybrid map") != std::string::npos);
  CHECK(run.out.find("FAIL") == std::string::npos);
  const auto json = nlohmann::json::parse(ReadAll(dir.path() + "/run.json"));
  REQUIRE(json["modes"].size() == 3);
  CHECK(json["modes"][0]["queries"] == 35);
  CHECK(json["gates"].size() == 4);
  CHECK(json["pass"] == true);
  const std::string html = ReadAll(dir.path() + "/run.html");
  CHECK(html.find("</html>") != std::string::npos);
}

TEST_CASE("vecdb-eval against a running server: gates and JSON numbers",
          "[eval][binary]") {
  testing::TestServer server;
  testing::TempDir dir;
  REQUIRE(RunIngest({.binary = VECDB_INGEST_BINARY,
                     .server = server.address(),
                     .collection = "adi",
                     .args = {"--format=smart"},
                     .inputs = {kAdi + ".ALL"},
                     .log_path = dir.path() + "/ingest.log"})
              .ok());
  std::vector<std::string> args = AdiArgs();
  args.push_back("--server=" + server.address());

  SECTION("an impossible gate exits 1 with a FAIL line") {
    args.push_back("--gate=ndcg@10>=0.99");
    const Run run = RunEval(dir, args);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("FAIL hybrid ndcg@10") != std::string::npos);
    CHECK(run.err.find("a gate failed") != std::string::npos);
  }

  SECTION("a bad gate exits 2 naming it, before any query") {
    for (const std::string gate :
         {"ndcg@10>>0.5", "f1@10>=0.5", "ndcg@7>=0.1", "auto:mrr>0"}) {
      std::vector<std::string> bad = args;
      bad.push_back("--gate=" + gate);
      const Run run = RunEval(dir, bad);
      INFO(gate << ": " << run.err);
      CHECK(run.exit_code == 2);
      CHECK(run.err.find("gate '" + gate + "'") != std::string::npos);
      CHECK(run.out.empty());
    }
  }

  SECTION("a missing collection or file exits 2") {
    std::vector<std::string> missing = args;
    missing.push_back("--qrels=" + dir.path() + "/none.rel");
    const Run run = RunEval(dir, missing);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("none.rel") != std::string::npos);
  }

  SECTION("queries whose ids no judgment uses exit 2, not a vacuous pass") {
    {
      std::ofstream queries(dir.path() + "/renamed.tsv");
      queries << "Q1\tcomputer information retrieval\n"
              << "Q2\tindexing of documents\n";
    }
    std::vector<std::string> renamed = args;
    renamed.push_back("--queries=" + dir.path() + "/renamed.tsv");
    renamed.push_back("--gate=latency_p99<=100000");
    const Run run = RunEval(dir, renamed);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("nothing to evaluate") != std::string::npos);
    CHECK(run.err.find("'Q1'") != std::string::npos);
    CHECK(run.out.find("PASS") == std::string::npos);
  }

  SECTION("the JSON numbers are EvaluateRetrieval's") {
    args.push_back("--json-out=" + dir.path() + "/run.json");
    const Run run = RunEval(dir, args);
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const auto json = nlohmann::json::parse(ReadAll(dir.path() + "/run.json"));
    auto client = Client::Connect(server.address());
    REQUIRE(client.ok());
    auto queries = LoadQueries(kAdi + ".QRY");
    auto judgments = LoadJudgments(kAdi + ".REL", JudgmentFormat::kSmart);
    REQUIRE(queries.ok());
    REQUIRE(judgments.ok());
    const EvalOptions options{.chunks = 50, .k = 10, .ks = {1, 5, 10, 20}};
    const client::RetrieveMode modes[] = {client::RetrieveMode::kDense,
                                          client::RetrieveMode::kText,
                                          client::RetrieveMode::kHybrid};
    REQUIRE(json["modes"].size() == 3);
    for (size_t m = 0; m < 3; ++m) {
      auto report = EvaluateRetrieval(**client, "adi", *queries, *judgments,
                                      modes[m], options);
      REQUIRE(report.ok());
      const auto& mode = json["modes"][m];
      INFO(mode["mode"]);
      CHECK(mode["mode"] == std::string(RetrieveModeName(modes[m])));
      CHECK(mode["queries"] == report->queries);
      CHECK(mode["ndcg_at_k"].get<double>() == Approx(report->ndcg_at_k));
      CHECK(mode["map"].get<double>() == Approx(report->map));
      CHECK(mode["mrr"].get<double>() == Approx(report->mrr));
      CHECK(mode["at"]["5"]["precision"].get<double>() ==
            Approx(report->at.at(5).precision));
      CHECK(mode["at"]["20"]["recall"].get<double>() ==
            Approx(report->at.at(20).recall));
      REQUIRE(mode["per_query"].size() == report->per_query.size());
      for (size_t q = 0; q < report->per_query.size(); ++q) {
        CHECK(mode["per_query"][q]["average_precision"].get<double>() ==
              Approx(report->per_query[q].average_precision));
      }
    }
  }
}

}  // namespace
}  // namespace vecdb::eval
