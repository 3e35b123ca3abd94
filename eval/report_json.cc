#include "eval/report_json.h"

#include <string>

namespace vecdb::eval {
namespace {

nlohmann::json CutoffsJson(const std::map<size_t, CutoffScores>& at) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, scores] : at) {
    out[std::to_string(k)] = {{"ndcg", scores.ndcg},
                              {"recall", scores.recall},
                              {"precision", scores.precision}};
  }
  return out;
}

nlohmann::json QueryJson(const QueryScore& score) {
  return {{"query_id", score.query_id},
          {"ndcg", score.ndcg},
          {"recall", score.recall},
          {"precision", score.precision},
          {"reciprocal_rank", score.reciprocal_rank},
          {"average_precision", score.average_precision},
          {"latency_ms", score.latency_ms},
          {"relevant", score.relevant},
          {"retrieved", score.retrieved},
          {"at", CutoffsJson(score.at)}};
}

nlohmann::json ReportJson(const EvalReport& report) {
  nlohmann::json per_query = nlohmann::json::array();
  for (const QueryScore& score : report.per_query) {
    per_query.push_back(QueryJson(score));
  }
  return {{"mode", std::string(RetrieveModeName(report.mode))},
          {"queries", report.queries},
          {"skipped", report.skipped},
          {"ndcg_at_k", report.ndcg_at_k},
          {"recall_at_k", report.recall_at_k},
          {"precision_at_k", report.precision_at_k},
          {"map", report.map},
          {"mrr", report.mrr},
          {"at", CutoffsJson(report.at)},
          {"latency_ms",
           {{"p50", report.latency_p50_ms},
            {"p95", report.latency_p95_ms},
            {"p99", report.latency_p99_ms},
            {"mean", report.latency_mean_ms},
            {"max", report.latency_max_ms}}},
          {"per_query", std::move(per_query)}};
}

}  // namespace

nlohmann::json EvalRunJson(const EvalRunResult& result) {
  const EvalRunInfo& info = result.info;
  nlohmann::json out;
  out["config"] = {
      {"collection", info.collection}, {"queries", info.queries_path},
      {"qrels", info.qrels_path},      {"server", info.server},
      {"ingest", info.ingest_inputs},  {"ingest_seconds", info.ingest_seconds},
      {"chunks", info.chunks},         {"k", info.k},
      {"cutoffs", info.cutoffs}};
  out["modes"] = nlohmann::json::array();
  for (const EvalReport& report : result.reports) {
    out["modes"].push_back(ReportJson(report));
  }
  out["gates"] = nlohmann::json::array();
  for (const GateResult& gate : result.gates) {
    out["gates"].push_back({{"gate", gate.gate},
                            {"mode", gate.mode},
                            {"metric", gate.metric},
                            {"op", gate.op},
                            {"threshold", gate.threshold},
                            {"actual", gate.actual},
                            {"pass", gate.pass}});
  }
  out["pass"] = result.AllGatesPass();
  return out;
}

}  // namespace vecdb::eval
