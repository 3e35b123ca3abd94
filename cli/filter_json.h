// The JSON form of a filter that `vecdb --filter` takes, parsed into a
// Filter tree (common/filter.h). One JSON object per node:
//
//   {"field": "lang", "op": "eq", "value": "en"}
//   {"field": "year", "op": "in", "values": [2020, 2021]}
//   {"field": "tags", "op": "exists"}
//   {"all_of": [ ... ]}   {"any_of": [ ... ]}   {"not": { ... }}
//   {"text": "heart attack"}   {"text": "x", "op": "not_contains"}
//
// Field ops: eq ne gt gte lt lte in not_in exists contains_any
// contains_all. Text ops: contains (the default) and not_contains. A field
// condition takes "value" (one) or "values" (an array), or neither for
// exists; each value is a string, a number or a boolean. JSON integers
// become int64 values, other numbers doubles.
//
// Only the shape is checked here (known keys and ops, value types); the
// server checks the rest (value counts per operator, limits) and names the
// node in the proto's terms.
//
// Errors: InvalidArgument whose message starts with the JSON path of the
// bad node, the root being "filter":
//   filter.all_of[1].not: expected an object
//   filter.any_of[0].values[2]: expected a string, number or boolean
//
// Thread safety: stateless free functions.
#ifndef VECDB_CLI_FILTER_JSON_H_
#define VECDB_CLI_FILTER_JSON_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/args.h"
#include "common/filter.h"

namespace vecdb::cli {

absl::StatusOr<Filter> ParseFilterJson(absl::string_view text);

// The command's --filter option, if given, parsed. A malformed filter is a
// usage error (IsUsageError) that names the JSON path of the bad node.
absl::StatusOr<std::optional<Filter>> ParseFilterOption(
    const ParsedArgs& args);

}  // namespace vecdb::cli

#endif  // VECDB_CLI_FILTER_JSON_H_
