// The measures of eval/metrics.h against values worked out by hand.
#include "eval/metrics.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vecdb::eval {
namespace {

using Ids = std::vector<std::string>;
using Set = std::set<std::string>;
using Grades = std::map<std::string, int>;

TEST_CASE("Binary measures of [r, n, r, n, n] with 3 relevant",
          "[eval][metrics]") {
  // r1, r2 retrieved at ranks 1 and 3; r3 relevant but not retrieved.
  const Ids ranked = {"r1", "n1", "r2", "n2", "n3"};
  const Set relevant = {"r1", "r2", "r3"};
  // P@5 = 2 relevant / 5 ranks.
  CHECK(PrecisionAtK(ranked, relevant, 5) == Approx(0.4));
  // R@5 = 2 found / 3 relevant.
  CHECK(RecallAtK(ranked, relevant, 5) == Approx(2.0 / 3.0));
  // AP = (P@1 + P@3) / 3 = (1/1 + 2/3) / 3 = 5/9.
  CHECK(AveragePrecision(ranked, relevant) == Approx(5.0 / 9.0));
  // DCG@5 = 1/log2(2) + 1/log2(4) = 1.5;
  // IDCG@5 = 1 + 1/log2(3) + 1/log2(4) = 2.1309298; nDCG = 0.7039180.
  CHECK(NdcgAtK(ranked, relevant, 5) == Approx(0.7039180));
  CHECK(ReciprocalRank(ranked, relevant) == Approx(1.0));
  // At 2: P = 1/2, R = 1/3, nDCG = 1 / (1 + 1/log2(3)) = 0.6131472.
  CHECK(PrecisionAtK(ranked, relevant, 2) == Approx(0.5));
  CHECK(RecallAtK(ranked, relevant, 2) == Approx(1.0 / 3.0));
  CHECK(NdcgAtK(ranked, relevant, 2) == Approx(0.6131472));
}

TEST_CASE("k larger than the ranking", "[eval][metrics]") {
  const Ids ranked = {"r1", "n1", "r2", "n2", "n3"};
  const Set relevant = {"r1", "r2", "r3"};
  // trec_eval's P_10 divides by 10 even with 5 retrieved: 2/10.
  CHECK(PrecisionAtK(ranked, relevant, 10) == Approx(0.2));
  CHECK(RecallAtK(ranked, relevant, 10) == Approx(2.0 / 3.0));
  // The ideal DCG is cut at the 3 relevant documents: same as nDCG@5.
  CHECK(NdcgAtK(ranked, relevant, 10) == Approx(0.7039180));
}

TEST_CASE("Graded nDCG uses the grade as gain", "[eval][metrics]") {
  // a:3, c:1, d:2 relevant; b judged non-relevant; x unjudged.
  const Grades grades = {{"a", 3}, {"b", 0}, {"c", 1}, {"d", 2}};
  const Ids ranked = {"c", "b", "a", "x"};
  // DCG@4 = 1/log2(2) + 0 + 3/log2(4) + 0 = 2.5.
  // IDCG@4 from [3, 2, 1] = 3 + 2/log2(3) + 1/log2(4) = 4.7618595.
  CHECK(NdcgAtK(ranked, grades, 4) == Approx(2.5 / 4.7618595));
  // @1: DCG 1, IDCG 3.
  CHECK(NdcgAtK(ranked, grades, 1) == Approx(1.0 / 3.0));
  // Binary measures count grade > 0: c and a relevant, of 3.
  CHECK(PrecisionAtK(ranked, grades, 4) == Approx(0.5));
  CHECK(RecallAtK(ranked, grades, 4) == Approx(2.0 / 3.0));
  // AP = (1/1 + 2/3) / 3.
  CHECK(AveragePrecision(ranked, grades) == Approx(5.0 / 9.0));
  CHECK(ReciprocalRank(ranked, grades) == Approx(1.0));
}

TEST_CASE("Negative and zero grades are non-relevant", "[eval][metrics]") {
  const Grades grades = {{"a", -1}, {"b", 0}, {"c", 1}};
  const Ids ranked = {"a", "b", "c"};
  CHECK(ReciprocalRank(ranked, grades) == Approx(1.0 / 3.0));
  // DCG = 1/log2(4) = 0.5; IDCG = 1.
  CHECK(NdcgAtK(ranked, grades, 3) == Approx(0.5));
  CHECK(AveragePrecision(ranked, grades) == Approx(1.0 / 3.0));
  CHECK(RecallAtK(ranked, grades, 3) == Approx(1.0));
}

TEST_CASE("Empty ranking scores 0 everywhere", "[eval][metrics]") {
  const Ids ranked;
  const Set relevant = {"a"};
  CHECK(NdcgAtK(ranked, relevant, 10) == 0);
  CHECK(RecallAtK(ranked, relevant, 10) == 0);
  CHECK(PrecisionAtK(ranked, relevant, 10) == 0);
  CHECK(AveragePrecision(ranked, relevant) == 0);
  CHECK(ReciprocalRank(ranked, relevant) == 0);
}

TEST_CASE("No relevant documents scores 0, not NaN", "[eval][metrics]") {
  const Ids ranked = {"a", "b"};
  for (const Grades& grades : {Grades{}, Grades{{"a", 0}, {"b", -2}}}) {
    CHECK(NdcgAtK(ranked, grades, 10) == 0);
    CHECK(RecallAtK(ranked, grades, 10) == 0);
    CHECK(PrecisionAtK(ranked, grades, 10) == 0);
    CHECK(AveragePrecision(ranked, grades) == 0);
    CHECK(ReciprocalRank(ranked, grades) == 0);
  }
  CHECK(NdcgAtK(ranked, Set{}, 10) == 0);
}

TEST_CASE("A cutoff of 0 scores 0", "[eval][metrics]") {
  const Ids ranked = {"a"};
  const Set relevant = {"a"};
  CHECK(NdcgAtK(ranked, relevant, 0) == 0);
  CHECK(PrecisionAtK(ranked, relevant, 0) == 0);
  CHECK(RecallAtK(ranked, relevant, 0) == 0);
}

TEST_CASE("Integer ids work as the SMART test loaders use them",
          "[eval][metrics]") {
  const std::vector<uint64_t> ranked = {7, 3, 9};
  const std::set<uint64_t> relevant = {3};
  CHECK(ReciprocalRank(ranked, relevant) == Approx(0.5));
  // DCG = 1/log2(3); IDCG = 1.
  CHECK(NdcgAtK(ranked, relevant, 3) == Approx(1.0 / std::log2(3.0)));
}

}  // namespace
}  // namespace vecdb::eval
