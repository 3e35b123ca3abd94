#include "common/query_explain.h"

namespace vecdb {

std::string_view QueryPathName(QueryPath path) {
  switch (path) {
    case QueryPath::kGraph:
      return "graph";
    case QueryPath::kFilteredGraph:
      return "filtered_graph";
    case QueryPath::kExactCandidates:
      return "exact_candidates";
    case QueryPath::kFilteredGraphThenExact:
      return "filtered_graph_then_exact";
    case QueryPath::kText:
      return "text";
    case QueryPath::kUnspecified:
      break;
  }
  return "unspecified";
}

}  // namespace vecdb
