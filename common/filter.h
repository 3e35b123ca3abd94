// Filter: a structured predicate over a point's metadata and document, as
// requests carry it (vecdb.v1.Filter in the proto). A tree of nodes:
//
//   kField  `field` `op` `values`   a condition on one metadata field
//   kAnd    children (1+)          every child matches
//   kOr     children (1+)          some child matches
//   kNot    children (exactly 1)   the child does not match
//   kText   `text_op` `text`       the document contains / lacks a word or
//                                  phrase
//
// Semantics of a field condition (a point without the field never matches,
// except through kNe, kNotIn and kNot):
//   kEq v          the value equals v. Numbers compare numerically across
//                  int and double (5 == 5.0); strings bytewise; bools. On a
//                  string-list field: some element equals v.
//   kNe v          not kEq v (also matches points without the field).
//   kGt/kGte/kLt/kLte v
//                  v is a number or a string (not a bool); numbers compare
//                  numerically, strings bytewise. On a string list: some
//                  element compares so.
//   kIn v1..vn     kEq of some vi; the values are all strings, all numbers
//                  or all bools.
//   kNotIn v1..vn  not kIn.
//   kExists        the point has the field (no values).
//   kContainsAny v1..vn / kContainsAll v1..vn
//                  string values; the field is a string list (a plain string
//                  counts as a list of one) holding some / every vi.
// A value of another type than the field's never matches (an int condition
// on a string field is simply false for that point).
//
// Text conditions tokenize `text` the way documents are tokenized
// (text/tokenizer.h): kContains matches documents whose token sequence holds
// the text's tokens consecutively; kNotContains is its negation (and matches
// points without a document).
//
// filter/filter_validation.h checks a tree against the limits below and
// names the offending node, e.g. "filter.all_of[2].negate.field.field: empty
// field".
#ifndef VECDB_COMMON_FILTER_H_
#define VECDB_COMMON_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace vecdb {

// Underlying int32 so that an unknown operator number from the wire
// survives conversion and is rejected, by number, in validation.
enum class FieldOp : int32_t {
  kEq = 1,
  kNe = 2,
  kGt = 3,
  kGte = 4,
  kLt = 5,
  kLte = 6,
  kIn = 7,
  kNotIn = 8,
  kExists = 9,
  kContainsAny = 10,
  kContainsAll = 11,
};

enum class TextOp : int32_t { kContains = 1, kNotContains = 2 };

using FilterValue = std::variant<std::string, int64_t, double, bool>;

struct Filter {
  enum class Kind : int32_t { kField = 1, kAnd = 2, kOr = 3, kNot = 4, kText = 5 };
  Kind kind = Kind::kField;
  // kField.
  std::string field;
  FieldOp op = FieldOp::kEq;
  std::vector<FilterValue> values;
  // kText.
  TextOp text_op = TextOp::kContains;
  std::string text;
  // kAnd, kOr, kNot.
  std::vector<Filter> children;
};

// Limits of one filter tree.
inline constexpr size_t kMaxFilterDepth = 16;      // root = depth 1
inline constexpr size_t kMaxFilterNodes = 1024;
inline constexpr size_t kMaxFilterValues = 10000;  // summed over the tree
inline constexpr size_t kMaxFilterFieldBytes = 256;  // = metadata key limit
inline constexpr size_t kMaxFilterTextBytes = 4096;

// Convenience constructors (tests, the C++ client, the CLI).
inline Filter FieldFilter(std::string field, FieldOp op,
                          std::vector<FilterValue> values = {}) {
  Filter f;
  f.kind = Filter::Kind::kField;
  f.field = std::move(field);
  f.op = op;
  f.values = std::move(values);
  return f;
}
inline Filter AndFilter(std::vector<Filter> children) {
  Filter f;
  f.kind = Filter::Kind::kAnd;
  f.children = std::move(children);
  return f;
}
inline Filter OrFilter(std::vector<Filter> children) {
  Filter f;
  f.kind = Filter::Kind::kOr;
  f.children = std::move(children);
  return f;
}
inline Filter NotFilter(Filter child) {
  Filter f;
  f.kind = Filter::Kind::kNot;
  f.children.push_back(std::move(child));
  return f;
}
inline Filter TextFilter(TextOp op, std::string text) {
  Filter f;
  f.kind = Filter::Kind::kText;
  f.text_op = op;
  f.text = std::move(text);
  return f;
}

}  // namespace vecdb

#endif  // VECDB_COMMON_FILTER_H_
