#include "benchmarks/ann_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmarks/svg_plot.h"

namespace vecdb::bench {
namespace {

std::string QpsCell(double qps) {
  return qps > 0 ? absl::StrFormat("%.0f", qps) : "-";
}

}  // namespace

std::string FormatAnnTable(const AnnDatasetReport& rep) {
  std::string out = absl::StrFormat(
      "\n== %s: %zu points x %zu dims, %zu queries, recall@%zu ==\n", rep.name,
      rep.points, rep.dim, rep.queries, rep.k);
  absl::StrAppendFormat(&out, "| %-14s | %-16s | %8s | %8s | %8s |", "system",
                        "build", "build s", "mem MB", "model MB");
  for (double t : kRecallThresholds) {
    absl::StrAppendFormat(&out, " %9s |", absl::StrFormat("QPS@%.2f", t));
  }
  out += "\n";
  for (const AnnResult& r : rep.results) {
    absl::StrAppendFormat(&out, "| %-14s | %-16s |", r.system, r.build);
    if (!r.error.empty()) {
      absl::StrAppend(&out, " ", r.error, "\n");
      continue;
    }
    absl::StrAppendFormat(&out, " %8.2f | %8.1f | %8.1f |", r.build_s, r.rss_mb,
                          r.model_mb);
    for (double t : kRecallThresholds) {
      absl::StrAppendFormat(&out, " %9s |", QpsCell(QpsAtRecall(r.curve, t)));
    }
    out += "\n";
  }
  return out;
}

std::string FormatAnnCurves(const AnnDatasetReport& rep) {
  std::string out = absl::StrFormat(
      "\ncurves (%s; %s threads per query run):\n"
      "| %-14s | %-16s | %-10s | %7s | %9s | %8s | %8s |\n",
      rep.name,
      rep.results.empty() ? "1"
                          : absl::StrCat(rep.results.front().query_threads),
      "system", "build", "param", "recall", "QPS", "p50 ms", "p99 ms");
  for (const AnnResult& r : rep.results) {
    for (const AnnPoint& p : r.curve) {
      absl::StrAppendFormat(
          &out, "| %-14s | %-16s | %-10s | %7.4f | %9.0f | %8.3f | %8.3f |\n",
          r.system, r.build, absl::StrCat(r.param_name, "=", p.param), p.recall,
          p.qps, p.p50_ms, p.p99_ms);
    }
  }
  return out;
}

std::string AnnPlotSvg(const AnnDatasetReport& rep) {
  PlotOptions opt;
  opt.title =
      absl::StrFormat("%s: recall@%zu vs queries per second", rep.name, rep.k);
  opt.subtitle = absl::StrFormat(
      "n = %zu, dim = %zu, %zu queries, one query per call, %zu thread(s)",
      rep.points, rep.dim, rep.queries,
      rep.results.empty() ? size_t{1} : rep.results.front().query_threads);
  opt.x_label = absl::StrFormat("recall@%zu", rep.k);
  opt.y_label = "queries per second (log)";
  opt.log_y = true;
  std::vector<PlotSeries> series;
  bool any_above_half = false;
  for (const AnnResult& r : rep.results) {
    if (r.curve.empty()) continue;
    PlotSeries& s = series.emplace_back();
    s.label = absl::StrCat(r.system, " ", r.build);
    for (const AnnPoint& p : r.curve) {
      s.x.push_back(p.recall);
      s.y.push_back(p.qps);
      any_above_half = any_above_half || p.recall >= 0.5;
    }
  }
  if (any_above_half) {
    opt.x_min = 0.5;
    opt.x_max = 1.0;
  }
  return RenderLinePlot(opt, series);
}

}  // namespace vecdb::bench
