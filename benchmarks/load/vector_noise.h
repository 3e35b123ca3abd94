// The replacement vectors of `vecdb_load --upsert-vectors=new`: base row i
// plus Gaussian noise, drawn afresh for every upsert and always around the
// original row (the noise never accumulates), so every upsert hands the
// engine a vector it has not stored before while the ground truth of the
// queries barely moves.
//
// The scale is tied to what recall measures: the noise's expected length is
// `fraction` times the truth radius, the median distance from a query to its
// k-th true neighbour. How far the truth can move is measured, not assumed:
// TruthAgreement perturbs every base row once and compares the exact top k
// of the queries with the original ground truth.
//
//   NoiseScale scale = MeasureNoiseScale(data, 0.01, 200, /*seed=*/7);
//   PerturbRow(data.row(i), data.dim, scale.sigma, rng, out);
//   Report(scale.truth.agreement);
//
// Thread safety: free functions; PerturbRow uses the caller's generator.
#ifndef VECDB_BENCHMARKS_LOAD_VECTOR_NOISE_H_
#define VECDB_BENCHMARKS_LOAD_VECTOR_NOISE_H_

#include <cstddef>
#include <cstdint>
#include <random>

#include "benchmarks/datasets.h"

namespace vecdb::bench::load {

// The median over queries of the L2 distance from a query to the last row
// of its ground truth (its k-th neighbour). 0 without queries.
double TruthRadius(const Dataset& data);

// The per-component standard deviation that gives the noise an expected
// length of about `fraction` * `radius` in `dim` dimensions.
double NoiseSigma(double radius, double fraction, size_t dim);

// out[j] = row[j] + N(0, sigma^2), for j < dim. `out` may not alias `row`.
void PerturbRow(const float* row, size_t dim, double sigma,
                std::mt19937_64& rng, float* out);

struct TruthAgreement {
  // Queries compared: the first `max_queries` of the set.
  size_t queries = 0;
  // Share of the original truth ids found in the exact top k of the
  // perturbed base (recall@k of the old truth against the new); 1 when no
  // neighbour changed.
  double agreement = 0;
};

// Perturbs every base row once (generator seeded with `seed`) and computes
// the exact neighbours of the first `max_queries` queries by brute force on
// all cores. That is the collection once every row has been rewritten at
// least once; a run that rewrote fewer rows is usually closer to 1.
TruthAgreement MeasureTruthAgreement(const Dataset& data, double sigma,
                                     size_t max_queries, uint64_t seed);

// Everything a report says about the noise of one run.
struct NoiseScale {
  double fraction = 0;
  double radius = 0;  // TruthRadius
  double sigma = 0;   // NoiseSigma(radius, fraction, dim)
  TruthAgreement truth;
};

// The three above for `data` at `fraction`.
NoiseScale MeasureNoiseScale(const Dataset& data, double fraction,
                             size_t max_queries, uint64_t seed);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_VECTOR_NOISE_H_
