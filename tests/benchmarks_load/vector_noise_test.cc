#include "benchmarks/load/vector_noise.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

namespace vecdb::bench::load {
namespace {

// `n` Gaussian rows and `nq` Gaussian queries in `dim` dimensions with
// their exact 10 nearest neighbours.
Dataset Gaussian(size_t n, size_t nq, size_t dim) {
  Dataset data;
  data.name = "gaussian";
  data.dim = dim;
  std::mt19937_64 rng(3);
  std::normal_distribution<float> normal;
  data.base.resize(n * dim);
  for (float& x : data.base) x = normal(rng);
  data.queries.assign(nq, std::vector<float>(dim));
  for (auto& q : data.queries) {
    for (float& x : q) x = normal(rng);
  }
  data.truth = ExactNeighbors(data, 10);
  return data;
}

TEST_CASE("The truth radius is the median distance to the 10th neighbour",
          "[load][noise]") {
  // Base rows 0, 1, ..., 19 on a line; queries at 0.25, 5.25 and 100.
  Dataset data;
  data.dim = 1;
  for (int i = 0; i < 20; ++i) data.base.push_back(float(i));
  data.queries = {{0.25f}, {5.25f}, {100.0f}};
  data.truth = ExactNeighbors(data, 10);
  // 10th neighbours: 9 (at 8.75), 10 (at 4.75) and 10 (at 90).
  CHECK(TruthRadius(data) == Approx(8.75));
  CHECK(TruthRadius(Dataset()) == 0);
}

TEST_CASE("The noise has the asked length", "[load][noise]") {
  CHECK(NoiseSigma(10, 0.1, 4) == Approx(0.5));
  const size_t dim = 128;
  const double sigma = NoiseSigma(50, 0.05, dim);
  std::vector<float> row(dim, 3.0f);
  std::vector<float> out(dim);
  std::mt19937_64 rng(1);
  double total = 0;
  constexpr int kDraws = 2000;
  for (int d = 0; d < kDraws; ++d) {
    PerturbRow(row.data(), dim, sigma, rng, out.data());
    double len = 0;
    for (size_t j = 0; j < dim; ++j) len += (out[j] - 3.0) * (out[j] - 3.0);
    total += std::sqrt(len);
  }
  CHECK(total / kDraws == Approx(0.05 * 50).epsilon(0.02));
}

TEST_CASE("Perturbations are seeded, fresh per draw, around the row",
          "[load][noise]") {
  const std::vector<float> row = {1, 2, 3, 4};
  std::vector<float> a(4), b(4), c(4);
  std::mt19937_64 rng1(9), rng2(9);
  PerturbRow(row.data(), 4, 0.1, rng1, a.data());
  PerturbRow(row.data(), 4, 0.1, rng2, b.data());
  CHECK(a == b);
  PerturbRow(row.data(), 4, 0.1, rng1, c.data());
  CHECK(c != a);
  for (size_t j = 0; j < 4; ++j) {
    CHECK(a[j] != row[j]);
    CHECK(std::abs(a[j] - row[j]) < 1.0);  // 10 sigma
  }
}

TEST_CASE("Truth agreement: 1 without noise, falling as the noise grows",
          "[load][noise]") {
  const Dataset data = Gaussian(2000, 50, 8);
  const double radius = TruthRadius(data);
  REQUIRE(radius > 0);

  const TruthAgreement none = MeasureTruthAgreement(data, 0, 1000, 7);
  CHECK(none.queries == 50);
  CHECK(none.agreement == 1);

  const TruthAgreement few = MeasureTruthAgreement(data, 0, 20, 7);
  CHECK(few.queries == 20);

  const double small =
      MeasureTruthAgreement(data, NoiseSigma(radius, 0.01, 8), 50, 7).agreement;
  const double large =
      MeasureTruthAgreement(data, NoiseSigma(radius, 1.0, 8), 50, 7).agreement;
  CHECK(small > 0.97);
  CHECK(large < 0.8);
  CHECK(large < small);

  const NoiseScale scale = MeasureNoiseScale(data, 0.01, 50, 7);
  CHECK(scale.radius == radius);
  CHECK(scale.sigma == NoiseSigma(radius, 0.01, 8));
  CHECK(scale.truth.agreement == small);
}

}  // namespace
}  // namespace vecdb::bench::load
