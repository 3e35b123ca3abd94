#include "benchmarks/ann_result.h"

#include <algorithm>

namespace vecdb::bench {

double QpsAtRecall(const std::vector<AnnPoint>& curve, double min_recall) {
  double best = 0;
  for (const AnnPoint& p : curve) {
    if (p.recall >= min_recall) best = std::max(best, p.qps);
  }
  return best;
}

bool NotBuilt(const AnnResult& r) { return r.error.rfind("not built", 0) == 0; }

}  // namespace vecdb::bench
