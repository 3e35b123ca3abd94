#include <catch2/catch.hpp>
#include <vector>

#include "index/vector_index.h"

namespace vecdb {
namespace {

TEST_CASE("Distance under L2 is Euclidean, not squared", "[index]") {
  CHECK(Distance(Metric::kL2, std::vector<float>{0, 0},
                 std::vector<float>{3, 4}) == Approx(5.0));
  CHECK(Distance(Metric::kL2, std::vector<float>{1, 1},
                 std::vector<float>{1, 1}) == 0.0f);
}

TEST_CASE("Distance under inner product is 1 - dot", "[index]") {
  CHECK(Distance(Metric::kInnerProduct, std::vector<float>{1, 2},
                 std::vector<float>{3, 4}) == Approx(-10.0));
  CHECK(Distance(Metric::kInnerProduct, std::vector<float>{1, 0},
                 std::vector<float>{0, 1}) == Approx(1.0));
}

TEST_CASE("Distance under cosine ignores length", "[index]") {
  const std::vector<float> x{2, 0}, y{0, 5}, same{7, 0}, opposite{-1, 0};
  CHECK(Distance(Metric::kCosine, x, same) == Approx(0.0).margin(1e-6));
  CHECK(Distance(Metric::kCosine, x, y) == Approx(1.0));
  CHECK(Distance(Metric::kCosine, x, opposite) == Approx(2.0));
  CHECK(Distance(Metric::kCosine, std::vector<float>{1, 1},
                 std::vector<float>{1, 0}) == Approx(1.0 - 0.70710678));
}

}  // namespace
}  // namespace vecdb
