#include "filter/filter_validation.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "common/filter.h"

namespace vecdb {
namespace {

// The message of a failed validation; fails the test unless the code is
// InvalidArgument.
std::string Error(const Filter& filter) {
  absl::Status status = ValidateFilter(filter);
  REQUIRE(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

Filter Eq(std::string field, FilterValue v) {
  return FieldFilter(std::move(field), FieldOp::kEq, {std::move(v)});
}

// A chain of `depth` nested kNot nodes over one condition.
Filter NotChain(size_t depth) {
  Filter f = Eq("a", int64_t{1});
  for (size_t i = 1; i < depth; ++i) f = NotFilter(std::move(f));
  return f;
}

// Takes a deep chain apart from the top so that its destruction does not
// recurse once per level.
void Dismantle(Filter f) {
  while (!f.children.empty()) {
    Filter child = std::move(f.children[0]);
    f = std::move(child);
  }
}

TEST_CASE("ValidateFilter accepts every operator with fitting values",
          "[filter]") {
  const Filter filter = AndFilter({
      Eq("s", std::string("x")),
      FieldFilter("n", FieldOp::kNe, {2.5}),
      FieldFilter("n", FieldOp::kGt, {int64_t{1}}),
      FieldFilter("s", FieldOp::kLte, {std::string("m")}),
      FieldFilter("n", FieldOp::kIn, {int64_t{1}, 2.0}),
      FieldFilter("b", FieldOp::kNotIn, {true, false}),
      FieldFilter("b", FieldOp::kExists),
      FieldFilter("t", FieldOp::kContainsAll, {std::string("a")}),
      OrFilter({FieldFilter("t", FieldOp::kContainsAny, {std::string("b")}),
                NotFilter(TextFilter(TextOp::kContains, "hello world"))}),
      TextFilter(TextOp::kNotContains, "x"),
  });
  CHECK(ValidateFilter(filter).ok());
  CHECK(ValidateFilter(NotChain(kMaxFilterDepth)).ok());
}

TEST_CASE("ValidateFilter names unknown kinds and operators", "[filter]") {
  Filter kind = Eq("a", int64_t{1});
  kind.kind = static_cast<Filter::Kind>(9);
  CHECK(Error(kind) == "filter: unknown filter kind 9");

  Filter op = Eq("a", int64_t{1});
  op.op = static_cast<FieldOp>(42);
  CHECK(Error(OrFilter({Eq("b", true), op})) ==
        "filter.any_of[1].field.op: unknown operator 42");

  Filter text = TextFilter(TextOp::kContains, "x");
  text.text_op = static_cast<TextOp>(0);
  CHECK(Error(NotFilter(text)) ==
        "filter.negate.text: unknown text operator 0");
}

TEST_CASE("ValidateFilter rejects empty and long field names", "[filter]") {
  CHECK(Error(AndFilter({Eq("a", true), NotFilter(Eq("", true))})) ==
        "filter.all_of[1].negate.field.field: empty field");
  CHECK(Error(Eq(std::string(kMaxFilterFieldBytes + 1, 'k'), true)) ==
        "filter.field.field: field of 257 bytes, over 256");
  CHECK(ValidateFilter(Eq(std::string(kMaxFilterFieldBytes, 'k'), true)).ok());
}

TEST_CASE("ValidateFilter checks the number of values per operator",
          "[filter]") {
  CHECK(Error(FieldFilter("a", FieldOp::kEq)) ==
        "filter.field.values: eq takes exactly one value, got 0");
  CHECK(Error(FieldFilter("a", FieldOp::kGte, {int64_t{1}, int64_t{2}})) ==
        "filter.field.values: gte takes exactly one value, got 2");
  CHECK(Error(FieldFilter("a", FieldOp::kExists, {true})) ==
        "filter.field.values: exists takes no values, got 1");
  CHECK(Error(FieldFilter("a", FieldOp::kNotIn)) ==
        "filter.field.values: not_in takes one or more values, got 0");
  CHECK(Error(FieldFilter("a", FieldOp::kContainsAll)) ==
        "filter.field.values: contains_all takes one or more values, got 0");
}

TEST_CASE("ValidateFilter checks value types per operator", "[filter]") {
  CHECK(Error(FieldFilter("a", FieldOp::kLt, {true})) ==
        "filter.field.values[0]: lt takes no bool");
  CHECK(Error(FieldFilter("a", FieldOp::kIn,
                          {std::string("x"), std::string("y"), int64_t{3}})) ==
        "filter.field.values[2]: a number among string values");
  CHECK(
      Error(FieldFilter("a", FieldOp::kContainsAny, {std::string("x"), 1.5})) ==
      "filter.field.values[1]: contains_any takes strings, got a number");
  // int and double are one family.
  CHECK(ValidateFilter(FieldFilter("a", FieldOp::kIn, {int64_t{1}, 1.5})).ok());
}

TEST_CASE("ValidateFilter rejects NaN and infinite numbers", "[filter]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(Error(Eq("a", nan)) ==
        "filter.field.values[0]: NaN or infinite number");
  CHECK(Error(FieldFilter("a", FieldOp::kIn, {1.0, -inf})) ==
        "filter.field.values[1]: NaN or infinite number");
}

TEST_CASE("ValidateFilter checks the shape of and, or and not", "[filter]") {
  CHECK(Error(AndFilter({})) == "filter.all_of: empty filter list");
  CHECK(Error(AndFilter({Eq("a", true), OrFilter({})})) ==
        "filter.all_of[1].any_of: empty filter list");
  Filter two = NotFilter(Eq("a", true));
  two.children.push_back(Eq("b", true));
  CHECK(Error(two) == "filter.negate: negate takes exactly one filter, got 2");
  Filter none = NotFilter(Eq("a", true));
  none.children.clear();
  CHECK(Error(none) == "filter.negate: negate takes exactly one filter, got 0");
}

TEST_CASE("ValidateFilter checks text conditions", "[filter]") {
  CHECK(Error(TextFilter(TextOp::kContains, "")) == "filter.text: empty text");
  CHECK(Error(OrFilter(
            {Eq("a", true), TextFilter(TextOp::kNotContains, " ,.-! ")})) ==
        "filter.any_of[1].text: text has no words");
  CHECK(Error(TextFilter(TextOp::kContains,
                         std::string(kMaxFilterTextBytes + 1, 'w'))) ==
        "filter.text: text of 4097 bytes, over 4096");
  CHECK(ValidateFilter(TextFilter(TextOp::kContains,
                                  std::string(kMaxFilterTextBytes, 'w')))
            .ok());
}

TEST_CASE("ValidateFilter enforces the depth limit on a hostile tree",
          "[filter]") {
  Filter too_deep = NotChain(kMaxFilterDepth + 1);
  std::string path = "filter";
  for (size_t i = 1; i <= kMaxFilterDepth; ++i) path += ".negate";
  CHECK(Error(too_deep) == path + ": filter deeper than 16 levels");
  Dismantle(std::move(too_deep));

  Filter hostile = NotChain(100000);
  absl::Status status = ValidateFilter(hostile);
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(status.message()).find("deeper than 16") !=
        std::string::npos);
  Dismantle(std::move(hostile));
}

TEST_CASE("ValidateFilter enforces the node and value limits", "[filter]") {
  std::vector<Filter> children(kMaxFilterNodes - 1, Eq("a", true));
  CHECK(ValidateFilter(OrFilter(children)).ok());
  children.push_back(Eq("a", true));
  CHECK(Error(OrFilter(children)) ==
        "filter.any_of[1023]: filter with more than 1024 nodes");

  std::vector<FilterValue> values(kMaxFilterValues, int64_t{7});
  CHECK(ValidateFilter(FieldFilter("a", FieldOp::kIn, values)).ok());
  CHECK(Error(AndFilter(
            {FieldFilter("a", FieldOp::kIn, values), Eq("b", int64_t{1})})) ==
        "filter.all_of[1]: filter with more than 10000 values");
}

TEST_CASE("ValidateFilter uses the given root in paths", "[filter]") {
  absl::Status status =
      ValidateFilter(NotFilter(Eq("", true)), "request.filter");
  CHECK(status.message() == "request.filter.negate.field.field: empty field");
}

}  // namespace
}  // namespace vecdb
