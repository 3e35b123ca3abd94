#include "benchmarks/load/trend.h"

#include <catch2/catch.hpp>
#include <vector>

namespace vecdb::bench::load {
namespace {

std::vector<TrendPoint> Line(double level, double per_second, int n,
                             double step, double wobble = 0) {
  std::vector<TrendPoint> points;
  for (int i = 0; i < n; ++i) {
    points.push_back({i * step, level + per_second * i * step +
                                    (i % 2 == 0 ? wobble : -wobble)});
  }
  return points;
}

TEST_CASE("Least-squares slope of an exact line", "[load][trend]") {
  CHECK(LeastSquaresSlope(Line(100, 2.5, 10, 3)) == Approx(2.5));
  CHECK(LeastSquaresSlope({{1, 5}}) == 0);
  CHECK(LeastSquaresSlope({{1, 5}, {1, 9}}) == 0);  // no time spread
}

TEST_CASE("A level with noise is flat", "[load][trend]") {
  TrendRule rule;
  rule.min_rise = 1 << 20;
  const Trend t = AnalyzeTrend(Line(500e6, 0, 60, 10, 2e6), rule);
  CHECK(t.verdict == "flat");
  CHECK(t.first == Approx(502e6));
  CHECK(t.max == Approx(502e6));
}

TEST_CASE("Steady growth beyond the rule grows", "[load][trend]") {
  TrendRule rule;  // 5% of the level per hour
  rule.min_rise = 1 << 20;
  // 100 MB rising 10 MB per hour (10%/h), sampled every 10 s for 20 min:
  // the second half rises 1.7 MB.
  const Trend t = AnalyzeTrend(Line(100e6, 10e6 / 3600, 121, 10), rule);
  CHECK(t.verdict == "grows");
  CHECK(t.slope_per_hour == Approx(10e6));
  CHECK(t.second_half_slope_per_hour == Approx(10e6));
  // The same rate for 10 min rises 0.8 MB in the second half: below 1 MiB.
  CHECK(AnalyzeTrend(Line(100e6, 10e6 / 3600, 61, 10), rule).verdict ==
        "flat");
}

TEST_CASE("Growth below the rate threshold is flat", "[load][trend]") {
  TrendRule rule;
  // 2% of the level per hour.
  CHECK(AnalyzeTrend(Line(100e6, 2e6 / 3600, 61, 10), rule).verdict ==
        "flat");
}

TEST_CASE("Growth confined to the first half is flat", "[load][trend]") {
  std::vector<TrendPoint> points = Line(100e6, 0, 40, 10);
  for (int i = 0; i < 20; ++i) points[i].value = 50e6 + 2.5e6 * i;
  const Trend t = AnalyzeTrend(points, TrendRule());
  CHECK(t.slope_per_hour > 0);
  CHECK(t.verdict == "flat");
}

TEST_CASE("A fast slope with a rise below min_rise is flat",
          "[load][trend]") {
  TrendRule rule;
  rule.min_rise = 2;
  // 20 descriptors, one more over the second half: 5%/h exceeded, rise 1.
  std::vector<TrendPoint> points = Line(20, 0, 8, 10);
  points.back().value = 21;
  CHECK(AnalyzeTrend(points, rule).verdict == "flat");
  rule.min_rise = 0.5;
  CHECK(AnalyzeTrend(points, rule).verdict == "grows");
}

TEST_CASE("Too few samples give no verdict", "[load][trend]") {
  CHECK(AnalyzeTrend({}, TrendRule()).verdict == "too few samples");
  CHECK(AnalyzeTrend(Line(1, 1, 4, 1), TrendRule()).verdict ==
        "too few samples");
}

}  // namespace
}  // namespace vecdb::bench::load
