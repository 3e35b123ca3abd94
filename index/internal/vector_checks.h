// Input checks and preparation shared by the VectorIndex implementations.
// Private to index/.
#ifndef VECDB_INDEX_INTERNAL_VECTOR_CHECKS_H_
#define VECDB_INDEX_INTERNAL_VECTOR_CHECKS_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/types.h"
#include "index/vector_index.h"

namespace vecdb::index_internal {

inline bool IsKnownMetric(Metric metric) {
  return metric == Metric::kCosine || metric == Metric::kL2 ||
         metric == Metric::kInnerProduct;
}

// InvalidArgument unless the options describe an index that can be built.
inline absl::Status ValidateOptions(const IndexOptions& options) {
  if (options.dimension < 1 || options.dimension > kMaxDimension) {
    return absl::InvalidArgumentError(absl::StrCat("dimension must be in [1, ",
                                                   kMaxDimension, "], got ",
                                                   options.dimension));
  }
  if (!IsKnownMetric(options.metric)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown metric ", static_cast<int>(options.metric)));
  }
  if (options.hnsw.m < kMinM || options.hnsw.m > kMaxM) {
    return absl::InvalidArgumentError(absl::StrCat(
        "m must be in [", kMinM, ", ", kMaxM, "], got ", options.hnsw.m));
  }
  if (options.hnsw.ef_construction < 1) {
    return absl::InvalidArgumentError("ef_construction must be at least 1");
  }
  return absl::OkStatus();
}

// Checks one vector: finite components and, under kCosine, a non-zero norm.
// `what` names the vector in the error message.
inline absl::Status ValidateVector(Metric metric, absl::Span<const float> v,
                                   const std::string& what) {
  double norm = 0;
  for (float x : v) {
    if (!std::isfinite(x)) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " has a non-finite component"));
    }
    norm += double{x} * x;
  }
  if (metric == Metric::kCosine && norm == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is the zero vector, which has no cosine"));
  }
  return absl::OkStatus();
}

inline absl::Status ValidateQuery(Metric metric, uint32_t dimension,
                                  absl::Span<const float> query) {
  if (query.size() != dimension) {
    return absl::InvalidArgumentError(
        absl::StrCat("query has ", query.size(),
                     " components, index dimension is ", dimension));
  }
  return ValidateVector(metric, query, "query");
}

// Checks a whole Add() batch before anything is changed.
inline absl::Status ValidateBatch(Metric metric, uint32_t dimension,
                                  absl::Span<const uint64_t> labels,
                                  absl::Span<const float> vectors) {
  if (vectors.size() / dimension != labels.size() ||
      vectors.size() % dimension != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected ", labels.size(), " x ", dimension,
                     " floats, got ", vectors.size()));
  }
  if (labels.size() > 1) {
    std::unordered_set<uint64_t> seen(labels.begin(), labels.end());
    if (seen.size() != labels.size()) {
      return absl::InvalidArgumentError("labels in one Add() must be distinct");
    }
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    absl::Status status =
        ValidateVector(metric, vectors.subspan(i * dimension, dimension),
                       absl::StrCat("vector for label ", labels[i]));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Scales `v` to unit length (a validated, non-zero vector).
inline void Normalize(absl::Span<float> v) {
  double norm = 0;
  for (float x : v) norm += double{x} * x;
  const double scale = 1.0 / std::sqrt(norm);
  for (float& x : v) x = static_cast<float>(x * scale);
}

// The vectors as the index stores them: normalised rows under kCosine,
// an unchanged copy otherwise.
inline std::vector<float> PrepareVectors(Metric metric, uint32_t dimension,
                                         absl::Span<const float> vectors) {
  std::vector<float> out(vectors.begin(), vectors.end());
  if (metric == Metric::kCosine) {
    for (size_t i = 0; i < out.size(); i += dimension) {
      Normalize(absl::MakeSpan(out).subspan(i, dimension));
    }
  }
  return out;
}

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_VECTOR_CHECKS_H_
