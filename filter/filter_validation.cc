#include "filter/filter_validation.h"

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "text/tokenizer.h"

namespace vecdb {
namespace {

absl::Status Invalid(std::string_view path, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(path), ": ", AsAbsl(problem)));
}

const char* OpName(FieldOp op) {
  switch (op) {
    case FieldOp::kEq:
      return "eq";
    case FieldOp::kNe:
      return "ne";
    case FieldOp::kGt:
      return "gt";
    case FieldOp::kGte:
      return "gte";
    case FieldOp::kLt:
      return "lt";
    case FieldOp::kLte:
      return "lte";
    case FieldOp::kIn:
      return "in";
    case FieldOp::kNotIn:
      return "not_in";
    case FieldOp::kExists:
      return "exists";
    case FieldOp::kContainsAny:
      return "contains_any";
    case FieldOp::kContainsAll:
      return "contains_all";
  }
  return nullptr;
}

// The family a value belongs to for kIn/kNotIn: int and double are one.
enum class Family { kString, kNumber, kBool };
Family FamilyOf(const FilterValue& v) {
  if (std::holds_alternative<std::string>(v)) return Family::kString;
  if (std::holds_alternative<bool>(v)) return Family::kBool;
  return Family::kNumber;
}
const char* FamilyName(Family family) {
  switch (family) {
    case Family::kString:
      return "string";
    case Family::kNumber:
      return "number";
    case Family::kBool:
      return "bool";
  }
  return "";
}

// Checks each value of a field condition against its operator.
absl::Status CheckValues(const Filter& node, std::string_view path) {
  const std::string values_path = absl::StrCat(AsAbsl(path), ".values");
  const size_t n = node.values.size();
  const char* op = OpName(node.op);
  auto count_error = [&](std::string_view wanted) {
    return Invalid(values_path,
                   absl::StrCat(op, " takes ", AsAbsl(wanted), ", got ", n));
  };
  switch (node.op) {
    case FieldOp::kEq:
    case FieldOp::kNe:
    case FieldOp::kGt:
    case FieldOp::kGte:
    case FieldOp::kLt:
    case FieldOp::kLte:
      if (n != 1) return count_error("exactly one value");
      break;
    case FieldOp::kExists:
      if (n != 0) return count_error("no values");
      break;
    default:
      if (n == 0) return count_error("one or more values");
      break;
  }
  const bool ranged = node.op == FieldOp::kGt || node.op == FieldOp::kGte ||
                      node.op == FieldOp::kLt || node.op == FieldOp::kLte;
  const bool strings_only =
      node.op == FieldOp::kContainsAny || node.op == FieldOp::kContainsAll;
  for (size_t j = 0; j < n; ++j) {
    const FilterValue& v = node.values[j];
    const std::string value_path = absl::StrCat(values_path, "[", j, "]");
    if (const auto* d = std::get_if<double>(&v); d && !std::isfinite(*d)) {
      return Invalid(value_path, "NaN or infinite number");
    }
    const Family family = FamilyOf(v);
    if (ranged && family == Family::kBool) {
      return Invalid(value_path, absl::StrCat(op, " takes no bool"));
    }
    if (strings_only && family != Family::kString) {
      return Invalid(value_path, absl::StrCat(op, " takes strings, got a ",
                                              FamilyName(family)));
    }
    if (j > 0 && family != FamilyOf(node.values[0])) {
      return Invalid(
          value_path,
          absl::StrCat("a ", FamilyName(family), " among ",
                       FamilyName(FamilyOf(node.values[0])), " values"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckField(const Filter& node, std::string_view node_path) {
  const std::string path = absl::StrCat(AsAbsl(node_path), ".field");
  if (node.field.empty()) return Invalid(path + ".field", "empty field");
  if (node.field.size() > kMaxFilterFieldBytes) {
    return Invalid(path + ".field",
                   absl::StrCat("field of ", node.field.size(), " bytes, over ",
                                kMaxFilterFieldBytes));
  }
  if (OpName(node.op) == nullptr) {
    return Invalid(path + ".op", absl::StrCat("unknown operator ",
                                              static_cast<int32_t>(node.op)));
  }
  return CheckValues(node, path);
}

absl::Status CheckText(const Filter& node, std::string_view node_path) {
  const std::string path = absl::StrCat(AsAbsl(node_path), ".text");
  if (node.text_op != TextOp::kContains &&
      node.text_op != TextOp::kNotContains) {
    return Invalid(path, absl::StrCat("unknown text operator ",
                                      static_cast<int32_t>(node.text_op)));
  }
  if (node.text.empty()) return Invalid(path, "empty text");
  if (node.text.size() > kMaxFilterTextBytes) {
    return Invalid(path, absl::StrCat("text of ", node.text.size(),
                                      " bytes, over ", kMaxFilterTextBytes));
  }
  if (text::Tokenize(node.text).empty()) {
    return Invalid(path, "text has no words");
  }
  return absl::OkStatus();
}

// Walks the tree depth-first, counting nodes and values as it goes. The
// recursion never goes below kMaxFilterDepth + 1 frames.
class Validator {
 public:
  absl::Status Check(const Filter& node, const std::string& path,
                     size_t depth) {
    if (depth > kMaxFilterDepth) {
      return Invalid(path, absl::StrCat("filter deeper than ", kMaxFilterDepth,
                                        " levels"));
    }
    if (++nodes_ > kMaxFilterNodes) {
      return Invalid(path, absl::StrCat("filter with more than ",
                                        kMaxFilterNodes, " nodes"));
    }
    switch (node.kind) {
      case Filter::Kind::kField:
        values_ += node.values.size();
        if (values_ > kMaxFilterValues) {
          return Invalid(path, absl::StrCat("filter with more than ",
                                            kMaxFilterValues, " values"));
        }
        return CheckField(node, path);
      case Filter::Kind::kText:
        return CheckText(node, path);
      case Filter::Kind::kAnd:
        return CheckChildren(node, path, ".all_of", depth);
      case Filter::Kind::kOr:
        return CheckChildren(node, path, ".any_of", depth);
      case Filter::Kind::kNot:
        if (node.children.size() != 1) {
          return Invalid(path + ".negate",
                         absl::StrCat("negate takes exactly one filter, got ",
                                      node.children.size()));
        }
        return Check(node.children[0], path + ".negate", depth + 1);
    }
    return Invalid(path, absl::StrCat("unknown filter kind ",
                                      static_cast<int32_t>(node.kind)));
  }

 private:
  absl::Status CheckChildren(const Filter& node, const std::string& path,
                             const char* name, size_t depth) {
    const std::string list_path = path + name;
    if (node.children.empty()) {
      return Invalid(list_path, "empty filter list");
    }
    for (size_t i = 0; i < node.children.size(); ++i) {
      VECDB_RETURN_IF_ERROR(Check(
          node.children[i], absl::StrCat(list_path, "[", i, "]"), depth + 1));
    }
    return absl::OkStatus();
  }

  size_t nodes_ = 0;
  size_t values_ = 0;
};

}  // namespace

absl::Status ValidateFilter(const Filter& filter, std::string_view root) {
  Validator validator;
  return validator.Check(filter, std::string(root), 1);
}

}  // namespace vecdb
