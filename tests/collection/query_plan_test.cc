#include "collection/query_plan.h"

#include <catch2/catch.hpp>
#include <string>

namespace vecdb {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("a filtered query's plan follows the exact match count",
          "[query_plan]") {
  // 100k points, width 64, M 16: the walk costs ~1229 / sqrt(s).
  SECTION("nothing matches") {
    FilteredPlan plan = PlanFilteredQuery(0, 0, 100000, 64, 16);
    CHECK(plan.path == QueryPath::kExactCandidates);
    CHECK(Has(plan.reason, "nothing to search"));
  }
  SECTION("few matches: exact search") {
    FilteredPlan plan = PlanFilteredQuery(500, 500, 100000, 64, 16);
    CHECK(plan.path == QueryPath::kExactCandidates);
    CHECK(Has(plan.reason, "estimated 500 of 100000 points match (0.5%)"));
    CHECK(Has(plan.reason, "exact search over them costs ~500"));
    CHECK_FALSE(Has(plan.reason, "estimate alone"));
  }
  SECTION("many matches: the filtered walk") {
    FilteredPlan plan = PlanFilteredQuery(50000, 50000, 100000, 64, 16);
    CHECK(plan.path == QueryPath::kFilteredGraph);
    // 1.2 * 64 * 16 / sqrt(0.5) = 1738
    CHECK(Has(plan.reason, "a filtered graph walk costs ~1738"));
  }
  SECTION("an estimate the exact count overturns") {
    FilteredPlan plan = PlanFilteredQuery(50000, 300, 100000, 64, 16);
    CHECK(plan.path == QueryPath::kExactCandidates);
    CHECK(Has(plan.reason, "(the estimate alone chose the walk)"));
    plan = PlanFilteredQuery(10, 60000, 100000, 64, 16);
    CHECK(plan.path == QueryPath::kFilteredGraph);
    CHECK(Has(plan.reason, "(the estimate alone chose exact search)"));
  }
}

TEST_CASE("a walk answered exactly says why", "[query_plan]") {
  CHECK(WalkFallbackReason(true, 10, 10) ==
        "; the walk ran over its budget (10 of 10), answered exactly");
  CHECK(WalkFallbackReason(false, 3, 10) ==
        "; the walk found too few matches (3 of 10), answered exactly");
}

}  // namespace
}  // namespace vecdb
