#include "collection/validation.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

namespace vecdb {
namespace {

TEST_CASE("collection names", "[validation]") {
  CHECK(ValidateCollectionName("docs_v2-en").ok());
  CHECK(ValidateCollectionName("9lives").ok());
  auto empty = ValidateCollectionName("");
  CHECK(absl::IsInvalidArgument(empty));
  CHECK(empty.message() == "name: must not be empty");
  CHECK(absl::IsInvalidArgument(ValidateCollectionName("_hidden")));
  CHECK(absl::IsInvalidArgument(ValidateCollectionName("a b")));
  CHECK(absl::IsInvalidArgument(ValidateCollectionName("a/b")));
  CHECK(absl::IsInvalidArgument(ValidateCollectionName(std::string(65, 'a'))));
  CHECK(ValidateCollectionName(std::string(64, 'a')).ok());
}

TEST_CASE("collection shape", "[validation]") {
  CHECK(ValidateCollectionShape(1, {}).ok());
  CHECK(ValidateCollectionShape(4096, {}).ok());
  auto zero = ValidateCollectionShape(0, {});
  CHECK(zero.message() == "dimension: must be in 1..4096, got 0");
  CHECK(absl::IsInvalidArgument(ValidateCollectionShape(4097, {})));
  CHECK(ValidateCollectionShape(8, {.m = 1}).message() ==
        "hnsw.m: must be in 2..128, got 1");
  CHECK(absl::IsInvalidArgument(
      ValidateCollectionShape(8, {.m = 16, .ef_construction = 0})));
  CHECK(absl::IsInvalidArgument(ValidateCollectionShape(
      8, {.m = 16, .ef_construction = 100, .ef_search = 5000})));
}

TEST_CASE("vectors", "[validation]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(ValidateVector({1, 2, 3}, 3, Metric::kL2, "v").ok());
  CHECK(ValidateVector({1, 2}, 3, Metric::kL2, "q").message() ==
        "q: expected dimension 3, got 2");
  CHECK(ValidateVector({1, nan, 3}, 3, Metric::kL2, "points[0].vector")
            .message() == "points[0].vector[1]: NaN is not allowed");
  CHECK(ValidateVector({1, 2, -inf}, 3, Metric::kL2, "v").message() ==
        "v[2]: infinity is not allowed");
  CHECK(ValidateVector({0, 0, 0}, 3, Metric::kL2, "v").ok());
  CHECK(ValidateVector({0, 0, 0}, 3, Metric::kInnerProduct, "v").ok());
  auto zero = ValidateVector({0, 0, 0}, 3, Metric::kCosine, "v");
  CHECK(absl::IsInvalidArgument(zero));
  CHECK(zero.message() ==
        "v: a zero vector has no direction under the cosine metric");
}

TEST_CASE("ids and batches", "[validation]") {
  CHECK(ValidatePointId("a", "id").ok());
  CHECK(ValidatePointId(std::string(512, 'x'), "id").ok());
  CHECK(ValidatePointId(std::string(513, 'x'), "points[0].id").message() ==
        "points[0].id: 513 bytes exceed the limit of 512");
  CHECK(ValidatePointId("", "points[1].id").message() ==
        "points[1].id: must not be empty");
  std::vector<std::string> ids = {"a", "b", "a"};
  CHECK(ValidateIdList(ids, "ids").message() ==
        "ids[2]: duplicate of ids[0] (\"a\")");

  std::vector<Point> points = {{"a", {1, 0}, {}, {}}, {"b", {0, 1}, {}, {}},
                               {"a", {1, 1}, {}, {}}};
  CHECK(ValidatePoints(points, 2, Metric::kCosine).message() ==
        "points[2].id: duplicate of points[0].id (\"a\")");
  points.pop_back();
  CHECK(ValidatePoints(points, 2, Metric::kCosine).ok());
  points[1].metadata[""] = int64_t{1};
  CHECK(absl::IsInvalidArgument(ValidatePoints(points, 2, Metric::kCosine)));
  points[1].metadata.clear();
  points[1].metadata["score"] = std::nan("");
  CHECK(ValidatePoints(points, 2, Metric::kCosine).message() ==
        "points[1].metadata[\"score\"]: a double must be finite");
  CHECK(ValidatePoints({}, 2, Metric::kCosine).message() ==
        "points: must not be empty");
}

}  // namespace
}  // namespace vecdb
