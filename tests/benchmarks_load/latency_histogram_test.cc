#include "benchmarks/load/latency_histogram.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>

namespace vecdb::bench::load {
namespace {

TEST_CASE("An empty histogram reports zeros", "[load][histogram]") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.PercentileNanos(0.5) == 0);
  CHECK(h.max_nanos() == 0);
  CHECK(h.min_nanos() == 0);
}

TEST_CASE("Small values are counted exactly", "[load][histogram]") {
  LatencyHistogram h;
  for (int64_t v = 1; v <= 100; ++v) h.Record(v);
  CHECK(h.PercentileNanos(0.5) == 50);
  CHECK(h.PercentileNanos(0.99) == 99);
  CHECK(h.PercentileNanos(1.0) == 100);
  CHECK(h.PercentileNanos(0.001) == 1);
  CHECK(h.MeanNanos() == Approx(50.5));
}

TEST_CASE("Every bucket holds its values within 1/512", "[load][histogram]") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = rng() >> (rng() % 60);
    const size_t b = LatencyHistogram::BucketOf(v);
    const uint64_t upper = LatencyHistogram::BucketUpperEdge(b);
    INFO("value " << v << " bucket " << b);
    REQUIRE(upper >= v);
    REQUIRE(static_cast<double>(upper - v) <= v / 512.0 + 1);
    // The next bucket starts right after this one's upper edge.
    if (upper < UINT64_MAX) {
      REQUIRE(LatencyHistogram::BucketOf(upper + 1) == b + 1);
    }
  }
}

TEST_CASE("Percentiles of many samples are within 0.2% of the exact ones",
          "[load][histogram]") {
  LatencyHistogram h;
  // 1 us .. 1 s in 1 us steps, shuffled order does not matter.
  for (int64_t us = 1; us <= 1000000; ++us) h.Record(us * 1000);
  for (double q : {0.5, 0.95, 0.99, 0.999}) {
    const double exact = q * 1e6 * 1000;
    INFO("q=" << q);
    CHECK(static_cast<double>(h.PercentileNanos(q)) >= exact);
    CHECK(static_cast<double>(h.PercentileNanos(q)) <= exact * 1.002);
  }
  CHECK(h.PercentileNanos(1.0) == 1000000000);
  CHECK(h.max_nanos() == 1000000000);
}

TEST_CASE("A percentile never exceeds the exact maximum", "[load][histogram]") {
  LatencyHistogram h;
  h.Record(1000001);  // its bucket's upper edge is larger
  CHECK(h.PercentileNanos(0.5) == 1000001);
}

TEST_CASE("Merging equals recording everything in one histogram",
          "[load][histogram]") {
  LatencyHistogram a, b, all;
  for (int64_t v = 0; v < 5000; ++v) {
    (v % 3 == 0 ? a : b).Record(v * 997);
    all.Record(v * 997);
  }
  a.Merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.min_nanos() == all.min_nanos());
  CHECK(a.max_nanos() == all.max_nanos());
  for (double q : {0.1, 0.5, 0.9, 0.999}) {
    CHECK(a.PercentileNanos(q) == all.PercentileNanos(q));
  }
}

TEST_CASE("Negative latencies count as zero", "[load][histogram]") {
  LatencyHistogram h;
  h.Record(-5);
  CHECK(h.count() == 1);
  CHECK(h.PercentileNanos(1.0) == 0);
}

}  // namespace
}  // namespace vecdb::bench::load
