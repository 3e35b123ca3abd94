// Conversions between vecdb.v1.Filter and the domain filter tree
// (common/filter.h), shared by the server and the C++ client.
//
// Only structural checks happen here; the rules of common/filter.h (known
// operators, value counts and types, limits) are checked later by
// ValidateFilter (filter/filter_validation.h), which sees operator numbers
// exactly as they came over the wire.
//
// Paths in messages follow filter/filter_validation.h: the root is `field`
// (e.g. "filter"), children are ".all_of[i]", ".any_of[i]", ".negate", a
// field condition adds ".field" (its values ".field.values[j]"), a text
// condition ".text":
//   filter.all_of[1].negate: no condition set
//   filter.any_of[0].field.values[2]: no value set
//
// Thread safety: stateless free functions; safe to call concurrently on
// distinct messages.
#ifndef VECDB_PROTO_FILTER_CONVERT_H_
#define VECDB_PROTO_FILTER_CONVERT_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "common/filter.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb {

// True when the message sets a node (a request with an unset `filter`
// field has no filter).
bool HasFilter(const v1::Filter& proto);

// The tree of `proto`. InvalidArgument for:
//   - a node with no oneof set: "<path>: no condition set";
//   - a filter value with no kind: "<path>.field.values[j]: no value set";
//   - a node nested deeper than kMaxFilterDepth + 1 levels (the root is
//     level 1): "<path>: deeper than 16 levels". Conversion stops there so
//     that its recursion stays bounded; a tree of exactly
//     kMaxFilterDepth + 1 levels converts and is left to ValidateFilter.
// FieldOp and TextOp numbers are copied as they are, unknown ones included.
absl::StatusOr<Filter> FilterFromProto(const v1::Filter& proto,
                                       std::string_view field);

// Writes `filter` into `proto` (cleared first). A kNot node with other than
// exactly one child, or a node of unknown kind, is written as a node the
// server rejects ("no condition set"): the proto cannot express it.
void FilterToProto(const Filter& filter, v1::Filter* proto);

}  // namespace vecdb

#endif  // VECDB_PROTO_FILTER_CONVERT_H_
