// Retrieval quality of a collection, measured through the Retrieve RPC the
// way a RAG application sees it: each query's retrieved chunks are mapped
// to their documents (first occurrence wins, so a document counts once) and
// the document ranking is scored against relevance judgments
// (eval/metrics.h has the definitions).
//
//   VECDB_ASSIGN_OR_RETURN(auto queries, LoadQueries(dir + "/MED.QRY"));
//   VECDB_ASSIGN_OR_RETURN(auto qrels, LoadJudgments(dir + "/MED.REL",
//                                                    JudgmentFormat::kSmart));
//   VECDB_ASSIGN_OR_RETURN(auto report, EvaluateRetrieval(
//       client, "med", queries, qrels, client::RetrieveMode::kHybrid, {}));
//   // report.ndcg_at_k, report.recall_at_k, report.map, report.mrr,
//   // report.at.at(5).precision
//
// Queries without any relevant judgment (no grade > 0) are skipped (and
// counted in `skipped`).
// Thread safety: uses `client` from the calling thread only.
#ifndef VECDB_EVAL_RETRIEVAL_EVAL_H_
#define VECDB_EVAL_RETRIEVAL_EVAL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "eval/judgments.h"
#include "eval/queries.h"

namespace vecdb::eval {

struct EvalOptions {
  // Chunks retrieved per query; the document ranking is cut from them, so
  // this is also the depth of MAP and MRR. Default: 50.
  uint32_t chunks = 50;
  // The headline depth of ndcg_at_k, recall_at_k, precision_at_k.
  // Default: 10.
  size_t k = 10;
  // More cutoffs: nDCG, recall and precision at each (k and 10 are always
  // added). Default: none.
  std::vector<size_t> ks;
};

// The measures at one cutoff.
struct CutoffScores {
  double ndcg = 0;
  double recall = 0;
  double precision = 0;
};

struct QueryScore {
  std::string query_id;
  // At options.k.
  double ndcg = 0;
  double recall = 0;
  double precision = 0;
  double reciprocal_rank = 0;
  double average_precision = 0;
  double latency_ms = 0;
  // Judged relevant documents; documents in the ranking.
  size_t relevant = 0;
  size_t retrieved = 0;
  // Every cutoff of the run (options.ks, options.k and 10).
  std::map<size_t, CutoffScores> at;
};

struct EvalReport {
  client::RetrieveMode mode = client::RetrieveMode::kAuto;
  // Evaluated queries; queries skipped for lack of relevant judgments.
  size_t queries = 0;
  size_t skipped = 0;
  // Means over the evaluated queries, at options.k.
  double ndcg_at_k = 0;
  double recall_at_k = 0;
  double precision_at_k = 0;
  double mrr = 0;
  double map = 0;
  // Means at every cutoff of the run.
  std::map<size_t, CutoffScores> at;
  // Retrieve round trips, milliseconds (nearest-rank percentiles).
  double latency_p50_ms = 0;
  double latency_p95_ms = 0;
  double latency_p99_ms = 0;
  double latency_mean_ms = 0;
  double latency_max_ms = 0;
  std::vector<QueryScore> per_query;
};

// The cutoffs a run with `options` computes: options.ks, options.k and 10,
// sorted, each once, zeros dropped.
std::vector<size_t> Cutoffs(const EvalOptions& options);

absl::StatusOr<EvalReport> EvaluateRetrieval(
    client::Client& client, std::string_view collection,
    const std::vector<EvalQuery>& queries, const Judgments& judgments,
    client::RetrieveMode mode, const EvalOptions& options);

std::string_view RetrieveModeName(client::RetrieveMode mode);
// "auto", "dense", "text", "hybrid"; InvalidArgument otherwise.
absl::StatusOr<client::RetrieveMode> ParseRetrieveMode(std::string_view name);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_RETRIEVAL_EVAL_H_
