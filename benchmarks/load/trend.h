// Whether a sampled quantity (a server's resident memory, its open
// descriptors) grows over a soak run.
//
// The rule: fit a least-squares line to the second half of the samples
// (the first half holds the warm-up: caches filling, thread pools
// starting). The quantity "grows" when that line rises by more than
// `max_relative_per_hour` of the half's mean level per hour AND by more
// than `min_rise` over the half itself (so noise on a short run is not
// called growth); otherwise it is "flat". Fewer than `min_samples` samples
// in the second half give "too few samples".
//
// Thread safety: free functions only.
#ifndef VECDB_BENCHMARKS_LOAD_TREND_H_
#define VECDB_BENCHMARKS_LOAD_TREND_H_

#include <cstddef>
#include <string>
#include <vector>

namespace vecdb::bench::load {

struct TrendPoint {
  double seconds = 0;
  double value = 0;
};

struct TrendRule {
  // Default: 0.05 (5% of the level per hour).
  double max_relative_per_hour = 0.05;
  // In the quantity's unit (bytes, descriptors). Default: 0.
  double min_rise = 0;
  // Default: 3.
  size_t min_samples = 3;
};

struct Trend {
  double first = 0;
  double last = 0;
  double max = 0;
  // Least-squares slopes, per hour, over all samples and over the second
  // half.
  double slope_per_hour = 0;
  double second_half_slope_per_hour = 0;
  double second_half_mean = 0;
  // "grows", "flat" or "too few samples".
  std::string verdict;
};

// Least-squares slope of value over seconds, per second; 0 with fewer than
// two distinct times.
double LeastSquaresSlope(const std::vector<TrendPoint>& points);

Trend AnalyzeTrend(const std::vector<TrendPoint>& points,
                   const TrendRule& rule);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_TREND_H_
