// The JSON document of a vecdb-eval run (--json-out):
//
//   {"config": {collection, queries, qrels, server, ingest, ingest_seconds,
//               chunks, k, cutoffs},
//    "modes": [{"mode": "hybrid", "queries": 30, "skipped": 0,
//               "ndcg_at_k", "recall_at_k", "precision_at_k", "map", "mrr",
//               "at": {"10": {"ndcg", "recall", "precision"}, ...},
//               "latency_ms": {"p50", "p95", "p99", "mean", "max"},
//               "per_query": [{"query_id", "ndcg", "recall", "precision",
//                              "reciprocal_rank", "average_precision",
//                              "latency_ms", "relevant", "retrieved",
//                              "at": {...}}]}],
//    "gates": [{"gate", "mode", "metric", "op", "threshold", "actual",
//               "pass"}],
//    "pass": true}
//
// ndcg/recall/precision without a cutoff are at config.k.
#ifndef VECDB_EVAL_REPORT_JSON_H_
#define VECDB_EVAL_REPORT_JSON_H_

#include "eval/eval_result.h"
#include "nlohmann/json.hpp"

namespace vecdb::eval {

nlohmann::json EvalRunJson(const EvalRunResult& result);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_REPORT_JSON_H_
