// vecdb_load end to end: the real binary against a vecdb-server it spawns.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/testing/test_data.h"

namespace {

// Runs vecdb_load with `args`; its exit code.
int RunLoad(const std::string& args) {
  const std::string command = std::string(VECDB_LOAD_BINARY) +
                              " --cache-dir=" VECDB_TEST_CACHE_DIR " " + args +
                              " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST_CASE("A mixed closed-loop run on sift5k answers with high recall",
          "[load][smoke]") {
  vecdb::testing::TempDir dir;
  const std::string out = dir.path() + "/load.json";
  REQUIRE(RunLoad("--spawn-server=" VECDB_SERVER_BINARY
                  " --spawn-flag=--sync=none --dataset=sift5k --clients=1,3"
                  " --requests=300 --warmup=0 --mix=query:90,upsert:10"
                  " --json-out=" + out) == 0);
  const nlohmann::json json = ReadJson(out);
  CHECK(json["upsert_vectors"] == "same");
  CHECK_FALSE(json.contains("upsert_noise"));
  REQUIRE(json["runs"].size() == 2);
  CHECK(json["runs"][0]["clients"] == 1);
  CHECK(json["runs"][1]["clients"] == 3);
  for (const auto& run : json["runs"]) {
    CHECK(run["requests"] == 300);
    CHECK(run["failed"] == 0);
    CHECK(run["recall_k"] == 10);
    CHECK(run["recall"].get<double>() > 0.9);
    CHECK(run["ops"]["query"]["ok"].get<int>() > 200);
    CHECK(run["ops"]["upsert"]["ok"].get<int>() > 5);
    const auto& latency = run["ops"]["query"]["latency_ms"];
    CHECK(latency["p50"].get<double>() > 0);
    CHECK(latency["p50"].get<double>() <= latency["p99"].get<double>());
    CHECK(latency["p99"].get<double>() <= latency["max"].get<double>());
  }
}

TEST_CASE("Upserts with new vectors keep recall measurable",
          "[load][smoke]") {
  vecdb::testing::TempDir dir;
  const std::string out = dir.path() + "/new.json";
  REQUIRE(RunLoad("--spawn-server=" VECDB_SERVER_BINARY
                  " --spawn-flag=--sync=none --dataset=sift5k --clients=2"
                  " --requests=400 --warmup=0 --mix=query:70,upsert:30"
                  " --upsert-vectors=new --json-out=" + out) == 0);
  const nlohmann::json json = ReadJson(out);
  CHECK(json["upsert_vectors"] == "new");
  const auto& noise = json["upsert_noise"];
  CHECK(noise["fraction"] == 0.01);
  CHECK(noise["truth_radius"].get<double>() > 0);
  CHECK(noise["sigma"].get<double>() > 0);
  CHECK(noise["truth_agreement_queries"] == 200);
  CHECK(noise["truth_agreement"].get<double>() > 0.95);
  const auto& run = json["runs"][0];
  CHECK(run["failed"] == 0);
  CHECK(run["ops"]["upsert"]["ok"].get<int>() > 50);
  CHECK(run["recall"].get<double>() > 0.9);
}

TEST_CASE("An open-loop soak run samples the server", "[load][smoke]") {
  vecdb::testing::TempDir dir;
  const std::string out = dir.path() + "/soak.json";
  REQUIRE(RunLoad("--spawn-server=" VECDB_SERVER_BINARY
                  " --dataset=sift5k --clients=2 --mode=rate --rate=200"
                  " --duration=2s --warmup=0 --soak --sample-every=250ms"
                  " --json-out=" + out) == 0);
  const nlohmann::json json = ReadJson(out);
  const auto& run = json["runs"][0];
  // 200/s for 2 s; a loaded machine may drop a few at the close.
  CHECK(run["requests"].get<int>() + run["dropped"].get<int>() == 400);
  CHECK(run["failed"] == 0);
  const auto& soak = json["soak"];
  CHECK(soak["samples"].size() >= 6);
  CHECK(soak["rss_bytes"]["first"].get<double>() > 1 << 20);
  CHECK(soak["fds"]["max"].get<double>() >= 3);
  CHECK(soak["rss_bytes"]["verdict"] != "");
}

TEST_CASE("Setup failures exit 2", "[load][smoke]") {
  // Nothing listens on port 1.
  CHECK(RunLoad("--server=127.0.0.1:1 --requests=1") == 2);
  CHECK(RunLoad("--server=127.0.0.1:1 --clients=0") == 2);
  CHECK(RunLoad("--spawn-server=/nonexistent/vecdb-server") == 2);
  CHECK(RunLoad("--server=127.0.0.1:1 --upsert-vectors=fresh") == 2);
}

}  // namespace
