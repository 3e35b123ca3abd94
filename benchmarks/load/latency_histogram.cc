#include "benchmarks/load/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace vecdb::bench::load {
namespace {

// Values below kExact get one bucket each; above, each power of two is cut
// into kSub buckets (kExact = 2 * kSub keeps the indices contiguous).
constexpr uint64_t kSub = 512;
constexpr uint64_t kExact = 2 * kSub;
// Shifts 1..54 cover every uint64 value.
constexpr size_t kNumBuckets = kExact + 54 * kSub;

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kNumBuckets, 0) {}

size_t LatencyHistogram::BucketOf(uint64_t nanos) {
  if (nanos < kExact) return nanos;
  // shift >= 1 such that nanos >> shift lies in [kSub, 2 * kSub).
  const int shift = std::bit_width(nanos) - std::bit_width(kSub);
  const uint64_t sub = nanos >> shift;
  return kExact + (shift - 1) * kSub + (sub - kSub);
}

uint64_t LatencyHistogram::BucketUpperEdge(size_t bucket) {
  if (bucket < kExact) return bucket;
  const size_t shift = (bucket - kExact) / kSub + 1;
  const uint64_t sub = (bucket - kExact) % kSub + kSub;
  return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::Record(int64_t nanos) {
  nanos = std::max<int64_t>(nanos, 0);
  ++buckets_[BucketOf(static_cast<uint64_t>(nanos))];
  min_ = count_ == 0 ? nanos : std::min(min_, nanos);
  max_ = std::max(max_, nanos);
  sum_ += static_cast<double>(nanos);
  ++count_;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kNumBuckets; ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
}

double LatencyHistogram::MeanNanos() const {
  return count_ == 0 ? 0 : sum_ / static_cast<double>(count_);
}

int64_t LatencyHistogram::PercentileNanos(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * count_));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kNumBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      return std::min<int64_t>(static_cast<int64_t>(BucketUpperEdge(i)), max_);
    }
  }
  return max_;
}

}  // namespace vecdb::bench::load
