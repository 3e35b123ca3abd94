// Conversions of the query-side messages that map onto collection types
// (collection/collection.h): filters on every read/delete request, query
// options, query results with their explain block.
//
// Thread safety: stateless free functions.
#ifndef VECDB_SERVER_QUERY_CONVERT_H_
#define VECDB_SERVER_QUERY_CONVERT_H_

#include <optional>

#include "absl/status/statusor.h"
#include "collection/collection.h"
#include "common/filter.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb {

// The request's filter when `has_filter`, converted (FilterFromProto:
// structural errors name the node under "filter"); nullopt otherwise.
absl::StatusOr<std::optional<Filter>> OptionalFilter(bool has_filter,
                                                     const v1::Filter& proto);

// k, ef, include, filter, hybrid and BM25 parameters (0 fields mean the
// documented defaults; FUSION_UNSPECIFIED means `default_fusion`), explain.
// An unknown fusion value is passed on for the engine to reject by name.
absl::StatusOr<QueryOptions> QueryOptionsFromProto(
    const v1::QueryRequest& request, Fusion default_fusion = Fusion::kRrf);

// Hits (moving their points) and, when set, the explain block.
void QueryResultToProto(QueryResult&& result, v1::QueryResult* proto);

}  // namespace vecdb

#endif  // VECDB_SERVER_QUERY_CONVERT_H_
