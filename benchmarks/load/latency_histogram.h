// A latency histogram with logarithmic buckets, in the manner of
// HdrHistogram: values below 1,024 ns are counted exactly, larger ones in
// buckets 1/512 of their magnitude wide, so every reported percentile is
// within 0.2% of the true sample (reported as the bucket's upper edge,
// never above the exact maximum). Memory is fixed (about 230 KB) whatever
// the number of samples, so a soak run can record every request.
//
// Thread safety: none; one histogram per thread, merged at the end.
#ifndef VECDB_BENCHMARKS_LOAD_LATENCY_HISTOGRAM_H_
#define VECDB_BENCHMARKS_LOAD_LATENCY_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vecdb::bench::load {

class LatencyHistogram {
 public:
  LatencyHistogram();

  // Records one latency; negative values count as 0.
  void Record(int64_t nanos);
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  // Exact extremes in nanoseconds; 0 when empty.
  int64_t max_nanos() const { return max_; }
  int64_t min_nanos() const { return count_ == 0 ? 0 : min_; }
  double MeanNanos() const;

  // The q-quantile (0..1] by nearest rank, in nanoseconds: the upper edge
  // of the bucket holding the rank-th smallest sample, capped at the
  // maximum. 0 when empty.
  int64_t PercentileNanos(double q) const;

  // Bucket arithmetic, public for tests: the bucket of a value and the
  // largest value that bucket holds.
  static size_t BucketOf(uint64_t nanos);
  static uint64_t BucketUpperEdge(size_t bucket);

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_LATENCY_HISTOGRAM_H_
