#include "filter/matcher.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/tokenizer.h"

namespace vecdb {
namespace {

// 2^63 as a double: the first double above every int64.
constexpr double kTwoPow63 = 9223372036854775808.0;

int Sign(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// Exact int64 <=> double: the double's integer part is compared as an
// int64 (it fits once the out-of-range cases are handled), then its
// fraction breaks the tie.
int CompareIntDouble(int64_t a, double b) {
  if (b >= kTwoPow63) return -1;
  if (b < -kTwoPow63) return 1;
  const double whole = std::trunc(b);
  const int by_whole = Sign(a, static_cast<int64_t>(whole));
  if (by_whole != 0) return by_whole;
  const double fraction = b - whole;
  return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0);
}

// The numeric view of a field or filter value, if it is a number.
std::optional<Number> AsNumber(const MetadataValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return Number(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    if (std::isnan(*d)) return std::nullopt;  // NaN equals and orders nothing.
    return Number(*d);
  }
  return std::nullopt;
}
std::optional<Number> AsNumber(const FilterValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return Number(*i);
  if (const auto* d = std::get_if<double>(&value)) return Number(*d);
  return std::nullopt;
}

// The strings a field holds: a plain string is a list of one.
std::vector<std::string_view> AsStrings(const MetadataValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return {*s};
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
    return {list->begin(), list->end()};
  }
  return {};
}

bool OrderMatches(FieldOp op, int cmp) {
  switch (op) {
    case FieldOp::kEq:
      return cmp == 0;
    case FieldOp::kGt:
      return cmp > 0;
    case FieldOp::kGte:
      return cmp >= 0;
    case FieldOp::kLt:
      return cmp < 0;
    case FieldOp::kLte:
      return cmp <= 0;
    default:
      return false;
  }
}

// Whether `field op v` holds for kEq and the range operators.
bool CompareMatches(const MetadataValue& field, FieldOp op,
                    const FilterValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) {
    const auto* fb = std::get_if<bool>(&field);
    return op == FieldOp::kEq && fb != nullptr && *fb == *b;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    for (std::string_view element : AsStrings(field)) {
      if (OrderMatches(op, element.compare(*s))) return true;
    }
    return false;
  }
  const std::optional<Number> a = AsNumber(field);
  const std::optional<Number> b = AsNumber(v);
  return a && b && OrderMatches(op, CompareNumbers(*a, *b));
}

bool AnyEquals(const MetadataValue& field, const std::vector<FilterValue>& vs) {
  return std::any_of(vs.begin(), vs.end(), [&](const FilterValue& v) {
    return CompareMatches(field, FieldOp::kEq, v);
  });
}

bool ContainsString(const std::vector<std::string_view>& held,
                    const FilterValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s != nullptr && std::find(held.begin(), held.end(), *s) != held.end();
}

bool MatchesField(const Filter& condition, const Metadata& metadata) {
  const auto it = metadata.find(condition.field);
  const bool negated =
      condition.op == FieldOp::kNe || condition.op == FieldOp::kNotIn;
  if (it == metadata.end()) return negated;
  const MetadataValue& field = it->second;
  const std::vector<FilterValue>& vs = condition.values;
  switch (condition.op) {
    case FieldOp::kEq:
    case FieldOp::kGt:
    case FieldOp::kGte:
    case FieldOp::kLt:
    case FieldOp::kLte:
      return CompareMatches(field, condition.op, vs.at(0));
    case FieldOp::kNe:
      return !CompareMatches(field, FieldOp::kEq, vs.at(0));
    case FieldOp::kIn:
      return AnyEquals(field, vs);
    case FieldOp::kNotIn:
      return !AnyEquals(field, vs);
    case FieldOp::kExists:
      return true;
    case FieldOp::kContainsAny: {
      const std::vector<std::string_view> held = AsStrings(field);
      return std::any_of(vs.begin(), vs.end(), [&](const FilterValue& v) {
        return ContainsString(held, v);
      });
    }
    case FieldOp::kContainsAll: {
      const std::vector<std::string_view> held = AsStrings(field);
      return std::all_of(vs.begin(), vs.end(), [&](const FilterValue& v) {
        return ContainsString(held, v);
      });
    }
  }
  return false;
}

bool MatchesText(const Filter& condition,
                 const std::optional<std::string>& document) {
  bool contains = false;
  if (document.has_value()) {
    contains = ContainsPhrase(text::Tokenize(*document),
                              text::Tokenize(condition.text));
  }
  return condition.text_op == TextOp::kNotContains ? !contains : contains;
}

}  // namespace

int CompareNumbers(const Number& a, const Number& b) {
  if (const auto* ai = std::get_if<int64_t>(&a)) {
    if (const auto* bi = std::get_if<int64_t>(&b)) return Sign(*ai, *bi);
    return CompareIntDouble(*ai, std::get<double>(b));
  }
  const double ad = std::get<double>(a);
  if (const auto* bi = std::get_if<int64_t>(&b)) {
    return -CompareIntDouble(*bi, ad);
  }
  const double bd = std::get<double>(b);
  return ad < bd ? -1 : (ad > bd ? 1 : 0);
}

bool ContainsPhrase(absl::Span<const std::string> tokens,
                    absl::Span<const std::string> phrase) {
  if (phrase.empty()) return true;
  return std::search(tokens.begin(), tokens.end(), phrase.begin(),
                     phrase.end()) != tokens.end();
}

bool MatchesFilter(const Filter& filter, const Metadata& metadata,
                   const std::optional<std::string>& document) {
  switch (filter.kind) {
    case Filter::Kind::kField:
      return MatchesField(filter, metadata);
    case Filter::Kind::kAnd:
      return std::all_of(filter.children.begin(), filter.children.end(),
                         [&](const Filter& c) {
                           return MatchesFilter(c, metadata, document);
                         });
    case Filter::Kind::kOr:
      return std::any_of(filter.children.begin(), filter.children.end(),
                         [&](const Filter& c) {
                           return MatchesFilter(c, metadata, document);
                         });
    case Filter::Kind::kNot:
      return !MatchesFilter(filter.children.at(0), metadata, document);
    case Filter::Kind::kText:
      return MatchesText(filter, document);
  }
  return false;
}

}  // namespace vecdb
