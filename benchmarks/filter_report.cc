#include "benchmarks/filter_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace vecdb::bench {
namespace {

constexpr double kMinRecall = 0.95;
constexpr double kMinSpeedupAt1Percent = 10;
constexpr double kMaxSlowdownAt50Percent = 2;

const CaseResult* FindEq(const FilterReport& report, double selectivity) {
  for (const CaseResult& c : report.cases) {
    if (c.kind == "eq" && c.selectivity == selectivity) return &c;
  }
  return nullptr;
}

std::string Percent(double s) { return absl::StrFormat("%g%%", 100 * s); }

// "exact_candidates" or "filtered_graph 498, filtered_graph_then_exact 2".
std::string Paths(const CaseResult& c) {
  if (c.paths.size() == 1) return c.paths.begin()->first;
  std::vector<std::string> parts;
  for (const auto& [path, n] : c.paths) {
    parts.push_back(absl::StrCat(path, " ", n));
  }
  return absl::StrJoin(parts, ", ");
}

std::string BaselineRow(const BaselineResult& b) {
  return absl::StrFormat("  %-26s %9.1f %9.1f %9.1f %9.0f %9.4f %11.0f\n",
                         b.name, b.latency.mean_us, b.latency.p50_us,
                         b.latency.p99_us, b.latency.qps, b.recall,
                         b.mean_distance_computations);
}

std::string CaseTable(const FilterReport& report, const std::string& kind) {
  std::string out = absl::StrFormat(
      "  %-15s %6s %8s %9s %9s %9s %8s %7s %10s %9s %11s %6s  %s\n", "filter",
      "sel", "matching", "mean us", "p50 us", "p99 us", "QPS",
      absl::StrCat("rec@", report.k), "dist comps", "scan/filt", "filt/unfilt",
      "wrong#", "path(s)");
  for (const CaseResult& c : report.cases) {
    if (c.kind != kind) continue;
    absl::StrAppendFormat(&out,
                          "  %-15s %6s %8d %9.1f %9.1f %9.1f %8.0f %7.4f "
                          "%10.0f %8.1fx %10.2fx %6d  %s\n",
                          c.filter, Percent(c.selectivity), c.matching,
                          c.latency.mean_us, c.latency.p50_us, c.latency.p99_us,
                          c.latency.qps, c.recall, c.mean_distance_computations,
                          c.speedup_vs_exact_scan, c.vs_unfiltered,
                          c.count_mismatches + c.errors, Paths(c));
  }
  return out;
}

}  // namespace

void ComputeCaseRatios(FilterReport& report) {
  for (CaseResult& c : report.cases) {
    if (c.latency.mean_us <= 0) continue;
    c.speedup_vs_exact_scan =
        report.exact_scan.latency.mean_us / c.latency.mean_us;
    c.vs_unfiltered = c.latency.mean_us / report.unfiltered.latency.mean_us;
  }
}

std::vector<Target> CheckTargets(const FilterReport& report) {
  std::vector<Target> targets;
  if (const CaseResult* c = FindEq(report, 0.01)) {
    targets.push_back(
        {.name = "1% filter vs exact scan",
         .requirement = absl::StrFormat(
             "exact scan / filtered latency >= %g at recall >= %.2f",
             kMinSpeedupAt1Percent, kMinRecall),
         .measured = absl::StrFormat("%.1fx at recall %.4f",
                                     c->speedup_vs_exact_scan, c->recall),
         .met = c->speedup_vs_exact_scan >= kMinSpeedupAt1Percent &&
                c->recall >= kMinRecall});
  }
  if (const CaseResult* c = FindEq(report, 0.5)) {
    targets.push_back(
        {.name = "50% filter vs unfiltered",
         .requirement = absl::StrFormat("filtered / unfiltered latency <= %g",
                                        kMaxSlowdownAt50Percent),
         .measured = absl::StrFormat("%.2fx at recall %.4f", c->vs_unfiltered,
                                     c->recall),
         .met = c->vs_unfiltered > 0 &&
                c->vs_unfiltered <= kMaxSlowdownAt50Percent});
  }
  size_t wrong = 0;
  for (const CaseResult& c : report.cases) {
    wrong += c.count_mismatches + c.errors;
  }
  targets.push_back({.name = "exact hit counts",
                     .requirement = "every query returns min(k, matching) hits",
                     .measured = absl::StrCat(wrong, " wrong or failed calls"),
                     .met = wrong == 0});
  return targets;
}

std::string FormatFilterReport(const FilterReport& report,
                               const std::vector<Target>& targets) {
  std::string out = absl::StrFormat(
      "\n== %s: %d points x %d, %d queries, k=%d, ef=%d%s, build %.1f s ==\n",
      report.dataset, report.points, report.dim, report.queries, report.k,
      report.ef, report.ef_from_sweep ? " (sweep)" : " (--ef)", report.build_s);
  if (!report.ef_sweep.empty()) {
    std::vector<std::string> sweep;
    for (const SweepPoint& p : report.ef_sweep) {
      sweep.push_back(absl::StrFormat("ef %d: %.4f", p.ef, p.recall));
    }
    absl::StrAppend(
        &out, "unfiltered recall sweep: ", absl::StrJoin(sweep, ", "), "\n");
  }
  absl::StrAppendFormat(&out,
                        "\nbaselines (1 thread, one query per call):\n"
                        "  %-26s %9s %9s %9s %9s %9s %11s\n",
                        "query", "mean us", "p50 us", "p99 us", "QPS",
                        absl::StrCat("rec@", report.k), "dist comps");
  absl::StrAppend(&out, BaselineRow(report.unfiltered),
                  BaselineRow(report.exact_scan),
                  BaselineRow(report.unfiltered_again));
  absl::StrAppend(&out, "\nequality filters (bool field == true):\n",
                  CaseTable(report, "eq"));
  absl::StrAppend(&out,
                  "\nrange filters (bucket < 1000*s, a range over up to "
                  "1000 postings):\n",
                  CaseTable(report, "range"));
  absl::StrAppend(&out, "\nacceptance targets:\n");
  for (const Target& t : targets) {
    absl::StrAppendFormat(&out, "  %-4s %-26s %s (need %s)\n",
                          t.met ? "PASS" : "FAIL", t.name, t.measured,
                          t.requirement);
  }
  return out;
}

}  // namespace vecdb::bench
