// The choice of path for a filtered vector query, and the explain text
// that says why.
//
// The cost model, in distance computations: exact search over the
// matching points computes one per match. An unfiltered beam search of
// width w on a graph of degree m computes about 1.2·w·m (measured at
// 100k × 128, M 16); admitting only a fraction s of the points lengthens
// the walk by about 1/sqrt(s) (measured 1.36× at s = 0.5). A walk that
// turns out longer than exact search is cut off at that cost and answered
// exactly, so a wrong guess costs at most 2×.
//
// Pure functions; thread-safe.
#ifndef VECDB_COLLECTION_QUERY_PLAN_H_
#define VECDB_COLLECTION_QUERY_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/query_explain.h"

namespace vecdb {

struct FilteredPlan {
  // kExactCandidates or kFilteredGraph.
  QueryPath path = QueryPath::kExactCandidates;
  // Explain text: the estimate, the exact count, both costs, and whether
  // the exact count overturned the estimate's choice.
  std::string reason;
};

// The plan for a query of beam width `width` (max(ef, k)) on a graph of
// degree `m` with `live` points, of which the filter was estimated to
// match `estimate` (from the postings' sizes) and matches `actual`
// (evaluated). The choice follows `actual`; the reason says when the
// estimate alone would have chosen otherwise.
FilteredPlan PlanFilteredQuery(uint64_t estimate, uint64_t actual,
                               uint64_t live, size_t width, uint32_t m);

// Appended to a plan's reason when a filtered walk is answered exactly
// after all: it ran over its budget, or found `found` of `wanted` hits.
std::string WalkFallbackReason(bool budget_exhausted, size_t found,
                               uint64_t wanted);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_QUERY_PLAN_H_
