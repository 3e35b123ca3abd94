#include "collection/query_plan.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vecdb {
namespace {

struct PathChoice {
  bool exact = false;
  double exact_cost = 0;
  double graph_cost = 0;
};

PathChoice ChoosePath(uint64_t estimate, uint64_t live, size_t width,
                      uint32_t m) {
  PathChoice choice;
  const double s = live == 0 ? 1.0
                             : std::clamp(static_cast<double>(estimate) /
                                              static_cast<double>(live),
                                          1e-9, 1.0);
  choice.exact_cost = static_cast<double>(estimate);
  choice.graph_cost = 1.2 * static_cast<double>(width) * m / std::sqrt(s);
  choice.exact = choice.exact_cost <= choice.graph_cost;
  return choice;
}

std::string Percent(uint64_t part, uint64_t whole) {
  return absl::StrFormat(
      "%.3g%%", whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) /
                                       static_cast<double>(whole));
}

}  // namespace

FilteredPlan PlanFilteredQuery(uint64_t estimate, uint64_t actual,
                               uint64_t live, size_t width, uint32_t m) {
  const PathChoice planned = ChoosePath(estimate, live, width, m);
  const PathChoice choice = ChoosePath(actual, live, width, m);
  const std::string head = absl::StrFormat(
      "estimated %d of %d points match (%s), actually %d: ", estimate, live,
      Percent(estimate, live), actual);
  const std::string corrected =
      planned.exact != choice.exact
          ? absl::StrFormat(" (the estimate alone chose %s)",
                            planned.exact ? "exact search" : "the walk")
          : "";
  FilteredPlan plan;
  if (actual == 0) {
    plan.path = QueryPath::kExactCandidates;
    plan.reason = head + "nothing to search";
  } else if (choice.exact) {
    plan.path = QueryPath::kExactCandidates;
    plan.reason = absl::StrFormat(
        "%sexact search over them costs ~%.0f distance computations, a "
        "filtered graph walk ~%.0f%s",
        head, choice.exact_cost, choice.graph_cost, corrected);
  } else {
    plan.path = QueryPath::kFilteredGraph;
    plan.reason = absl::StrFormat(
        "%sa filtered graph walk costs ~%.0f distance computations, exact "
        "search ~%.0f%s",
        head, choice.graph_cost, choice.exact_cost, corrected);
  }
  return plan;
}

std::string WalkFallbackReason(bool budget_exhausted, size_t found,
                               uint64_t wanted) {
  return absl::StrCat(budget_exhausted ? "; the walk ran over its budget"
                                       : "; the walk found too few matches",
                      absl::StrFormat(" (%d of %d), answered exactly", found,
                                      wanted));
}

}  // namespace vecdb
