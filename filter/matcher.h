// The reference semantics of a filter (common/filter.h), evaluated on one
// point. The indexes in secondary/ must agree with it; tests use it as
// their oracle and the collection uses ContainsPhrase to confirm phrase
// candidates.
//
// Pure functions; thread-safe.
#ifndef VECDB_FILTER_MATCHER_H_
#define VECDB_FILTER_MATCHER_H_

#include <optional>
#include <string>
#include <variant>

#include "absl/types/span.h"
#include "common/filter.h"
#include "common/types.h"

namespace vecdb {

// Whether a point with `metadata` and `document` matches `filter`.
// REQUIRES: ValidateFilter(filter) is OK.
bool MatchesFilter(const Filter& filter, const Metadata& metadata,
                   const std::optional<std::string>& document);

// Whether `tokens` holds `phrase` as a consecutive run. An empty phrase is
// contained in everything.
bool ContainsPhrase(absl::Span<const std::string> tokens,
                    absl::Span<const std::string> phrase);

// Numeric comparison that is exact across int64 and double: negative if
// a < b, 0 if equal, positive if a > b. REQUIRES: no NaN.
using Number = std::variant<int64_t, double>;
int CompareNumbers(const Number& a, const Number& b);

}  // namespace vecdb

#endif  // VECDB_FILTER_MATCHER_H_
