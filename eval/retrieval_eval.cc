#include "eval/retrieval_eval.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "eval/metrics.h"
#include "ingest/readers/reader.h"

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

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = static_cast<size_t>(p * (values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
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

absl::StatusOr<std::vector<EvalQuery>> LoadQueries(const std::string& path) {
  std::vector<EvalQuery> queries;
  const ingest::SourceFile file{.path = path, .doc_id = path,
                                .format = ingest::Format::kSmart};
  for (auto& record : ingest::ReadSource(file)) {
    if (!record.status.ok()) return record.status;
    queries.push_back({.id = record.doc_id, .text = record.document->text});
  }
  return queries;
}

absl::StatusOr<EvalReport> EvaluateRetrieval(
    client::Client& client, std::string_view collection,
    const std::vector<EvalQuery>& queries, const Judgments& judgments,
    client::RetrieveMode mode, const EvalOptions& options) {
  EvalReport report;
  report.mode = mode;
  std::vector<double> latencies;
  client::RetrieveOptions retrieve;
  retrieve.k = options.chunks;
  retrieve.mode = mode;
  for (const EvalQuery& query : queries) {
    auto relevant = judgments.find(query.id);
    if (relevant == judgments.end() || relevant->second.empty()) {
      ++report.skipped;
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    auto result = client.Retrieve(collection, query.text, retrieve);
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    if (!result.ok()) {
      return absl::Status(result.status().code(),
                          absl::StrCat("query ", query.id, ": ",
                                       result.status().message()));
    }
    const std::vector<std::string> ranking = DocumentRanking(result->chunks);
    QueryScore score{
        .query_id = query.id,
        .ndcg = NdcgAtK(ranking, relevant->second, options.k),
        .recall = RecallAtK(ranking, relevant->second, options.k),
        .reciprocal_rank = ReciprocalRank(ranking, relevant->second),
        .latency_ms = ms};
    report.ndcg_at_k += score.ndcg;
    report.recall_at_k += score.recall;
    report.mrr += score.reciprocal_rank;
    latencies.push_back(ms);
    report.per_query.push_back(std::move(score));
  }
  report.queries = report.per_query.size();
  if (report.queries > 0) {
    const double n = static_cast<double>(report.queries);
    report.ndcg_at_k /= n;
    report.recall_at_k /= n;
    report.mrr /= n;
  }
  report.latency_p50_ms = Percentile(latencies, 0.50);
  report.latency_p99_ms = Percentile(latencies, 0.99);
  return report;
}

}  // namespace vecdb::eval
