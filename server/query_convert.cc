#include "server/query_convert.h"

#include <utility>

#include "common/status_macros.h"
#include "proto/convert.h"
#include "proto/filter_convert.h"

namespace vecdb {

absl::StatusOr<std::optional<Filter>> OptionalFilter(bool has_filter,
                                                     const v1::Filter& proto) {
  if (!has_filter) return std::nullopt;
  VECDB_ASSIGN_OR_RETURN(Filter filter, FilterFromProto(proto, "filter"));
  return filter;
}

static_assert(static_cast<int>(Fusion::kRrf) == v1::FUSION_RRF);
static_assert(static_cast<int>(Fusion::kRelativeScore) ==
              v1::FUSION_RELATIVE_SCORE);

absl::StatusOr<QueryOptions> QueryOptionsFromProto(
    const v1::QueryRequest& request, Fusion default_fusion) {
  QueryOptions options;
  options.k = request.k();
  options.ef = request.ef();
  options.include = IncludeFromProto(request.include());
  VECDB_ASSIGN_OR_RETURN(options.filter, OptionalFilter(request.has_filter(),
                                                        request.filter()));
  const v1::HybridParams& h = request.hybrid();
  options.hybrid.fusion = h.fusion() == v1::FUSION_UNSPECIFIED
                              ? default_fusion
                              : static_cast<Fusion>(h.fusion());
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
  ExplainToProto(*result.explain, proto->mutable_explain());
}

}  // namespace vecdb
