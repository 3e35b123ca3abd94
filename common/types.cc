#include "common/types.h"

namespace vecdb {

std::string_view MetricName(Metric metric) {
  switch (metric) {
    case Metric::kCosine:
      return "cosine";
    case Metric::kL2:
      return "l2";
    case Metric::kInnerProduct:
      return "ip";
  }
  return "unknown";
}

}  // namespace vecdb
