#include "filter/matcher.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/filter.h"
#include "common/types.h"

namespace vecdb {
namespace {

using Strings = std::vector<std::string>;

const Metadata kPoint = {
    {"count", int64_t{5}},
    {"price", 2.5},
    {"big", int64_t{9007199254740993}},
    {"name", std::string("bob")},
    {"tags", Strings{"red", "green"}},
    {"none", Strings{}},
    {"flag", true},
};

bool Matches(const Filter& filter,
             const std::optional<std::string>& document = std::nullopt) {
  return MatchesFilter(filter, kPoint, document);
}

TEST_CASE("CompareNumbers is exact across int64 and double", "[filter]") {
  CHECK(CompareNumbers(int64_t{5}, 5.0) == 0);
  CHECK(CompareNumbers(5.0, int64_t{5}) == 0);
  CHECK(CompareNumbers(int64_t{-3}, -2.5) < 0);
  CHECK(CompareNumbers(int64_t{-2}, -2.5) > 0);
  CHECK(CompareNumbers(2.5, int64_t{2}) > 0);
  // 2^53 + 1 is not a double; a cast to double would call these equal.
  CHECK(CompareNumbers(int64_t{9007199254740993}, 9007199254740992.0) > 0);
  CHECK(CompareNumbers(9007199254740992.0, int64_t{9007199254740993}) < 0);
  CHECK(CompareNumbers(int64_t{9007199254740992}, 9007199254740992.0) == 0);
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  CHECK(CompareNumbers(max, 9223372036854775808.0) < 0);
  CHECK(CompareNumbers(min, -9223372036854775808.0) == 0);
  CHECK(CompareNumbers(min, -9223372036854777856.0) > 0);
  CHECK(CompareNumbers(max, std::numeric_limits<double>::infinity()) < 0);
  CHECK(CompareNumbers(min, -std::numeric_limits<double>::infinity()) > 0);
  CHECK(CompareNumbers(int64_t{0}, -0.0) == 0);
  CHECK(CompareNumbers(int64_t{1}, int64_t{2}) < 0);
  CHECK(CompareNumbers(1.5, 1.25) > 0);
}

TEST_CASE("ContainsPhrase finds consecutive runs only", "[filter]") {
  const Strings tokens = {"a", "b", "c", "b", "d"};
  CHECK(ContainsPhrase(tokens, Strings{"b", "c"}));
  CHECK(ContainsPhrase(tokens, Strings{"b", "d"}));
  CHECK_FALSE(ContainsPhrase(tokens, Strings{"a", "c"}));
  CHECK_FALSE(ContainsPhrase(tokens, Strings{"d", "e"}));
  CHECK(ContainsPhrase(tokens, Strings{}));
  CHECK(ContainsPhrase(Strings{}, Strings{}));
  CHECK_FALSE(ContainsPhrase(Strings{}, Strings{"a"}));
}

TEST_CASE("Equality compares numbers across types and lists by element",
          "[filter]") {
  CHECK(Matches(FieldFilter("count", FieldOp::kEq, {5.0})));
  CHECK(Matches(FieldFilter("price", FieldOp::kEq, {2.5})));
  CHECK_FALSE(Matches(FieldFilter("big", FieldOp::kEq, {9007199254740992.0})));
  CHECK(Matches(FieldFilter("tags", FieldOp::kEq, {std::string("green")})));
  CHECK(Matches(FieldFilter("flag", FieldOp::kEq, {true})));
  CHECK_FALSE(Matches(FieldFilter("flag", FieldOp::kEq, {false})));
  // Another type than the field's never matches.
  CHECK_FALSE(Matches(FieldFilter("name", FieldOp::kEq, {int64_t{5}})));
  CHECK_FALSE(Matches(FieldFilter("count", FieldOp::kEq, {std::string("5")})));
  CHECK_FALSE(Matches(FieldFilter("flag", FieldOp::kEq, {int64_t{1}})));
  // Missing fields match nothing but negations.
  CHECK_FALSE(Matches(FieldFilter("missing", FieldOp::kEq, {int64_t{5}})));
  CHECK(Matches(FieldFilter("missing", FieldOp::kNe, {int64_t{5}})));
  CHECK(Matches(FieldFilter("missing", FieldOp::kNotIn, {int64_t{5}})));
  CHECK(Matches(FieldFilter("name", FieldOp::kNe, {int64_t{5}})));
  CHECK_FALSE(Matches(FieldFilter("count", FieldOp::kNe, {int64_t{5}})));
}

TEST_CASE("Ranges compare numbers numerically and strings bytewise",
          "[filter]") {
  CHECK(Matches(FieldFilter("count", FieldOp::kGt, {4.5})));
  CHECK(Matches(FieldFilter("count", FieldOp::kGte, {int64_t{5}})));
  CHECK_FALSE(Matches(FieldFilter("count", FieldOp::kLt, {5.0})));
  CHECK(Matches(FieldFilter("price", FieldOp::kLte, {int64_t{3}})));
  CHECK(Matches(FieldFilter("big", FieldOp::kGt, {9007199254740992.0})));
  CHECK(Matches(FieldFilter("name", FieldOp::kGt, {std::string("bo")})));
  CHECK_FALSE(Matches(FieldFilter("name", FieldOp::kGt, {std::string("c")})));
  // Some element of a list compares so.
  CHECK(Matches(FieldFilter("tags", FieldOp::kGte, {std::string("r")})));
  CHECK_FALSE(Matches(FieldFilter("tags", FieldOp::kLt, {std::string("g")})));
  CHECK_FALSE(Matches(FieldFilter("none", FieldOp::kLt, {std::string("z")})));
  CHECK_FALSE(Matches(FieldFilter("name", FieldOp::kLt, {int64_t{9}})));
}

TEST_CASE("In, exists and contains", "[filter]") {
  CHECK(Matches(FieldFilter("count", FieldOp::kIn, {int64_t{1}, 5.0})));
  CHECK_FALSE(Matches(FieldFilter("count", FieldOp::kNotIn, {int64_t{5}})));
  CHECK(Matches(FieldFilter("name", FieldOp::kNotIn, {std::string("al")})));
  CHECK(Matches(FieldFilter("none", FieldOp::kExists)));
  CHECK_FALSE(Matches(FieldFilter("missing", FieldOp::kExists)));
  CHECK(Matches(FieldFilter("tags", FieldOp::kContainsAll,
                            {std::string("green"), std::string("red")})));
  CHECK_FALSE(Matches(FieldFilter("tags", FieldOp::kContainsAll,
                                  {std::string("green"), std::string("x")})));
  CHECK(Matches(FieldFilter("tags", FieldOp::kContainsAny,
                            {std::string("x"), std::string("red")})));
  // A plain string is a list of one.
  CHECK(Matches(
      FieldFilter("name", FieldOp::kContainsAll, {std::string("bob")})));
  CHECK_FALSE(Matches(
      FieldFilter("none", FieldOp::kContainsAny, {std::string("bob")})));
  CHECK_FALSE(
      Matches(FieldFilter("count", FieldOp::kContainsAny, {std::string("5")})));
}

TEST_CASE("Text conditions match tokenized phrases", "[filter]") {
  const std::optional<std::string> doc = "The Quick, brown fox -- jumps!";
  CHECK(Matches(TextFilter(TextOp::kContains, "quick BROWN"), doc));
  CHECK(Matches(TextFilter(TextOp::kContains, "fox"), doc));
  CHECK_FALSE(Matches(TextFilter(TextOp::kContains, "quick fox"), doc));
  CHECK_FALSE(Matches(TextFilter(TextOp::kContains, "qui"), doc));
  CHECK(Matches(TextFilter(TextOp::kNotContains, "quick fox"), doc));
  CHECK_FALSE(Matches(TextFilter(TextOp::kNotContains, "jumps"), doc));
  // No document: contains nothing.
  CHECK_FALSE(Matches(TextFilter(TextOp::kContains, "fox")));
  CHECK(Matches(TextFilter(TextOp::kNotContains, "fox")));
  CHECK_FALSE(Matches(TextFilter(TextOp::kContains, "fox"), std::string()));
}

TEST_CASE("And, or and not combine their children", "[filter]") {
  const Filter yes = FieldFilter("flag", FieldOp::kExists);
  const Filter no = FieldFilter("missing", FieldOp::kExists);
  CHECK(Matches(AndFilter({yes, yes})));
  CHECK_FALSE(Matches(AndFilter({yes, no})));
  CHECK(Matches(OrFilter({no, yes})));
  CHECK_FALSE(Matches(OrFilter({no, no})));
  CHECK(Matches(NotFilter(no)));
  CHECK_FALSE(Matches(NotFilter(yes)));
  CHECK_FALSE(Matches(NotFilter(AndFilter({yes, NotFilter(OrFilter({no}))}))));
}

}  // namespace
}  // namespace vecdb
