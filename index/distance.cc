#include <cmath>
#include <cstddef>

#include "index/vector_index.h"

namespace vecdb {
namespace {

double Dot(absl::Span<const float> a, absl::Span<const float> b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += double{a[i]} * b[i];
  return sum;
}

}  // namespace

float Distance(Metric metric, absl::Span<const float> a,
               absl::Span<const float> b) {
  switch (metric) {
    case Metric::kL2: {
      double sum = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        const double d = double{a[i]} - b[i];
        sum += d * d;
      }
      return static_cast<float>(std::sqrt(sum));
    }
    case Metric::kInnerProduct:
      return static_cast<float>(1.0 - Dot(a, b));
    case Metric::kCosine: {
      const double norms = std::sqrt(Dot(a, a) * Dot(b, b));
      // A zero vector has no direction; treat it as orthogonal to everything
      // rather than dividing by zero. The indexes reject zero vectors.
      if (norms == 0) return 1.0f;
      return static_cast<float>(1.0 - Dot(a, b) / norms);
    }
  }
  return 0;
}

}  // namespace vecdb
