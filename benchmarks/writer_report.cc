#include "benchmarks/writer_report.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace vecdb::bench {
namespace {

double Ms(int64_t nanos) { return static_cast<double>(nanos) / 1e6; }

std::string ErrorText(const load::OpStats& op) {
  if (op.errors.empty()) return "-";
  return absl::StrJoin(op.errors, ",", [](std::string* out, const auto& e) {
    absl::StrAppend(out, e.first, ":", e.second);
  });
}

double P99Ms(const load::OpStats& op) {
  return Ms(op.latency.PercentileNanos(0.99));
}

nlohmann::json LatencyJson(const load::LatencyHistogram& h) {
  return {{"p50", Ms(h.PercentileNanos(0.5))},
          {"p95", Ms(h.PercentileNanos(0.95))},
          {"p99", Ms(h.PercentileNanos(0.99))},
          {"max", Ms(h.max_nanos())},
          {"mean", h.MeanNanos() / 1e6}};
}

const PhaseResult* Find(const std::vector<PhaseResult>& phases,
                        const char* name) {
  for (const PhaseResult& p : phases) {
    if (p.spec.name == name) return &p;
  }
  return nullptr;
}

const char* Verdict(bool met) { return met ? "PASS" : "FAIL"; }

}  // namespace

double QueryP99Ratio(const PhaseResult& phase, const PhaseResult& alone) {
  const double base = P99Ms(alone.query);
  return base > 0 ? P99Ms(phase.query) / base : 0;
}

void PrintPhases(const std::vector<PhaseResult>& phases, std::FILE* out) {
  std::fprintf(out, "%-5s %-10s %9s %8s %8s %8s %8s %-9s %9s %8s %8s %s\n",
               "phase", "writer", "queries/s", "q.p50ms", "q.p95ms", "q.p99ms",
               "q.maxms", "q.errors", "points/s", "w.p50ms", "w.p99ms",
               "w.errors");
  for (const PhaseResult& p : phases) {
    const load::LatencyHistogram& q = p.query.latency;
    const load::LatencyHistogram& w = p.writer.latency;
    const bool writes = p.spec.writer_batch > 0;
    std::fprintf(
        out, "%-5s %-10s %9.0f %8.3f %8.3f %8.3f %8.3f %-9s %9s %8s %8s %s\n",
        p.spec.name.c_str(),
        writes ? absl::StrCat("batch ", p.spec.writer_batch).c_str() : "none",
        p.QueriesPerSecond(), Ms(q.PercentileNanos(0.5)),
        Ms(q.PercentileNanos(0.95)), Ms(q.PercentileNanos(0.99)),
        Ms(q.max_nanos()), ErrorText(p.query).c_str(),
        writes ? absl::StrFormat("%.0f", p.PointsPerSecond()).c_str() : "-",
        writes ? absl::StrFormat("%.3f", Ms(w.PercentileNanos(0.5))).c_str()
               : "-",
        writes ? absl::StrFormat("%.3f", Ms(w.PercentileNanos(0.99))).c_str()
               : "-",
        writes ? ErrorText(p.writer).c_str() : "-");
  }
  for (const PhaseResult& p : phases) {
    if (p.short_answers > 0) {
      std::fprintf(out, "phase %s: %llu queries had fewer hits than asked\n",
                   p.spec.name.c_str(),
                   static_cast<unsigned long long>(p.short_answers));
    }
  }
  const PhaseResult* a = Find(phases, "a");
  const PhaseResult* b = Find(phases, "b");
  const PhaseResult* c = Find(phases, "c");
  if (a == nullptr || b == nullptr || c == nullptr) return;
  const double ratio_b = QueryP99Ratio(*b, *a);
  const double ratio_c = QueryP99Ratio(*c, *a);
  std::fprintf(
      out, "query p99 b/a (writer batch 1):   %6.2f  (target <= %.1f: %s)\n",
      ratio_b, kMaxQueryP99Ratio,
      Verdict(ratio_b > 0 && ratio_b <= kMaxQueryP99Ratio));
  std::fprintf(
      out, "query p99 c/a (writer batch 100): %6.2f  (target <= %.1f: %s)\n",
      ratio_c, kMaxQueryP99Ratio,
      Verdict(ratio_c > 0 && ratio_c <= kMaxQueryP99Ratio));
  std::fprintf(out, "writer batch 100: %.0f points/s  (target >= %.0f: %s)\n",
               c->PointsPerSecond(), kMinBatch100PointsPerSecond,
               Verdict(c->PointsPerSecond() >= kMinBatch100PointsPerSecond));
  std::fprintf(out, "(targets are reported, not asserted)\n");
}

nlohmann::json PhaseJson(const PhaseResult& p) {
  nlohmann::json json = {{"name", p.spec.name},
                         {"label", p.spec.label},
                         {"writer_batch", p.spec.writer_batch},
                         {"seconds", p.seconds},
                         {"query",
                          {{"ok", p.query.ok},
                           {"qps", p.QueriesPerSecond()},
                           {"short_answers", p.short_answers},
                           {"errors", p.query.errors},
                           {"latency_ms", LatencyJson(p.query.latency)}}},
                         {"writer", nullptr}};
  if (p.spec.writer_batch > 0) {
    json["writer"] = {{"batch", p.spec.writer_batch},
                      {"requests_ok", p.writer.ok},
                      {"points_replaced", p.points_replaced},
                      {"points_per_second", p.PointsPerSecond()},
                      {"errors", p.writer.errors},
                      {"batch_latency_ms", LatencyJson(p.writer.latency)}};
  }
  return json;
}

nlohmann::json SummaryJson(const std::vector<PhaseResult>& phases) {
  const PhaseResult* a = Find(phases, "a");
  const PhaseResult* b = Find(phases, "b");
  const PhaseResult* c = Find(phases, "c");
  if (a == nullptr || b == nullptr || c == nullptr) return nullptr;
  const double ratio_b = QueryP99Ratio(*b, *a);
  const double ratio_c = QueryP99Ratio(*c, *a);
  return {{"query_p99_b_over_a", ratio_b},
          {"query_p99_c_over_a", ratio_c},
          {"batch100_points_per_second", c->PointsPerSecond()},
          {"targets",
           {{"max_query_p99_ratio", kMaxQueryP99Ratio},
            {"min_batch100_points_per_second", kMinBatch100PointsPerSecond}}},
          {"met",
           {{"query_p99_b_over_a", ratio_b > 0 && ratio_b <= kMaxQueryP99Ratio},
            {"query_p99_c_over_a", ratio_c > 0 && ratio_c <= kMaxQueryP99Ratio},
            {"batch100_points_per_second",
             c->PointsPerSecond() >= kMinBatch100PointsPerSecond}}}};
}

}  // namespace vecdb::bench
