#include "benchmarks/load/trend.h"

#include <algorithm>

namespace vecdb::bench::load {

double LeastSquaresSlope(const std::vector<TrendPoint>& points) {
  if (points.size() < 2) return 0;
  double mean_t = 0, mean_v = 0;
  for (const TrendPoint& p : points) {
    mean_t += p.seconds;
    mean_v += p.value;
  }
  mean_t /= points.size();
  mean_v /= points.size();
  double cov = 0, var = 0;
  for (const TrendPoint& p : points) {
    cov += (p.seconds - mean_t) * (p.value - mean_v);
    var += (p.seconds - mean_t) * (p.seconds - mean_t);
  }
  return var == 0 ? 0 : cov / var;
}

Trend AnalyzeTrend(const std::vector<TrendPoint>& points,
                   const TrendRule& rule) {
  Trend trend;
  if (points.empty()) {
    trend.verdict = "too few samples";
    return trend;
  }
  trend.first = points.front().value;
  trend.last = points.back().value;
  for (const TrendPoint& p : points) trend.max = std::max(trend.max, p.value);
  trend.slope_per_hour = LeastSquaresSlope(points) * 3600;

  const std::vector<TrendPoint> half(points.begin() + points.size() / 2,
                                     points.end());
  for (const TrendPoint& p : half) trend.second_half_mean += p.value;
  trend.second_half_mean /= half.size();
  trend.second_half_slope_per_hour = LeastSquaresSlope(half) * 3600;
  if (half.size() < rule.min_samples) {
    trend.verdict = "too few samples";
    return trend;
  }
  const double span_hours =
      (half.back().seconds - half.front().seconds) / 3600;
  const double rise = trend.second_half_slope_per_hour * span_hours;
  const bool fast = trend.second_half_slope_per_hour >
                    rule.max_relative_per_hour * trend.second_half_mean;
  trend.verdict = fast && rise > rule.min_rise ? "grows" : "flat";
  return trend;
}

}  // namespace vecdb::bench::load
