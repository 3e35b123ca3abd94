// End to end: the real `vecdb` binary, run as a child process against an
// in-process server.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/readers.h"
#include "tests/clients/test_server.h"
#include "tests/testing/test_data.h"

extern char** environ;

namespace vecdb {
namespace {

using Json = nlohmann::json;
using testing::TempDir;
using testing::TestServer;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the vecdb binary with `args`; stdout and stderr go to files in
// `dir` (so neither is a terminal). `env` replaces the environment when
// not empty.
RunResult RunVecdb(const TempDir& dir, const std::vector<std::string>& args,
                   const std::vector<std::string>& env = {}) {
  const std::string out_path = dir.path() + "/stdout";
  const std::string err_path = dir.path() + "/stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv = {const_cast<char*>(VECDB_CLI_PATH)};
  for (const std::string& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& var : env)
    envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, VECDB_CLI_PATH, &actions, nullptr, argv.data(),
                  env.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int wait_status = 0;
  REQUIRE(waitpid(pid, &wait_status, 0) == pid);
  REQUIRE(WIFEXITED(wait_status));
  return {WEXITSTATUS(wait_status), ReadAll(out_path), ReadAll(err_path)};
}

Json ParseJson(const RunResult& result) {
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  Json json = Json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(json.is_discarded());
  return json;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string JoinCommas(const std::vector<float>& vector) {
  std::string text;
  for (float value : vector) {
    if (!text.empty()) text += ",";
    text += std::to_string(value);
  }
  return text;
}

const std::string& Sift5kPath() {
  static const std::string path =
      testing::SharedDataDir() + "/sift5k/sift-dataset-5k.tsv";
  return path;
}

TEST_CASE("vecdb: create, upsert sift5k, query, describe, get, delete, drop",
          "[cli]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };

  RunResult created = run({"create", "sift", "--dim", "128", "--metric", "l2",
                           "--ef-construction", "100"});
  CHECK(created.exit_code == 0);
  CHECK(created.out == "created collection sift (dimension 128, metric l2)\n");

  RunResult upserted = run(
      {"--json", "upsert", "sift", "--tsv", Sift5kPath(), "--batch", "1000"});
  Json upsert_json = ParseJson(upserted);
  CHECK(upsert_json["upserted"] == 5000);
  CHECK(upserted.err.empty());  // no progress bar: stdout is not a terminal

  auto rows = cli::ReadTsv(Sift5kPath(), 128);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 5000);
  for (size_t row : {0, 42, 4999}) {
    Json query =
        ParseJson(run({"query", "sift", "--vector", JoinCommas((*rows)[row]),
                       "--k", "3", "--json"}));
    REQUIRE(query["results"].size() == 1);
    const Json& hits = query["results"][0]["hits"];
    REQUIRE(hits.size() == 3);
    CHECK(hits[0]["distance"].get<double>() == Approx(0).margin(1e-4));
    // A duplicate vector could tie at distance 0; any hit at 0 is a copy.
    const std::string id = hits[0]["id"].get<std::string>();
    CHECK((*rows)[std::stoul(id)] == (*rows)[row]);
  }

  Json batch = ParseJson(run({"--json", "query", "sift", "--tsv", Sift5kPath(),
                              "--limit-queries", "3", "--k", "1"}));
  REQUIRE(batch["results"].size() == 3);
  CHECK(batch["results"][2]["hits"][0]["distance"].get<double>() ==
        Approx(0).margin(1e-4));

  Json described = ParseJson(run({"describe", "sift", "--json"}));
  CHECK(described["count"] == 5000);
  CHECK(described["dimension"] == 128);
  CHECK(described["metric"] == "l2");
  CHECK(described["hnsw"]["ef_construction"] == 100);
  RunResult human = run({"describe", "sift"});
  CHECK(human.exit_code == 0);
  CHECK(Contains(human.out, "name                  sift\n"));
  CHECK(Contains(human.out, "count                 5000\n"));

  Json got = ParseJson(
      run({"get", "sift", "42", "missing", "--include", "vector", "--json"}));
  REQUIRE(got["points"].size() == 1);
  CHECK(got["points"][0]["id"] == "42");
  CHECK(got["points"][0]["vector"].get<std::vector<float>>() == (*rows)[42]);
  CHECK(got["missing_ids"] == Json::array({"missing"}));

  Json deleted = ParseJson(run({"--json", "delete", "sift", "42", "43", "x"}));
  CHECK(deleted["deleted"] == 2);
  Json stats = ParseJson(run({"--json", "stats", "sift"}));
  CHECK(stats["count"] == 4998);
  CHECK(stats["index_slots"].get<uint64_t>() >= 5000);

  RunResult dropped = run({"drop", "sift"});
  CHECK(dropped.exit_code == 0);
  CHECK(dropped.out == "dropped collection sift\n");
  RunResult gone = run({"describe", "sift"});
  CHECK(gone.exit_code == 1);
  CHECK(gone.out.empty());
  CHECK(gone.err == "error: collection \"sift\" not found (NOT_FOUND)\n");
}

TEST_CASE("vecdb: JSONL upsert and table output", "[cli]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  const std::string jsonl = dir.path() + "/points.jsonl";
  std::ofstream(jsonl)
      << R"({"id": "a", "vector": [1, 0], "metadata": {"lang": "en"}, "document": "alpha"})"
      << "\n"
      << R"({"id": "bb", "vector": [0, 1]})"
      << "\n";

  REQUIRE(run({"create", "docs", "--dim", "2"}).exit_code == 0);
  RunResult upserted = run({"upsert", "docs", "--jsonl", jsonl});
  CHECK(upserted.exit_code == 0);
  CHECK(Contains(upserted.out, "upserted 2 points into docs"));

  RunResult list = run({"list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out ==
        "NAME  DIMENSION  METRIC  COUNT\n"
        "docs  2          cosine  2\n");

  RunResult got =
      run({"get", "docs", "a", "bb", "--include", "metadata,document"});
  CHECK(got.exit_code == 0);
  CHECK(got.out ==
        "ID  DOCUMENT  METADATA\n"
        "a   alpha     {\"lang\":\"en\"}\n"
        "bb\n");

  RunResult query = run({"query", "docs", "--vector", "1,0", "--k", "2"});
  CHECK(query.exit_code == 0);
  CHECK(Contains(query.out, "RANK  ID  DISTANCE\n1     a   0\n2     bb  1\n"));
}

TEST_CASE("vecdb: errors exit 1 with the server's message and code", "[cli]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  REQUIRE(run({"create", "docs", "--dim", "4"}).exit_code == 0);

  RunResult duplicate = run({"create", "docs", "--dim", "4"});
  CHECK(duplicate.exit_code == 1);
  CHECK(duplicate.err ==
        "error: collection \"docs\" already exists (ALREADY_EXISTS)\n");

  RunResult wrong_dim = run({"query", "docs", "--vector", "1,2"});
  CHECK(wrong_dim.exit_code == 1);
  CHECK(Contains(wrong_dim.err, "expected dimension 4, got 2"));
  CHECK(Contains(wrong_dim.err, "(INVALID_ARGUMENT)\n"));

  const std::string tsv = dir.path() + "/bad.tsv";
  std::ofstream(tsv) << "1\t2\t3\t4\n1\t2\tx\t4\n";
  RunResult bad_file = run({"upsert", "docs", "--tsv", tsv});
  CHECK(bad_file.exit_code == 1);
  CHECK(bad_file.err ==
        "error: " + tsv +
            ":2: field 3: 'x' is not a number (INVALID_ARGUMENT)\n");

  RunResult unreachable = RunVecdb(dir, {"--server", "127.0.0.1:1", "list"});
  CHECK(unreachable.exit_code == 1);
  CHECK(Contains(unreachable.err, "(UNAVAILABLE)\n"));
}

TEST_CASE("vecdb: usage errors exit 2 with a usage line", "[cli]") {
  TempDir dir;
  RunResult unknown = RunVecdb(dir, {"list", "--bogus"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "error: unknown option '--bogus'\n"
        "usage: vecdb [--server ADDR] [--json] list\n");

  RunResult no_dim = RunVecdb(dir, {"create", "docs"});
  CHECK(no_dim.exit_code == 2);
  CHECK(Contains(no_dim.err, "error: --dim is required\nusage: vecdb"));

  RunResult two_sources =
      RunVecdb(dir, {"upsert", "docs", "--tsv", "a", "--fvecs", "b"});
  CHECK(two_sources.exit_code == 2);
  CHECK(Contains(two_sources.err,
                 "error: only one of --jsonl, --fvecs, --tsv may be given"));

  RunResult bad_metric =
      RunVecdb(dir, {"create", "d", "--dim", "2", "--metric", "dot"});
  CHECK(bad_metric.exit_code == 2);
  CHECK(Contains(bad_metric.err,
                 "--metric: expected cosine, l2 or ip, got 'dot'"));

  RunResult help = RunVecdb(dir, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(Contains(help.out, "query NAME (--vector"));
}

TEST_CASE("vecdb: VECDB_SERVER selects the server", "[cli]") {
  TestServer server;
  TempDir dir;
  RunResult listed =
      RunVecdb(dir, {"--json", "list"}, {"VECDB_SERVER=" + server.address()});
  Json json = ParseJson(listed);
  CHECK(json["collections"] == Json::array());
}

}  // namespace
}  // namespace vecdb
