#include "cli/filter_json.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vecdb::cli {
namespace {

using Json = nlohmann::json;

struct OpName {
  const char* name;
  FieldOp op;
};

constexpr OpName kFieldOps[] = {
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

absl::Status Error(const std::string& path, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", message));
}

absl::StatusOr<FilterValue> ValueFromJson(const Json& json,
                                          const std::string& path) {
  switch (json.type()) {
    case Json::value_t::string:
      return FilterValue(json.get<std::string>());
    case Json::value_t::boolean:
      return FilterValue(json.get<bool>());
    case Json::value_t::number_integer:
      return FilterValue(json.get<int64_t>());
    case Json::value_t::number_unsigned: {
      const uint64_t value = json.get<uint64_t>();
      if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Error(path, "integer out of the int64 range");
      }
      return FilterValue(static_cast<int64_t>(value));
    }
    case Json::value_t::number_float:
      return FilterValue(json.get<double>());
    default:
      return Error(path, absl::StrCat("expected a string, number or boolean, "
                                      "got ",
                                      json.type_name()));
  }
}

absl::StatusOr<std::string> StringMember(const Json& object, const char* key,
                                         const std::string& path) {
  const Json& value = object.at(key);
  if (!value.is_string()) {
    return Error(absl::StrCat(path, ".", key),
                 absl::StrCat("expected a string, got ", value.type_name()));
  }
  return value.get<std::string>();
}

// Rejects keys of `object` outside `allowed`.
absl::Status CheckKeys(const Json& object,
                       const std::vector<std::string>& allowed,
                       const std::string& path) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const std::string& name : allowed) known = known || key == name;
    if (!known) {
      std::string expected;
      for (const std::string& name : allowed) {
        absl::StrAppend(&expected, expected.empty() ? "" : ", ", name);
      }
      return Error(path, absl::StrCat("unknown key \"", key, "\" (expected ",
                                      expected, ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Filter> FieldFromJson(const Json& json,
                                     const std::string& path) {
  VECDB_RETURN_IF_ERROR(
      CheckKeys(json, {"field", "op", "value", "values"}, path));
  Filter filter;
  filter.kind = Filter::Kind::kField;
  VECDB_ASSIGN_OR_RETURN(filter.field, StringMember(json, "field", path));
  if (!json.contains("op")) return Error(path, "missing \"op\"");
  VECDB_ASSIGN_OR_RETURN(const std::string op, StringMember(json, "op", path));
  bool found = false;
  for (const OpName& entry : kFieldOps) {
    if (op == entry.name) {
      filter.op = entry.op;
      found = true;
    }
  }
  if (!found) {
    return Error(absl::StrCat(path, ".op"),
                 absl::StrCat("unknown operator \"", op,
                              "\" (expected eq, ne, gt, gte, lt, lte, in, "
                              "not_in, exists, contains_any, contains_all)"));
  }
  if (json.contains("value") && json.contains("values")) {
    return Error(path, "give \"value\" or \"values\", not both");
  }
  if (json.contains("value")) {
    VECDB_ASSIGN_OR_RETURN(
        FilterValue value,
        ValueFromJson(json.at("value"), absl::StrCat(path, ".value")));
    filter.values.push_back(std::move(value));
  } else if (json.contains("values")) {
    const Json& values = json.at("values");
    const std::string values_path = absl::StrCat(path, ".values");
    if (!values.is_array()) {
      return Error(values_path,
                   absl::StrCat("expected an array, got ", values.type_name()));
    }
    for (size_t j = 0; j < values.size(); ++j) {
      VECDB_ASSIGN_OR_RETURN(
          FilterValue value,
          ValueFromJson(values[j], absl::StrCat(values_path, "[", j, "]")));
      filter.values.push_back(std::move(value));
    }
  }
  return filter;
}

absl::StatusOr<Filter> TextFromJson(const Json& json, const std::string& path) {
  VECDB_RETURN_IF_ERROR(CheckKeys(json, {"text", "op"}, path));
  VECDB_ASSIGN_OR_RETURN(std::string text, StringMember(json, "text", path));
  TextOp op = TextOp::kContains;
  if (json.contains("op")) {
    VECDB_ASSIGN_OR_RETURN(const std::string name,
                           StringMember(json, "op", path));
    if (name == "not_contains") {
      op = TextOp::kNotContains;
    } else if (name != "contains") {
      return Error(absl::StrCat(path, ".op"),
                   absl::StrCat("unknown text operator \"", name,
                                "\" (expected contains or not_contains)"));
    }
  }
  return TextFilter(op, std::move(text));
}

absl::StatusOr<Filter> NodeFromJson(const Json& json, const std::string& path,
                                    size_t depth);

absl::StatusOr<Filter> ListFromJson(const Json& json, const char* key,
                                    Filter::Kind kind, const std::string& path,
                                    size_t depth) {
  VECDB_RETURN_IF_ERROR(CheckKeys(json, {key}, path));
  const Json& list = json.at(key);
  const std::string list_path = absl::StrCat(path, ".", key);
  if (!list.is_array()) {
    return Error(list_path,
                 absl::StrCat("expected an array, got ", list.type_name()));
  }
  Filter filter;
  filter.kind = kind;
  for (size_t i = 0; i < list.size(); ++i) {
    VECDB_ASSIGN_OR_RETURN(
        Filter child,
        NodeFromJson(list[i], absl::StrCat(list_path, "[", i, "]"), depth + 1));
    filter.children.push_back(std::move(child));
  }
  return filter;
}

absl::StatusOr<Filter> NodeFromJson(const Json& json, const std::string& path,
                                    size_t depth) {
  if (!json.is_object()) {
    return Error(path,
                 absl::StrCat("expected an object, got ", json.type_name()));
  }
  if (depth > kMaxFilterDepth) {
    return Error(path,
                 absl::StrCat("deeper than ", kMaxFilterDepth, " levels"));
  }
  if (json.contains("field")) return FieldFromJson(json, path);
  if (json.contains("text")) return TextFromJson(json, path);
  if (json.contains("all_of")) {
    return ListFromJson(json, "all_of", Filter::Kind::kAnd, path, depth);
  }
  if (json.contains("any_of")) {
    return ListFromJson(json, "any_of", Filter::Kind::kOr, path, depth);
  }
  if (json.contains("not")) {
    VECDB_RETURN_IF_ERROR(CheckKeys(json, {"not"}, path));
    VECDB_ASSIGN_OR_RETURN(
        Filter child,
        NodeFromJson(json.at("not"), absl::StrCat(path, ".not"), depth + 1));
    return NotFilter(std::move(child));
  }
  return Error(path,
               "expected one of the keys field, text, all_of, any_of, not");
}

}  // namespace

absl::StatusOr<Filter> ParseFilterJson(absl::string_view text) {
  const Json json = Json::parse(text.begin(), text.end(), nullptr,
                                /*allow_exceptions=*/false);
  if (json.is_discarded()) return Error("filter", "not valid JSON");
  return NodeFromJson(json, "filter", 1);
}

absl::StatusOr<std::optional<Filter>> ParseFilterOption(
    const ParsedArgs& args) {
  const std::optional<std::string> text = args.Get("filter");
  if (!text.has_value()) return std::nullopt;
  auto filter = ParseFilterJson(*text);
  if (!filter.ok()) {
    return UsageError(absl::StrCat("--filter: ", filter.status().message()));
  }
  return std::optional<Filter>(*std::move(filter));
}

}  // namespace vecdb::cli
