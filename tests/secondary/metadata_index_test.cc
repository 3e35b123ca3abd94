#include "secondary/metadata_index.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/filter.h"
#include "tests/secondary/filter_index_util.h"

namespace vecdb {
namespace {

using testing::FilterIndexes;
using testing::ToVector;
using Labels = std::vector<uint64_t>;
using Strings = std::vector<std::string>;

Labels Match(const FilterIndexes& indexes, const Filter& condition) {
  return ToVector(indexes.metadata().Match(condition));
}

TEST_CASE("MetadataIndex orders int and double values exactly", "[secondary]") {
  FilterIndexes x;
  x.Put(1, {{"n", int64_t{5}}}, std::nullopt);
  x.Put(2, {{"n", 5.0}}, std::nullopt);
  x.Put(3, {{"n", 5.5}}, std::nullopt);
  x.Put(4, {{"n", int64_t{9007199254740993}}}, std::nullopt);
  x.Put(5, {{"n", 9007199254740992.0}}, std::nullopt);
  x.Put(6, {{"n", int64_t{-7}}}, std::nullopt);
  x.Put(7, {{"n", std::string("5")}}, std::nullopt);

  CHECK(Match(x, FieldFilter("n", FieldOp::kEq, {int64_t{5}})) == Labels{1, 2});
  CHECK(Match(x, FieldFilter("n", FieldOp::kEq, {9007199254740992.0})) ==
        Labels{5});
  CHECK(Match(x, FieldFilter("n", FieldOp::kGt, {9007199254740992.0})) ==
        Labels{4});
  CHECK(Match(x, FieldFilter("n", FieldOp::kGte, {int64_t{5}})) ==
        Labels{1, 2, 3, 4, 5});
  CHECK(Match(x, FieldFilter("n", FieldOp::kGt, {int64_t{5}})) ==
        Labels{3, 4, 5});
  CHECK(Match(x, FieldFilter("n", FieldOp::kLt, {5.5})) == Labels{1, 2, 6});
  CHECK(Match(x, FieldFilter("n", FieldOp::kLte, {-7.0})) == Labels{6});
  CHECK(Match(x, FieldFilter("n", FieldOp::kIn, {int64_t{-7}, 5.5})) ==
        Labels{3, 6});
  CHECK(Match(x, FieldFilter("n", FieldOp::kEq, {std::string("5")})) ==
        Labels{7});
  CHECK(Match(x, FieldFilter("n", FieldOp::kGt, {std::string("")})) ==
        Labels{7});
  CHECK(Match(x, FieldFilter("n", FieldOp::kEq, {true})).empty());
}

TEST_CASE("MetadataIndex answers strings, lists and bools", "[secondary]") {
  FilterIndexes x;
  x.Put(1, {{"t", Strings{"red", "green"}}, {"b", true}}, std::nullopt);
  x.Put(2, {{"t", std::string("red")}, {"b", false}}, std::nullopt);
  x.Put(3, {{"t", Strings{}}}, std::nullopt);
  x.Put(4, {{"t", Strings{"blue", "green", "green"}}}, std::nullopt);

  CHECK(Match(x, FieldFilter("t", FieldOp::kEq, {std::string("red")})) ==
        Labels{1, 2});
  CHECK(Match(x, FieldFilter("t", FieldOp::kContainsAll,
                             {std::string("green"), std::string("red")})) ==
        Labels{1});
  CHECK(Match(x, FieldFilter("t", FieldOp::kContainsAll,
                             {std::string("green"), std::string("nope")}))
            .empty());
  CHECK(Match(x, FieldFilter("t", FieldOp::kContainsAny,
                             {std::string("blue"), std::string("red")})) ==
        Labels{1, 2, 4});
  CHECK(Match(x, FieldFilter("t", FieldOp::kGte, {std::string("c")})) ==
        Labels{1, 2, 4});
  CHECK(Match(x, FieldFilter("t", FieldOp::kLt, {std::string("green")})) ==
        Labels{4});
  CHECK(Match(x, FieldFilter("t", FieldOp::kExists)) == Labels{1, 2, 3, 4});
  CHECK(Match(x, FieldFilter("b", FieldOp::kEq, {false})) == Labels{2});
  CHECK(Match(x, FieldFilter("b", FieldOp::kIn, {false, true})) ==
        Labels{1, 2});
}

TEST_CASE("MetadataIndex complements kNe and kNotIn against every label",
          "[secondary]") {
  FilterIndexes x;
  x.Put(1, {{"s", std::string("a")}}, std::nullopt);
  x.Put(2, {{"s", std::string("b")}}, std::nullopt);
  x.Put(3, {}, std::nullopt);
  x.Put(4, {{"s", int64_t{1}}}, std::nullopt);
  CHECK(Match(x, FieldFilter("s", FieldOp::kNe, {std::string("a")})) ==
        Labels{2, 3, 4});
  CHECK(Match(x, FieldFilter("s", FieldOp::kNotIn,
                             {std::string("a"), std::string("b")})) ==
        Labels{3, 4});
  CHECK(Match(x, FieldFilter("missing", FieldOp::kNe, {true})) ==
        Labels{1, 2, 3, 4});
  CHECK(Match(x, FieldFilter("missing", FieldOp::kEq, {true})).empty());
}

TEST_CASE("MetadataIndex drops postings when their last label goes",
          "[secondary]") {
  FilterIndexes x;
  const size_t empty_bytes = x.metadata().MemoryBytes();
  for (uint64_t label = 0; label < 200; ++label) {
    x.Put(label,
          {{"s", "value" + std::to_string(label)},
           {"n", static_cast<int64_t>(label)},
           {"t", Strings{"x" + std::to_string(label), "y"}},
           {"b", label % 2 == 0}},
          std::nullopt);
  }
  const size_t full_bytes = x.metadata().MemoryBytes();
  CHECK(full_bytes > empty_bytes + 200 * 3 * 16);

  // Replacing values leaves no stale postings behind.
  x.Put(7, {{"s", std::string("other")}}, std::nullopt);
  CHECK(Match(x, FieldFilter("s", FieldOp::kEq, {std::string("value7")}))
            .empty());
  CHECK(Match(x, FieldFilter("n", FieldOp::kEq, {int64_t{7}})).empty());
  CHECK(Match(x, FieldFilter("s", FieldOp::kEq, {std::string("other")})) ==
        Labels{7});

  for (uint64_t label = 0; label < 200; ++label) x.Remove(label);
  CHECK(x.metadata().all().isEmpty());
  CHECK(x.metadata().MemoryBytes() == empty_bytes);
  CHECK(Match(x, FieldFilter("t", FieldOp::kExists)).empty());
  CHECK(Match(x, FieldFilter("n", FieldOp::kGte, {int64_t{0}})).empty());

  // Erasing an absent entry is ignored.
  MetadataIndex index;
  index.Erase({"f", std::string("v"), 3});
  index.Insert({"f", std::string("v"), 4});
  index.Erase({"f", std::string("v"), 3});
  index.Erase({"f", int64_t{1}, 4});
  CHECK(ToVector(index.Match(
            FieldFilter("f", FieldOp::kEq, {std::string("v")}))) == Labels{4});
}

TEST_CASE("MetadataIndex estimates from its counts", "[secondary]") {
  FilterIndexes x;
  for (uint64_t label = 0; label < 100; ++label) {
    x.Put(label,
          {{"s", std::string(1, static_cast<char>('a' + label % 5))},
           {"n", static_cast<int64_t>(label)},
           {"b", label < 30}},
          std::nullopt);
  }
  x.Put(100, {}, std::nullopt);
  const MetadataIndex& index = x.metadata();
  auto exact = [&](const Filter& condition) {
    CHECK(index.Estimate(condition) == index.Match(condition).cardinality());
  };
  exact(FieldFilter("s", FieldOp::kEq, {std::string("c")}));
  exact(FieldFilter("s", FieldOp::kIn,
                    {std::string("a"), std::string("e"), std::string("zz")}));
  exact(FieldFilter("s", FieldOp::kNe, {std::string("c")}));
  exact(FieldFilter("s", FieldOp::kContainsAny, {std::string("b")}));
  exact(FieldFilter("b", FieldOp::kEq, {true}));
  exact(FieldFilter("s", FieldOp::kExists));
  exact(FieldFilter("n", FieldOp::kLt, {int64_t{40}}));
  exact(FieldFilter("missing", FieldOp::kEq, {int64_t{1}}));
  CHECK(index.Estimate(FieldFilter("s", FieldOp::kEq, {std::string("c")})) ==
        20);
  CHECK(index.Estimate(FieldFilter("b", FieldOp::kNe, {true})) == 71);
}

}  // namespace
}  // namespace vecdb
