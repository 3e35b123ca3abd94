// The JSON filter syntax of `vecdb --filter` (cli/filter_json.h).
#include "cli/filter_json.h"

#include <catch2/catch.hpp>
#include <string>

namespace vecdb::cli {
namespace {

std::string ErrorOf(const std::string& json) {
  auto filter = ParseFilterJson(json);
  REQUIRE_FALSE(filter.ok());
  CHECK(filter.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(filter.status().message());
}

TEST_CASE("Field conditions with one value, several values or none",
          "[cli][filter_json]") {
  auto eq = ParseFilterJson(R"({"field":"lang","op":"eq","value":"en"})");
  REQUIRE(eq.ok());
  CHECK(eq->kind == Filter::Kind::kField);
  CHECK(eq->field == "lang");
  CHECK(eq->op == FieldOp::kEq);
  REQUIRE(eq->values.size() == 1);
  CHECK(std::get<std::string>(eq->values[0]) == "en");

  auto in = ParseFilterJson(
      R"({"field":"year","op":"in","values":[2020, -3, 2.5, 1e2, true]})");
  REQUIRE(in.ok());
  CHECK(in->op == FieldOp::kIn);
  REQUIRE(in->values.size() == 5);
  CHECK(std::get<int64_t>(in->values[0]) == 2020);
  CHECK(std::get<int64_t>(in->values[1]) == -3);
  CHECK(std::get<double>(in->values[2]) == 2.5);
  CHECK(std::get<double>(in->values[3]) == 100.0);  // not a JSON integer
  CHECK(std::get<bool>(in->values[4]));

  auto exists = ParseFilterJson(R"({"field":"tags","op":"exists"})");
  REQUIRE(exists.ok());
  CHECK(exists->op == FieldOp::kExists);
  CHECK(exists->values.empty());

  auto big =
      ParseFilterJson(R"({"field":"n","op":"lt","value":9223372036854775807})");
  REQUIRE(big.ok());
  CHECK(std::get<int64_t>(big->values[0]) == INT64_MAX);
}

TEST_CASE("Every operator name maps to its FieldOp", "[cli][filter_json]") {
  const std::pair<const char*, FieldOp> ops[] = {
      {"eq", FieldOp::kEq},
      {"ne", FieldOp::kNe},
      {"gt", FieldOp::kGt},
      {"gte", FieldOp::kGte},
      {"lt", FieldOp::kLt},
      {"lte", FieldOp::kLte},
      {"in", FieldOp::kIn},
      {"not_in", FieldOp::kNotIn},
      {"exists", FieldOp::kExists},
      {"contains_any", FieldOp::kContainsAny},
      {"contains_all", FieldOp::kContainsAll},
  };
  for (const auto& [name, op] : ops) {
    auto filter = ParseFilterJson(std::string(R"({"field":"f","op":")") + name +
                                  R"(","values":["a"]})");
    INFO(name);
    REQUIRE(filter.ok());
    CHECK(filter->op == op);
  }
}

TEST_CASE("Boolean combinations and text conditions nest",
          "[cli][filter_json]") {
  auto filter = ParseFilterJson(R"({"all_of":[
      {"field":"a","op":"gt","value":1},
      {"any_of":[{"text":"heart attack"},
                 {"text":"x","op":"not_contains"}]},
      {"not":{"field":"b","op":"eq","value":false}}]})");
  REQUIRE(filter.ok());
  CHECK(filter->kind == Filter::Kind::kAnd);
  REQUIRE(filter->children.size() == 3);
  const Filter& any = filter->children[1];
  CHECK(any.kind == Filter::Kind::kOr);
  REQUIRE(any.children.size() == 2);
  CHECK(any.children[0].kind == Filter::Kind::kText);
  CHECK(any.children[0].text_op == TextOp::kContains);
  CHECK(any.children[0].text == "heart attack");
  CHECK(any.children[1].text_op == TextOp::kNotContains);
  const Filter& negation = filter->children[2];
  CHECK(negation.kind == Filter::Kind::kNot);
  REQUIRE(negation.children.size() == 1);
  CHECK(negation.children[0].field == "b");
  CHECK_FALSE(std::get<bool>(negation.children[0].values[0]));
}

TEST_CASE("Malformed filters name the JSON path of the bad node",
          "[cli][filter_json]") {
  CHECK(ErrorOf("{\"field\":") == "filter: not valid JSON");
  CHECK(ErrorOf("[1]") == "filter: expected an object, got array");
  CHECK(ErrorOf("{}") ==
        "filter: expected one of the keys field, text, all_of, any_of, not");
  CHECK(ErrorOf(R"({"all_of":[{"field":"a","op":"eq","value":1},
                              {"not":{"field":"b","op":"eqq","value":1}}]})") ==
        "filter.all_of[1].not.op: unknown operator \"eqq\" (expected eq, ne, "
        "gt, gte, lt, lte, in, not_in, exists, contains_any, contains_all)");
  CHECK(ErrorOf(R"({"any_of":[{"field":"a","op":"in","values":[1,null]}]})") ==
        "filter.any_of[0].values[1]: expected a string, number or boolean, "
        "got null");
  CHECK(ErrorOf(R"({"field":"a","op":"eq","value":[1]})") ==
        "filter.value: expected a string, number or boolean, got array");
  CHECK(ErrorOf(R"({"field":"a","op":"in","values":1})") ==
        "filter.values: expected an array, got number");
  CHECK(ErrorOf(R"({"field":"a","op":"eq","value":1,"values":[1]})") ==
        "filter: give \"value\" or \"values\", not both");
  CHECK(ErrorOf(R"({"field":"a","value":1})") == "filter: missing \"op\"");
  CHECK(ErrorOf(R"({"field":1,"op":"eq","value":1})") ==
        "filter.field: expected a string, got number");
  CHECK(ErrorOf(R"({"field":"a","op":"eq","valeu":1})") ==
        "filter: unknown key \"valeu\" (expected field, op, value, values)");
  CHECK(ErrorOf(R"({"all_of":{"field":"a","op":"exists"}})") ==
        "filter.all_of: expected an array, got object");
  CHECK(ErrorOf(R"({"all_of":[],"any_of":[]})") ==
        "filter: unknown key \"any_of\" (expected all_of)");
  CHECK(ErrorOf(R"({"not":[{"field":"a","op":"exists"}]})") ==
        "filter.not: expected an object, got array");
  CHECK(ErrorOf(R"({"text":"x","op":"has"})") ==
        "filter.op: unknown text operator \"has\" (expected contains or "
        "not_contains)");
  CHECK(ErrorOf(R"({"field":"n","op":"eq","value":9223372036854775808})") ==
        "filter.value: integer out of the int64 range");
}

TEST_CASE("Nesting deeper than the filter depth limit is rejected",
          "[cli][filter_json]") {
  std::string ok = R"({"field":"a","op":"exists"})";
  for (size_t i = 1; i < kMaxFilterDepth; ++i) ok = "{\"not\":" + ok + "}";
  CHECK(ParseFilterJson(ok).ok());
  const std::string deep = "{\"not\":" + ok + "}";
  const std::string message = ErrorOf(deep);
  CHECK(message.find(": deeper than 16 levels") != std::string::npos);
  CHECK(message.rfind("filter.not.not.", 0) == 0);
}

}  // namespace
}  // namespace vecdb::cli
