#include "benchmarks/load/load_flags.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace vecdb::bench::load {
namespace {

absl::StatusOr<LoadFlags> Parse(std::vector<std::string> args) {
  return ParseLoadFlags(args, LoadFlags());
}

TEST_CASE("Durations take a unit or plain seconds", "[load][flags]") {
  CHECK(ParseDurationSeconds("30s") == 30);
  CHECK(ParseDurationSeconds("500ms") == 0.5);
  CHECK(ParseDurationSeconds("2m") == 120);
  CHECK(ParseDurationSeconds("1h") == 3600);
  CHECK(ParseDurationSeconds("1.5") == 1.5);
  for (const char* bad : {"", "s", "0s", "-1s", "10x", "ms"}) {
    INFO(bad);
    CHECK_FALSE(ParseDurationSeconds(bad).has_value());
  }
}

TEST_CASE("Client lists", "[load][flags]") {
  CHECK(ParseCountList("1,4,16") == std::vector<size_t>{1, 4, 16});
  CHECK_FALSE(ParseCountList("1,,4").has_value());
  CHECK_FALSE(ParseCountList("0").has_value());
}

TEST_CASE("A full command line", "[load][flags]") {
  auto f = Parse({"--server=127.0.0.1:5", "--clients=2,8", "--mode=rate",
                  "--rate=500", "--mix=query:9,upsert:1", "--duration=3s",
                  "--requests=100", "--warmup=0", "--ef=50", "--k=20",
                  "--server-pid=42", "--max-error-rate=0.01"});
  REQUIRE(f.ok());
  CHECK(f->clients == std::vector<size_t>{2, 8});
  CHECK(f->mode == LoadMode::kRate);
  CHECK(f->rate == 500);
  CHECK(f->mix.Share(Op::kUpsert) == Approx(0.1));
  CHECK(f->duration_seconds == 3);
  CHECK(f->requests == 100u);
  CHECK(f->warmup_seconds == 0);
  CHECK(f->ef == 50);
  CHECK(f->k == 20);
  CHECK(f->server_pid == 42);
  CHECK(f->max_error_rate == 0.01);

  auto soak = Parse({"--server=127.0.0.1:5", "--server-pid=42", "--soak",
                     "--sample-every=500ms", "--clients=4"});
  REQUIRE(soak.ok());
  CHECK(soak->soak);
  CHECK(soak->sample_every_seconds == 0.5);
}

TEST_CASE("Defaults: queries only, 10 s per run", "[load][flags]") {
  auto f = Parse({"--server=h:1"});
  REQUIRE(f.ok());
  CHECK(f->mix.Share(Op::kQuery) == 1);
  CHECK(f->duration_seconds == 10);
  CHECK_FALSE(f->requests.has_value());
  CHECK(f->clients == std::vector<size_t>{1});
}

TEST_CASE("Upserts rewrite with the same vectors unless told otherwise",
          "[load][flags]") {
  auto same = Parse({"--server=h:1"});
  REQUIRE(same.ok());
  CHECK(same->upsert_vectors == UpsertVectors::kSame);
  CHECK_FALSE(same->upsert_noise.has_value());
  CHECK(std::string(UpsertVectorsName(same->upsert_vectors)) == "same");

  auto explicit_same = Parse({"--server=h:1", "--upsert-vectors=same"});
  REQUIRE(explicit_same.ok());
  CHECK(explicit_same->upsert_vectors == UpsertVectors::kSame);

  auto fresh = Parse({"--server=h:1", "--upsert-vectors=new"});
  REQUIRE(fresh.ok());
  CHECK(fresh->upsert_vectors == UpsertVectors::kNew);
  CHECK(fresh->upsert_noise == 0.01);
  CHECK(std::string(UpsertVectorsName(fresh->upsert_vectors)) == "new");

  // Order does not matter.
  auto noisy =
      Parse({"--server=h:1", "--upsert-noise=0.2", "--upsert-vectors=new"});
  REQUIRE(noisy.ok());
  CHECK(noisy->upsert_noise == 0.2);
}

TEST_CASE("Bad or contradictory flags are InvalidArgument", "[load][flags]") {
  const std::vector<std::vector<std::string>> bad = {
      {},                                             // no target
      {"--server=h:1", "--spawn-server=/bin/true"},   // two targets
      {"--server=h:1", "--nope=1"},                   // unknown
      {"--server=h:1", "--clients=0"},
      {"--server=h:1", "--mode=rate"},                // no rate
      {"--server=h:1", "--rate=5"},                   // rate, closed mode
      {"--server=h:1", "--mode=open"},
      {"--server=h:1", "--soak"},                     // no pid
      {"--server=h:1", "--reuse", "--drop-existing"},
      {"--server=h:1", "--k=0"},
      {"--server=h:1", "--k=1001"},
      {"--server=h:1", "--max-error-rate=2"},
      {"--server=h:1", "--mix=query:1,scan:1"},
      {"--server=h:1", "--spawn-flag=--sync=none"},
      {"--server=h:1", "--reuse=yes"},
      // soak over several client counts: the verdict would mix runs
      {"--server=h:1", "--server-pid=4", "--soak", "--clients=1,4"},
      // out of range: clock overflow or a spinning sampler
      {"--server=h:1", "--duration=inf"},
      {"--server=h:1", "--duration=1e7h"},
      {"--server=h:1", "--mode=rate", "--rate=1e-12"},
      {"--server=h:1", "--mode=rate", "--rate=1e12"},
      {"--server=h:1", "--server-pid=4", "--soak", "--sample-every=0.1ms"},
      {"--server=h:1", "--upsert-vectors=other"},
      {"--server=h:1", "--upsert-vectors="},
      {"--server=h:1", "--upsert-vectors"},
      // noise without new vectors would be ignored
      {"--server=h:1", "--upsert-noise=0.1"},
      {"--server=h:1", "--upsert-vectors=same", "--upsert-noise=0.1"},
      {"--server=h:1", "--upsert-vectors=new", "--upsert-noise=0"},
      {"--server=h:1", "--upsert-vectors=new", "--upsert-noise=-0.1"},
      {"--server=h:1", "--upsert-vectors=new", "--upsert-noise=1.5"},
      {"--server=h:1", "--upsert-vectors=new", "--upsert-noise=nan"},
  };
  for (const auto& args : bad) {
    std::string line;
    for (const auto& a : args) line += a + " ";
    INFO(line);
    auto f = Parse(args);
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("A bad mix names the problem", "[load][flags]") {
  auto f = Parse({"--server=h:1", "--mix=query:1,scan:1"});
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message().find("unknown operation 'scan'") !=
        std::string::npos);
}

}  // namespace
}  // namespace vecdb::bench::load
