// vecdb_writer_bench end to end: the real binary with --quick against the
// vecdb-server it spawns.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/testing/test_data.h"

namespace {

// Runs vecdb_writer_bench with `args`; its exit code.
int RunBench(const std::string& args) {
  const std::string command =
      std::string(VECDB_WRITER_BENCH_BINARY) + " " + args + " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_CASE("A quick run measures three phases", "[writer][smoke]") {
  vecdb::testing::TempDir dir;
  const std::string out = dir.path() + "/writer.json";
  REQUIRE(RunBench("--quick --server-binary=" VECDB_SERVER_BINARY
                   " --server-flag=--sync=none --json-out=" +
                   out) == 0);
  std::ifstream in(out);
  const nlohmann::json json = nlohmann::json::parse(in);
  CHECK(json["points"] == 2000);
  CHECK(json["dim"] == 16);
  CHECK(json["metric"] == "l2");
  REQUIRE(json["phases"].size() == 3);
  const char* names[] = {"a", "b", "c"};
  const int batches[] = {0, 1, 100};
  for (int i = 0; i < 3; ++i) {
    const auto& phase = json["phases"][i];
    INFO(names[i]);
    CHECK(phase["name"] == names[i]);
    CHECK(phase["writer_batch"] == batches[i]);
    CHECK(phase["seconds"].get<double>() >= 1.0);
    CHECK(phase["query"]["ok"].get<int>() > 0);
    CHECK(phase["query"]["errors"].empty());
    CHECK(phase["query"]["short_answers"] == 0);
    const auto& latency = phase["query"]["latency_ms"];
    CHECK(latency["p50"].get<double>() > 0);
    CHECK(latency["p50"].get<double>() <= latency["p99"].get<double>());
    CHECK(latency["p99"].get<double>() <= latency["max"].get<double>());
    if (batches[i] == 0) {
      CHECK(phase["writer"].is_null());
    } else {
      CHECK(phase["writer"]["requests_ok"].get<int>() > 0);
      CHECK(phase["writer"]["points_replaced"].get<int>() ==
            phase["writer"]["requests_ok"].get<int>() * batches[i]);
      CHECK(phase["writer"]["errors"].empty());
    }
  }
  CHECK(json["summary"]["query_p99_b_over_a"].get<double>() > 0);
  CHECK(json["summary"]["query_p99_c_over_a"].get<double>() > 0);
  CHECK(json["summary"]["batch100_points_per_second"].get<double>() > 0);
}

TEST_CASE("Writer bench setup failures exit 2", "[writer][smoke]") {
  CHECK(RunBench("--server-binary=/nonexistent/vecdb-server --quick") == 2);
  CHECK(RunBench("--points=5") == 2);
}

}  // namespace
