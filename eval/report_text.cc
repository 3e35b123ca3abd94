#include "eval/report_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vecdb::eval {

std::string GateLines(const EvalRunResult& result) {
  std::string out;
  for (const GateResult& gate : result.gates) {
    absl::StrAppendFormat(&out, "%s %s %s = %.4f %s %g  (gate '%s')\n",
                          gate.pass ? "PASS" : "FAIL", gate.mode, gate.metric,
                          gate.actual, gate.op, gate.threshold, gate.gate);
  }
  return out;
}

std::string SummaryTable(const EvalRunResult& result) {
  // nDCG@10 always; nDCG@k too when --k is not 10.
  const size_t k = result.info.k;
  const std::string ndcg_k = k == 10 ? "" : absl::StrCat("nDCG@", k);
  std::string out = absl::StrFormat(
      "%-7s %7s %7s %8s %8s %7s %7s %7s %7s %8s %8s %8s\n", "mode", "queries",
      "skipped", "nDCG@10", ndcg_k, "MAP", "MRR", absl::StrCat("R@", k),
      absl::StrCat("P@", k), "p50 ms", "p95 ms", "p99 ms");
  for (const EvalReport& report : result.reports) {
    const auto at10 = report.at.find(10);
    const double ndcg10 = at10 == report.at.end() ? 0 : at10->second.ndcg;
    absl::StrAppendFormat(
        &out,
        "%-7s %7d %7d %8.4f %8s %7.4f %7.4f %7.4f %7.4f %8.2f %8.2f %8.2f\n",
        std::string(RetrieveModeName(report.mode)), report.queries,
        report.skipped, ndcg10,
        k == 10 ? "" : absl::StrFormat("%.4f", report.ndcg_at_k), report.map,
        report.mrr, report.recall_at_k, report.precision_at_k,
        report.latency_p50_ms, report.latency_p95_ms, report.latency_p99_ms);
  }
  return out;
}

}  // namespace vecdb::eval
