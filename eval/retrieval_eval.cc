#include "eval/retrieval_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "eval/metrics.h"

namespace vecdb::eval {
namespace {

// The documents of `chunks` (best first), each once, in order of first
// appearance.
std::vector<std::string> DocumentRanking(
    const std::vector<client::Citation>& chunks) {
  std::vector<std::string> ranking;
  std::set<std::string, std::less<>> seen;
  for (const auto& chunk : chunks) {
    if (seen.insert(chunk.doc_id).second) ranking.push_back(chunk.doc_id);
  }
  return ranking;
}

// Nearest rank: the smallest value with at least p of the values at or
// below it.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

QueryScore ScoreQuery(const std::string& query_id,
                      const std::vector<std::string>& ranking,
                      const DocGrades& grades,
                      const std::vector<size_t>& cutoffs, size_t k) {
  QueryScore score{.query_id = query_id,
                   .reciprocal_rank = ReciprocalRank(ranking, grades),
                   .average_precision = AveragePrecision(ranking, grades),
                   .relevant = RelevantCount(grades),
                   .retrieved = ranking.size()};
  for (size_t cutoff : cutoffs) {
    score.at[cutoff] = {.ndcg = NdcgAtK(ranking, grades, cutoff),
                        .recall = RecallAtK(ranking, grades, cutoff),
                        .precision = PrecisionAtK(ranking, grades, cutoff)};
  }
  score.ndcg = score.at[k].ndcg;
  score.recall = score.at[k].recall;
  score.precision = score.at[k].precision;
  return score;
}

// Means of the per-query rows and the latency summary.
void Summarize(EvalReport& report, const EvalOptions& options) {
  report.queries = report.per_query.size();
  std::vector<double> latencies;
  for (const QueryScore& score : report.per_query) {
    report.mrr += score.reciprocal_rank;
    report.map += score.average_precision;
    for (const auto& [cutoff, at] : score.at) {
      CutoffScores& sum = report.at[cutoff];
      sum.ndcg += at.ndcg;
      sum.recall += at.recall;
      sum.precision += at.precision;
    }
    latencies.push_back(score.latency_ms);
  }
  if (report.queries == 0) return;
  const double n = static_cast<double>(report.queries);
  report.mrr /= n;
  report.map /= n;
  for (auto& [cutoff, sum] : report.at) {
    sum.ndcg /= n;
    sum.recall /= n;
    sum.precision /= n;
  }
  report.ndcg_at_k = report.at[options.k].ndcg;
  report.recall_at_k = report.at[options.k].recall;
  report.precision_at_k = report.at[options.k].precision;
  std::sort(latencies.begin(), latencies.end());
  report.latency_p50_ms = Percentile(latencies, 0.50);
  report.latency_p95_ms = Percentile(latencies, 0.95);
  report.latency_p99_ms = Percentile(latencies, 0.99);
  report.latency_max_ms = latencies.back();
  double total = 0;
  for (double ms : latencies) total += ms;
  report.latency_mean_ms = total / n;
}

}  // namespace

std::string_view RetrieveModeName(client::RetrieveMode mode) {
  switch (mode) {
    case client::RetrieveMode::kAuto:
      return "auto";
    case client::RetrieveMode::kDense:
      return "dense";
    case client::RetrieveMode::kText:
      return "text";
    case client::RetrieveMode::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

absl::StatusOr<client::RetrieveMode> ParseRetrieveMode(std::string_view name) {
  for (auto mode :
       {client::RetrieveMode::kAuto, client::RetrieveMode::kDense,
        client::RetrieveMode::kText, client::RetrieveMode::kHybrid}) {
    if (RetrieveModeName(mode) == name) return mode;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown mode \"", absl::string_view(name.data(), name.size()),
      "\" (expected dense, text, hybrid or auto)"));
}

std::vector<size_t> Cutoffs(const EvalOptions& options) {
  std::set<size_t> cutoffs(options.ks.begin(), options.ks.end());
  cutoffs.insert(options.k);
  cutoffs.insert(10);
  cutoffs.erase(0);
  return {cutoffs.begin(), cutoffs.end()};
}

absl::StatusOr<EvalReport> EvaluateRetrieval(
    client::Client& client, std::string_view collection,
    const std::vector<EvalQuery>& queries, const Judgments& judgments,
    client::RetrieveMode mode, const EvalOptions& options) {
  if (options.k == 0) return absl::InvalidArgumentError("k must be positive");
  EvalReport report;
  report.mode = mode;
  const std::vector<size_t> cutoffs = Cutoffs(options);
  client::RetrieveOptions retrieve;
  retrieve.k = options.chunks;
  retrieve.mode = mode;
  for (const EvalQuery& query : queries) {
    auto judged = judgments.find(query.id);
    if (judged == judgments.end() || RelevantCount(judged->second) == 0) {
      ++report.skipped;
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = client.Retrieve(collection, query.text, retrieve);
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat("query ", query.id, ": ", result.status().message()));
    }
    QueryScore score = ScoreQuery(query.id, DocumentRanking(result->chunks),
                                  judged->second, cutoffs, options.k);
    score.latency_ms = ms;
    report.per_query.push_back(std::move(score));
  }
  Summarize(report, options);
  return report;
}

}  // namespace vecdb::eval
