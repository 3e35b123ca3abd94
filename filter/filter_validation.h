// ValidateFilter: checks a filter tree (common/filter.h) before it is used.
//
// InvalidArgument, naming the offending node by its path, for:
//   - an unknown node kind or operator ("filter.any_of[1].field.op: unknown
//     operator 42");
//   - an empty field, or one over kMaxFilterFieldBytes;
//   - values that do not fit the operator (type mismatch or wrong count):
//     kEq/kNe/ranges take one value, ranges no bool, kIn/kNotIn 1+ values of
//     one type family (strings, numbers or bools), kExists none,
//     kContainsAny/All 1+ strings; a NaN or infinite double anywhere;
//   - kAnd/kOr without children, kNot without exactly one child;
//   - a text condition whose text is empty, has no tokens, or is over
//     kMaxFilterTextBytes;
//   - a tree deeper than kMaxFilterDepth, with more than kMaxFilterNodes
//     nodes or kMaxFilterValues values.
//
// Paths: the root is `root` (e.g. "filter"); children are named as in the
// proto: ".all_of[i]" (kAnd), ".any_of[i]" (kOr), ".negate" (kNot); a field
// condition adds ".field" and then ".field", ".op" or ".values[j]"; a text
// condition adds ".text".
//
// Pure function; thread-safe.
#ifndef VECDB_FILTER_FILTER_VALIDATION_H_
#define VECDB_FILTER_FILTER_VALIDATION_H_

#include <string_view>

#include "absl/status/status.h"
#include "common/filter.h"

namespace vecdb {

absl::Status ValidateFilter(const Filter& filter,
                            std::string_view root = "filter");

}  // namespace vecdb

#endif  // VECDB_FILTER_FILTER_VALIDATION_H_
