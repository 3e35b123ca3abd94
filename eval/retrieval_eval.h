// Retrieval quality of a collection, measured through the Retrieve RPC the
// way a RAG application sees it: each query's retrieved chunks are mapped
// to their documents (first occurrence wins, so a document counts once) and
// the document ranking is scored against relevance judgments.
//
//   VECDB_ASSIGN_OR_RETURN(auto queries, LoadQueries(dir + "/MED.QRY"));
//   VECDB_ASSIGN_OR_RETURN(auto qrels, LoadJudgments(dir + "/MED.REL",
//                                                    JudgmentFormat::kSmart));
//   VECDB_ASSIGN_OR_RETURN(auto report, EvaluateRetrieval(
//       client, "med", queries, qrels, client::RetrieveMode::kHybrid, {}));
//   // report.ndcg_at_10, report.recall_at_10, report.mrr
//
// Queries without any judgment are skipped (and counted in `skipped`).
// Thread safety: uses `client` from the calling thread only.
#ifndef VECDB_EVAL_RETRIEVAL_EVAL_H_
#define VECDB_EVAL_RETRIEVAL_EVAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "eval/judgments.h"

namespace vecdb::eval {

struct EvalQuery {
  std::string id;
  std::string text;
};

// The queries of a SMART query file (.I id, text of every field), in file
// order. Errors as the SMART reader gives them.
absl::StatusOr<std::vector<EvalQuery>> LoadQueries(const std::string& path);

struct EvalOptions {
  // Chunks retrieved per query; the document ranking is cut from them.
  uint32_t chunks = 50;
  // Measures at this depth (nDCG@k, recall@k).
  size_t k = 10;
};

struct QueryScore {
  std::string query_id;
  double ndcg = 0;
  double recall = 0;
  double reciprocal_rank = 0;
  double latency_ms = 0;
};

struct EvalReport {
  client::RetrieveMode mode = client::RetrieveMode::kAuto;
  size_t queries = 0;
  size_t skipped = 0;
  // Means over the evaluated queries.
  double ndcg_at_k = 0;
  double recall_at_k = 0;
  double mrr = 0;
  // Retrieve round trips, milliseconds.
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  std::vector<QueryScore> per_query;
};

absl::StatusOr<EvalReport> EvaluateRetrieval(client::Client& client,
                                             std::string_view collection,
                                             const std::vector<EvalQuery>& queries,
                                             const Judgments& judgments,
                                             client::RetrieveMode mode,
                                             const EvalOptions& options);

std::string_view RetrieveModeName(client::RetrieveMode mode);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_RETRIEVAL_EVAL_H_
