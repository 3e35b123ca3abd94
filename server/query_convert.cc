#include "server/query_convert.h"

#include <utility>

#include "common/status_macros.h"
#include "proto/convert.h"
#include "proto/filter_convert.h"

namespace vecdb {
namespace {

v1::QueryPath PathToProto(QueryPath path) {
  switch (path) {
    case QueryPath::kGraph:
      return v1::QUERY_PATH_GRAPH;
    case QueryPath::kFilteredGraph:
      return v1::QUERY_PATH_FILTERED_GRAPH;
    case QueryPath::kExactCandidates:
      return v1::QUERY_PATH_EXACT_CANDIDATES;
    case QueryPath::kFilteredGraphThenExact:
      return v1::QUERY_PATH_FILTERED_GRAPH_THEN_EXACT;
    case QueryPath::kText:
      return v1::QUERY_PATH_TEXT;
  }
  return v1::QUERY_PATH_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<std::optional<Filter>> OptionalFilter(bool has_filter,
                                                     const v1::Filter& proto) {
  if (!has_filter) return std::nullopt;
  VECDB_ASSIGN_OR_RETURN(Filter filter, FilterFromProto(proto, "filter"));
  return filter;
}

absl::StatusOr<QueryOptions> QueryOptionsFromProto(
    const v1::QueryRequest& request) {
  QueryOptions options;
  options.k = request.k();
  options.ef = request.ef();
  options.include = IncludeFromProto(request.include());
  VECDB_ASSIGN_OR_RETURN(options.filter, OptionalFilter(request.has_filter(),
                                                        request.filter()));
  const v1::HybridParams& h = request.hybrid();
  if (h.rrf_k() != 0) options.hybrid.rrf_k = h.rrf_k();
  if (h.vector_weight() != 0 || h.text_weight() != 0) {
    options.hybrid.vector_weight = h.vector_weight();
    options.hybrid.text_weight = h.text_weight();
  }
  options.hybrid.candidates = h.candidates();
  if (request.bm25().k1() != 0) options.bm25.k1 = request.bm25().k1();
  if (request.bm25().b() != 0) options.bm25.b = request.bm25().b();
  options.explain = request.explain();
  return options;
}

void QueryResultToProto(QueryResult&& result, v1::QueryResult* proto) {
  proto->mutable_hits()->Reserve(static_cast<int>(result.hits.size()));
  for (Hit& hit : result.hits) {
    v1::ScoredPoint* scored = proto->add_hits();
    PointToProto(std::move(hit.point), scored->mutable_point());
    scored->set_distance(hit.distance);
    scored->set_score(hit.score);
    scored->set_vector_rank(hit.vector_rank);
    scored->set_text_rank(hit.text_rank);
    scored->set_text_score(hit.text_score);
  }
  if (!result.explain.has_value()) return;
  const QueryExplain& e = *result.explain;
  v1::Explain* ex = proto->mutable_explain();
  ex->set_path(PathToProto(e.path));
  ex->set_estimated_matches(e.estimated_matches);
  ex->set_actual_matches(e.actual_matches);
  ex->set_distance_computations(e.distance_computations);
  ex->set_nodes_expanded(e.nodes_expanded);
  ex->set_postings_scored(e.postings_scored);
  ex->set_search_micros(e.search_micros);
  ex->set_reason(e.reason);
}

}  // namespace vecdb
