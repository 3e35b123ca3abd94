#include "eval/report_html.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "eval/svg.h"

namespace vecdb::eval {
namespace {

constexpr std::string_view kStyle = R"(
body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;vertical-align:top}
th{background:#f3f3f3}td.text{text-align:left;max-width:520px}
.pass{color:#1a7f37;font-weight:bold}.fail{color:#c62828;font-weight:bold}
.charts svg{margin:0 16px 16px 0;border:1px solid #eee}
)";

std::string Esc(std::string_view text) { return EscapeXml(text); }

std::string Fixed(double value) { return absl::StrFormat("%.4f", value); }

std::string ModeName(const EvalReport& report) {
  return std::string(RetrieveModeName(report.mode));
}

std::string ConfigTable(const EvalRunInfo& info) {
  const std::pair<std::string, std::string> rows[] = {
      {"collection", info.collection},
      {"queries", info.queries_path},
      {"judgments", info.qrels_path},
      {"server", info.server},
      {"ingested",
       info.ingest_inputs.empty()
           ? "(nothing: existing collection)"
           : absl::StrCat(absl::StrJoin(info.ingest_inputs, " "),
                          absl::StrFormat(" in %.2f s", info.ingest_seconds))},
      {"chunks per query", absl::StrCat(info.chunks)},
      {"cutoffs", absl::StrJoin(info.cutoffs, ", ")},
  };
  std::string out = "<table>";
  for (const auto& [name, value] : rows) {
    absl::StrAppend(&out, "<tr><th>", Esc(name), "</th><td class=\"text\">",
                    Esc(value), "</td></tr>");
  }
  return out + "</table>";
}

std::string SummaryTable(const EvalRunResult& result) {
  const size_t k = result.info.k;
  std::string out = absl::StrCat(
      "<table><tr><th>mode</th><th>queries</th><th>skipped</th>"
      "<th>nDCG@10</th><th>nDCG@",
      k, "</th><th>MAP</th><th>MRR</th><th>R@", k, "</th><th>P@", k,
      "</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>mean ms</th>"
      "<th>max ms</th></tr>");
  for (const EvalReport& report : result.reports) {
    const auto at10 = report.at.find(10);
    absl::StrAppend(
        &out, "<tr><td class=\"text\">", Esc(ModeName(report)), "</td><td>",
        report.queries, "</td><td>", report.skipped, "</td><td>",
        Fixed(at10 == report.at.end() ? 0 : at10->second.ndcg), "</td><td>",
        Fixed(report.ndcg_at_k), "</td><td>", Fixed(report.map), "</td><td>",
        Fixed(report.mrr), "</td><td>", Fixed(report.recall_at_k), "</td><td>",
        Fixed(report.precision_at_k), "</td>");
    for (double ms :
         {report.latency_p50_ms, report.latency_p95_ms, report.latency_p99_ms,
          report.latency_mean_ms, report.latency_max_ms}) {
      absl::StrAppend(&out, "<td>", absl::StrFormat("%.2f", ms), "</td>");
    }
    out += "</tr>";
  }
  return out + "</table>";
}

std::string GateTable(const EvalRunResult& result) {
  if (result.gates.empty()) return "<p>No gates.</p>";
  std::string out =
      "<table><tr><th>result</th><th>gate</th><th>mode</th><th>metric</th>"
      "<th>actual</th><th>threshold</th></tr>";
  for (const GateResult& gate : result.gates) {
    absl::StrAppend(
        &out, "<tr><td class=\"", gate.pass ? "pass\">PASS" : "fail\">FAIL",
        "</td><td class=\"text\">", Esc(gate.gate), "</td><td class=\"text\">",
        Esc(gate.mode), "</td><td class=\"text\">", Esc(gate.metric),
        "</td><td>", Fixed(gate.actual), "</td><td>", Esc(gate.op), " ",
        absl::StrFormat("%g", gate.threshold), "</td></tr>");
  }
  return out + "</table>";
}

std::string MetricCharts(const EvalRunResult& result) {
  const size_t k = result.info.k;
  GroupedBarChart measures{.title = "Measures per mode", .y_max = 1};
  measures.groups = {"nDCG@10", "MAP", "MRR", absl::StrCat("R@", k),
                     absl::StrCat("P@", k)};
  if (k != 10)
    measures.groups.insert(measures.groups.begin() + 1,
                           absl::StrCat("nDCG@", k));
  GroupedBarChart recall{.title = "Recall at each cutoff", .y_max = 1};
  for (size_t cutoff : result.info.cutoffs) {
    recall.groups.push_back(absl::StrCat("R@", cutoff));
  }
  for (const EvalReport& report : result.reports) {
    const auto at10 = report.at.find(10);
    BarSeries series{.name = ModeName(report)};
    series.values = {at10 == report.at.end() ? 0 : at10->second.ndcg,
                     report.map, report.mrr, report.recall_at_k,
                     report.precision_at_k};
    if (k != 10)
      series.values.insert(series.values.begin() + 1, report.ndcg_at_k);
    measures.series.push_back(std::move(series));
    BarSeries recalls{.name = ModeName(report)};
    for (size_t cutoff : result.info.cutoffs) {
      const auto at = report.at.find(cutoff);
      recalls.values.push_back(at == report.at.end() ? 0 : at->second.recall);
    }
    recall.series.push_back(std::move(recalls));
  }
  return absl::StrCat("<div class=\"charts\">", GroupedBarsSvg(measures),
                      GroupedBarsSvg(recall), "</div>");
}

std::string LatencyCharts(const EvalRunResult& result) {
  // One range for every mode, so that the histograms compare.
  double hi = 0;
  for (const EvalReport& report : result.reports) {
    hi = std::max(hi, report.latency_max_ms);
  }
  std::string out = "<div class=\"charts\">";
  for (size_t i = 0; i < result.reports.size(); ++i) {
    const EvalReport& report = result.reports[i];
    Histogram histogram{
        .title = absl::StrCat(ModeName(report), ": Retrieve latency"),
        .lo = 0,
        .hi = hi,
        .unit = "ms",
        .color = std::string(SeriesColor(i))};
    for (const QueryScore& score : report.per_query) {
      histogram.values.push_back(score.latency_ms);
    }
    out += HistogramSvg(histogram);
  }
  return out + "</div>";
}

// A cell shaded from white (0) to green (1).
std::string HeatCell(const QueryScore* score, double value) {
  if (score == nullptr) return "<td>-</td>";
  const double lightness = 97 - 50 * std::clamp(value, 0.0, 1.0);
  return absl::StrFormat(
      "<td style=\"background:hsl(130,55%%,%.0f%%)\">%.3f</td>", lightness,
      value);
}

std::string PerQueryTable(const EvalRunResult& result) {
  // Query id -> its row in each mode.
  std::vector<std::map<std::string, const QueryScore*, std::less<>>> rows(
      result.reports.size());
  for (size_t m = 0; m < result.reports.size(); ++m) {
    for (const QueryScore& score : result.reports[m].per_query) {
      rows[m][score.query_id] = &score;
    }
  }
  std::string out = "<table><tr><th>query</th><th>text</th><th>relevant</th>";
  for (const EvalReport& report : result.reports) {
    absl::StrAppend(&out, "<th>", Esc(ModeName(report)), " nDCG@10</th>");
  }
  for (const EvalReport& report : result.reports) {
    absl::StrAppend(&out, "<th>", Esc(ModeName(report)), " AP</th>");
  }
  out += "</tr>";
  for (const EvalQuery& query : result.queries) {
    std::vector<const QueryScore*> scores;
    const QueryScore* any = nullptr;
    for (const auto& mode_rows : rows) {
      const auto it = mode_rows.find(query.id);
      scores.push_back(it == mode_rows.end() ? nullptr : it->second);
      if (scores.back() != nullptr) any = scores.back();
    }
    if (any == nullptr) continue;  // Skipped: no relevant judgment.
    absl::StrAppend(&out, "<tr><td class=\"text\">", Esc(query.id),
                    "</td><td class=\"text\">", Esc(query.text), "</td><td>",
                    any->relevant, "</td>");
    for (const QueryScore* score : scores) {
      const double ndcg10 = score == nullptr || score->at.count(10) == 0
                                ? 0
                                : score->at.at(10).ndcg;
      out += HeatCell(score, ndcg10);
    }
    for (const QueryScore* score : scores) {
      out += HeatCell(score, score == nullptr ? 0 : score->average_precision);
    }
    out += "</tr>";
  }
  return out + "</table>";
}

}  // namespace

std::string RenderHtmlReport(const EvalRunResult& result) {
  const bool pass = result.AllGatesPass();
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>vecdb-eval: ",
      Esc(result.info.collection), "</title><style>",
      absl::string_view(kStyle.data(), kStyle.size()),
      "</style></head><body><h1>vecdb-eval: ", Esc(result.info.collection),
      " <span class=\"", pass ? "pass\">gates pass" : "fail\">gates fail",
      "</span></h1>", ConfigTable(result.info), "<h2>Summary</h2>",
      SummaryTable(result), "<h2>Gates</h2>", GateTable(result),
      "<h2>Measures</h2>", MetricCharts(result), "<h2>Latency</h2>",
      LatencyCharts(result),
      "<h2>Per query</h2><p>nDCG@10 and average precision of every evaluated "
      "query (queries without a relevant judgment are skipped).</p>",
      PerQueryTable(result), "</body></html>\n");
}

}  // namespace vecdb::eval
