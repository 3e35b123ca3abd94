#include "benchmarks/load/op_mix.h"

#include <catch2/catch.hpp>
#include <random>

namespace vecdb::bench::load {
namespace {

TEST_CASE("The mix picks operations in the configured ratio",
          "[load][mix]") {
  auto mix = ParseMix("query:95,upsert:5");
  REQUIRE(mix.ok());
  CHECK(mix->Share(Op::kQuery) == Approx(0.95));
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(0, 1);
  constexpr int kDraws = 200000;
  int upserts = 0;
  for (int i = 0; i < kDraws; ++i) {
    if (mix->Pick(uniform(rng)) == Op::kUpsert) ++upserts;
  }
  // Binomial sd = sqrt(n p (1-p)) ~ 97; allow about 5 sd.
  CHECK(upserts > 10000 - 500);
  CHECK(upserts < 10000 + 500);
}

TEST_CASE("Slice edges", "[load][mix]") {
  auto mix = ParseMix("upsert:1,query:3");  // order of names is free
  REQUIRE(mix.ok());
  CHECK(mix->Pick(0.0) == Op::kQuery);
  CHECK(mix->Pick(0.7499) == Op::kQuery);
  CHECK(mix->Pick(0.75) == Op::kUpsert);
  CHECK(mix->Pick(0.999999) == Op::kUpsert);
  CHECK(mix->Pick(1.0) == Op::kUpsert);  // past the end: last operation
}

TEST_CASE("An operation of weight 0 is never picked", "[load][mix]") {
  auto queries_only = ParseMix("query:100");
  REQUIRE(queries_only.ok());
  auto upserts_only = ParseMix("query:0,upsert:7");
  REQUIRE(upserts_only.ok());
  for (double u = 0; u <= 1.0; u += 0.001) {
    REQUIRE(queries_only->Pick(u) == Op::kQuery);
    REQUIRE(upserts_only->Pick(u) == Op::kUpsert);
  }
}

TEST_CASE("Malformed mixes are InvalidArgument", "[load][mix]") {
  for (const char* bad : {"", "query", "query:x", "query:-1", "delete:5",
                          "query:5,query:5", "query:0,upsert:0",
                          "query:1:2"}) {
    INFO(bad);
    auto mix = ParseMix(bad);
    REQUIRE_FALSE(mix.ok());
    CHECK(mix.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace vecdb::bench::load
