#include "benchmarks/writer_flags.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace vecdb::bench {
namespace {

absl::StatusOr<WriterFlags> Parse(std::vector<std::string> args) {
  WriterFlags defaults;
  defaults.server_binary = "/build/server/vecdb-server";
  return ParseWriterFlags(args, defaults);
}

TEST_CASE("Writer bench defaults: 20k x 64, 10 s phases", "[writer][flags]") {
  auto f = Parse({});
  REQUIRE(f.ok());
  CHECK(f->server_binary == "/build/server/vecdb-server");
  CHECK(f->server_flags.empty());
  CHECK(f->points == 20000);
  CHECK(f->dim == 64);
  CHECK(f->phase_seconds == 10);
  CHECK(f->warmup_seconds == 2);
  CHECK(f->seed == 42);
  CHECK(f->json_out.empty());
  CHECK_FALSE(f->quick);
}

TEST_CASE("A full writer bench command line", "[writer][flags]") {
  auto f = Parse({"--server-binary=/x/vecdb-server",
                  "--server-flag=--sync=none", "--server-flag=--threads=8",
                  "--points=5000", "--dim=128", "--phase-seconds=2.5",
                  "--warmup-seconds=0", "--seed=7", "--json-out=/tmp/w.json"});
  REQUIRE(f.ok());
  CHECK(f->server_binary == "/x/vecdb-server");
  CHECK(f->server_flags ==
        std::vector<std::string>{"--sync=none", "--threads=8"});
  CHECK(f->points == 5000);
  CHECK(f->dim == 128);
  CHECK(f->phase_seconds == 2.5);
  CHECK(f->warmup_seconds == 0);
  CHECK(f->seed == 7);
  CHECK(f->json_out == "/tmp/w.json");
}

TEST_CASE("Quick mode shrinks the run, but explicit sizes win",
          "[writer][flags]") {
  auto quick = Parse({"--quick"});
  REQUIRE(quick.ok());
  CHECK(quick->quick);
  CHECK(quick->points == 2000);
  CHECK(quick->dim == 16);
  CHECK(quick->phase_seconds == 1);
  CHECK(quick->warmup_seconds == 0.2);

  auto mixed = Parse({"--points=3000", "--quick", "--phase-seconds=0.5"});
  REQUIRE(mixed.ok());
  CHECK(mixed->points == 3000);
  CHECK(mixed->dim == 16);
  CHECK(mixed->phase_seconds == 0.5);
}

TEST_CASE("Bad writer bench flags are InvalidArgument", "[writer][flags]") {
  const std::vector<std::vector<std::string>> bad = {
      {"--nope"},
      {"--points=99"},  // batches of 100 need 100 distinct ids
      {"--points=1000001"},
      {"--points=abc"},
      {"--dim=0"},
      {"--dim=4097"},
      {"--phase-seconds=0"},
      {"--phase-seconds=0.05"},
      {"--phase-seconds=601"},
      {"--phase-seconds=inf"},
      {"--phase-seconds=nan"},
      {"--warmup-seconds=-1"},
      {"--seed=-1"},
      {"--json-out="},
      {"--quick=yes"},
      {"--server-binary="},
      {"--server-flag=sync=none"},
      {"--server-flag=--listen=0.0.0.0:1"},  // the benchmark's own
      {"--server-flag=--data_dir=/"},
  };
  for (const auto& args : bad) {
    INFO(args[0]);
    auto f = Parse(args);
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == absl::StatusCode::kInvalidArgument);
  }
  // No default server and none given.
  auto none = ParseWriterFlags({}, WriterFlags());
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("--server-binary") != std::string::npos);
}

}  // namespace
}  // namespace vecdb::bench
