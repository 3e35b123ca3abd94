// How a query was answered: the engine fills a QueryExplain per query when
// asked (QueryOptions::explain), the server sends it as vecdb.v1.Explain and
// the C++ client hands the same struct back. QueryPath's numbers equal
// vecdb.v1.QueryPath's.
#ifndef VECDB_COMMON_QUERY_EXPLAIN_H_
#define VECDB_COMMON_QUERY_EXPLAIN_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace vecdb {

enum class QueryPath : int32_t {
  kUnspecified = 0,              // a number this build does not know
  kGraph = 1,                    // HNSW search, no filter
  kFilteredGraph = 2,            // HNSW walk admitting matching points only
  kExactCandidates = 3,          // exact distances to every matching point
  kFilteredGraphThenExact = 4,   // the walk fell short; exact instead
  kText = 5,                     // BM25 only
};

// "graph", "filtered_graph", "exact_candidates",
// "filtered_graph_then_exact", "text"; "unspecified" otherwise.
std::string_view QueryPathName(QueryPath path);

struct QueryExplain {
  // The vector path (hybrid: of the vector part); kText for text queries.
  QueryPath path = QueryPath::kUnspecified;
  // Matching points: estimated from the indexes' counts before the filter
  // was evaluated, and counted exactly (live points without a filter).
  uint64_t estimated_matches = 0;
  uint64_t actual_matches = 0;
  uint64_t distance_computations = 0;
  uint64_t nodes_expanded = 0;
  // BM25: (term, document) pairs scored.
  uint64_t postings_scored = 0;
  // Wall time of the search (not of reading the returned fields).
  uint64_t search_micros = 0;
  // Why the path was chosen, in words.
  std::string reason;
};

}  // namespace vecdb

#endif  // VECDB_COMMON_QUERY_EXPLAIN_H_
