#include "benchmarks/load/vector_noise.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vecdb::bench::load {

double TruthRadius(const Dataset& data) {
  std::vector<double> radii;
  for (size_t q = 0; q < data.queries.size() && q < data.truth.size(); ++q) {
    if (data.truth[q].empty()) continue;
    const float* row = data.row(data.truth[q].back());
    double d = 0;
    for (size_t j = 0; j < data.dim; ++j) {
      const double diff = double{row[j]} - double{data.queries[q][j]};
      d += diff * diff;
    }
    radii.push_back(std::sqrt(d));
  }
  if (radii.empty()) return 0;
  auto mid = radii.begin() + radii.size() / 2;
  std::nth_element(radii.begin(), mid, radii.end());
  return *mid;
}

double NoiseSigma(double radius, double fraction, size_t dim) {
  // |N(0, sigma^2 I)| is close to sigma * sqrt(dim) in any dimension that
  // matters here.
  return dim == 0 ? 0 : fraction * radius / std::sqrt(double(dim));
}

void PerturbRow(const float* row, size_t dim, double sigma,
                std::mt19937_64& rng, float* out) {
  std::normal_distribution<double> noise(0.0, sigma);
  for (size_t j = 0; j < dim; ++j) {
    out[j] = static_cast<float>(row[j] + noise(rng));
  }
}

TruthAgreement MeasureTruthAgreement(const Dataset& data, double sigma,
                                     size_t max_queries, uint64_t seed) {
  Dataset moved;
  moved.name = data.name;
  moved.dim = data.dim;
  moved.base.resize(data.base.size());
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < data.num_base(); ++i) {
    PerturbRow(data.row(i), data.dim, sigma, rng,
               moved.base.data() + i * data.dim);
  }
  const size_t nq = std::min(max_queries, data.truth.size());
  moved.queries.assign(data.queries.begin(), data.queries.begin() + nq);
  const std::vector<std::vector<uint32_t>> old_truth(data.truth.begin(),
                                                     data.truth.begin() + nq);
  size_t k = 0;
  for (const auto& ids : old_truth) k = std::max(k, ids.size());
  TruthAgreement result;
  result.queries = nq;
  result.agreement =
      nq == 0 ? 1 : RecallAtK(old_truth, ExactNeighbors(moved, k), k);
  return result;
}

NoiseScale MeasureNoiseScale(const Dataset& data, double fraction,
                             size_t max_queries, uint64_t seed) {
  NoiseScale scale;
  scale.fraction = fraction;
  scale.radius = TruthRadius(data);
  scale.sigma = NoiseSigma(scale.radius, fraction, data.dim);
  scale.truth = MeasureTruthAgreement(data, scale.sigma, max_queries, seed);
  return scale;
}

}  // namespace vecdb::bench::load
