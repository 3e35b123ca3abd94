#include "benchmarks/filter_workload.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "benchmarks/bench_util.h"

namespace vecdb::bench {
namespace {

// Exactly round(s * n) rows set, chosen by a seeded shuffle.
std::vector<bool> DrawFlags(size_t n, double s, std::mt19937_64& rng) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const size_t set = std::min(n, static_cast<size_t>(std::llround(s * n)));
  std::vector<bool> flags(n, false);
  for (size_t i = 0; i < set; ++i) flags[order[i]] = true;
  return flags;
}

FilterCase EqCase(const FilterWorkload& w, size_t f) {
  FilterCase c;
  c.kind = FilterKind::kEq;
  c.selectivity = kSelectivities[f];
  const std::string field = FlagField(c.selectivity);
  c.label = absl::StrCat(field, " == true");
  c.filter = FieldFilter(field, FieldOp::kEq, {true});
  for (size_t i = 0; i < w.num_rows; ++i) {
    if (w.flags[f][i]) c.rows.push_back(static_cast<uint32_t>(i));
  }
  return c;
}

FilterCase RangeCase(const FilterWorkload& w, double s) {
  FilterCase c;
  c.kind = FilterKind::kRange;
  c.selectivity = s;
  const int64_t bound = std::llround(kBuckets * s);
  c.label = absl::StrCat("bucket < ", bound);
  c.filter = FieldFilter("bucket", FieldOp::kLt, {bound});
  for (size_t i = 0; i < w.num_rows; ++i) {
    if (w.bucket[i] < bound) c.rows.push_back(static_cast<uint32_t>(i));
  }
  return c;
}

}  // namespace

std::string FlagField(double s) {
  return absl::StrReplaceAll(absl::StrFormat("s%g", s * 100), {{".", "_"}});
}

Metadata FilterWorkload::MetadataOf(size_t row) const {
  Metadata m;
  for (size_t f = 0; f < flags.size(); ++f) {
    m.emplace(FlagField(kSelectivities[f]), static_cast<bool>(flags[f][row]));
  }
  m.emplace("bucket", bucket[row]);
  return m;
}

FilterWorkload MakeFilterWorkload(size_t num_rows, uint64_t seed) {
  FilterWorkload w;
  w.num_rows = num_rows;
  std::mt19937_64 rng(seed);
  for (double s : kSelectivities) {
    w.flags.push_back(DrawFlags(num_rows, s, rng));
  }
  std::uniform_int_distribution<int64_t> bucket(0, kBuckets - 1);
  w.bucket.resize(num_rows);
  for (int64_t& b : w.bucket) b = bucket(rng);
  for (size_t f = 0; f < w.flags.size(); ++f) w.cases.push_back(EqCase(w, f));
  for (double s : kSelectivities) w.cases.push_back(RangeCase(w, s));
  return w;
}

std::vector<std::vector<std::vector<uint32_t>>> FilteredTruth(
    const Dataset& data, const std::vector<FilterCase>& cases, size_t k) {
  const size_t nq = data.queries.size();
  std::vector<std::vector<std::vector<uint32_t>>> truth(
      cases.size(), std::vector<std::vector<uint32_t>>(nq));
  // Each query's distances to every row are computed once and shared by
  // all cases.
  ParallelFor(nq, HardwareThreads(), [&](size_t q, size_t) {
    const float* query = data.queries[q].data();
    std::vector<float> dist(data.num_base());
    for (size_t i = 0; i < dist.size(); ++i) {
      const float* row = data.row(i);
      float d = 0;
      for (size_t j = 0; j < data.dim; ++j) {
        const float diff = row[j] - query[j];
        d += diff * diff;
      }
      dist[i] = d;
    }
    std::vector<std::pair<float, uint32_t>> scored;
    for (size_t c = 0; c < cases.size(); ++c) {
      scored.clear();
      for (uint32_t row : cases[c].rows) scored.emplace_back(dist[row], row);
      const size_t top = std::min(k, scored.size());
      std::partial_sort(scored.begin(), scored.begin() + top, scored.end());
      truth[c][q].resize(top);
      for (size_t i = 0; i < top; ++i) truth[c][q][i] = scored[i].second;
    }
  });
  return truth;
}

}  // namespace vecdb::bench
