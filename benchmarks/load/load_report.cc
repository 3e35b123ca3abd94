#include "benchmarks/load/load_report.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace vecdb::bench::load {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kQuantiles[] = {0.5, 0.95, 0.99, 0.999};
constexpr const char* kQuantileNames[] = {"p50", "p95", "p99", "p99.9"};

double Ms(int64_t nanos) { return static_cast<double>(nanos) / 1e6; }

std::string ErrorText(const OpStats& op) {
  if (op.errors.empty()) return "-";
  return absl::StrJoin(op.errors, ",", [](std::string* out, const auto& e) {
    absl::StrAppend(out, e.first, ":", e.second);
  });
}

Trend TrendOf(const std::vector<ProcessSample>& samples,
              double (*value)(const ProcessSample&), TrendRule rule) {
  std::vector<TrendPoint> points;
  for (const ProcessSample& s : samples) {
    points.push_back({s.seconds, value(s)});
  }
  return AnalyzeTrend(points, rule);
}

nlohmann::json TrendJson(const Trend& t) {
  return {{"first", t.first},
          {"last", t.last},
          {"max", t.max},
          {"slope_per_hour", t.slope_per_hour},
          {"second_half_slope_per_hour", t.second_half_slope_per_hour},
          {"second_half_mean", t.second_half_mean},
          {"verdict", t.verdict}};
}

void PrintTrend(const char* name, const Trend& t, double unit,
                const char* unit_name, std::FILE* out) {
  std::fprintf(out,
               "soak %-8s first %.1f%s last %.1f%s max %.1f%s  slope %+.1f%s/h "
               "(second half %+.1f%s/h)  %s\n",
               name, t.first / unit, unit_name, t.last / unit, unit_name,
               t.max / unit, unit_name, t.slope_per_hour / unit, unit_name,
               t.second_half_slope_per_hour / unit, unit_name,
               t.verdict.c_str());
}

}  // namespace

SoakSummary SummarizeSoak(std::vector<ProcessSample> samples,
                          uint64_t failed_samples,
                          double grow_percent_per_hour) {
  SoakSummary soak;
  soak.samples = std::move(samples);
  soak.failed_samples = failed_samples;
  TrendRule rule;
  rule.max_relative_per_hour = grow_percent_per_hour / 100;
  rule.min_rise = kMiB;
  soak.rss_bytes = TrendOf(
      soak.samples, [](const ProcessSample& s) { return double(s.rss_bytes); },
      rule);
  rule.min_rise = 1;
  soak.fds = TrendOf(
      soak.samples, [](const ProcessSample& s) { return double(s.fds); }, rule);
  soak.threads = TrendOf(
      soak.samples, [](const ProcessSample& s) { return double(s.threads); },
      rule);
  return soak;
}

void PrintRunHeader(std::FILE* out) {
  std::fprintf(out,
               "%7s %9s %9s %-6s %8s %8s %8s %8s %8s %8s %7s  %s\n",
               "clients", "req/s", "qvec/s", "op", "ok", "p50ms", "p95ms",
               "p99ms", "p99.9ms", "maxms", "recall", "errors");
}

void PrintRun(const RunResult& run, std::FILE* out) {
  const double secs = run.seconds > 0 ? run.seconds : 1;
  bool first = true;
  for (size_t i = 0; i < kNumOps; ++i) {
    const OpStats& op = run.ops[i];
    if (op.ok + op.failed() == 0) continue;
    const LatencyHistogram& h = op.latency;
    std::fprintf(
        out, "%7s %9s %9s %-6s %8llu %8.2f %8.2f %8.2f %8.2f %8.2f %7s  %s\n",
        first ? std::to_string(run.clients).c_str() : "",
        first ? absl::StrFormat("%.0f", run.requests() / secs).c_str() : "",
        first ? absl::StrFormat("%.0f", run.query_vectors / secs).c_str() : "",
        std::string(OpName(static_cast<Op>(i))).c_str(),
        static_cast<unsigned long long>(op.ok), Ms(h.PercentileNanos(0.5)),
        Ms(h.PercentileNanos(0.95)), Ms(h.PercentileNanos(0.99)),
        Ms(h.PercentileNanos(0.999)), Ms(h.max_nanos()),
        static_cast<Op>(i) == Op::kQuery && run.recall_asked > 0
            ? absl::StrFormat("%.4f", run.Recall()).c_str()
            : "-",
        ErrorText(op).c_str());
    first = false;
  }
  if (run.late > 0 || run.dropped > 0) {
    std::fprintf(out, "%7s late %llu, dropped %llu (open loop)\n", "",
                 static_cast<unsigned long long>(run.late),
                 static_cast<unsigned long long>(run.dropped));
  }
}

void PrintSample(const ProcessSample& s, std::FILE* out) {
  std::fprintf(out, "soak t=%7.1fs rss=%.1fMiB fds=%llu threads=%llu\n",
               s.seconds, s.rss_bytes / kMiB,
               static_cast<unsigned long long>(s.fds),
               static_cast<unsigned long long>(s.threads));
  std::fflush(out);
}

void PrintSoak(const SoakSummary& soak, std::FILE* out) {
  std::fprintf(out, "soak: %zu samples (%llu failed)\n", soak.samples.size(),
               static_cast<unsigned long long>(soak.failed_samples));
  PrintTrend("rss", soak.rss_bytes, kMiB, "MiB", out);
  PrintTrend("fds", soak.fds, 1, "", out);
  PrintTrend("threads", soak.threads, 1, "", out);
}

nlohmann::json RunJson(const RunResult& run) {
  const double secs = run.seconds > 0 ? run.seconds : 1;
  nlohmann::json ops = nlohmann::json::object();
  for (size_t i = 0; i < kNumOps; ++i) {
    const OpStats& op = run.ops[i];
    if (op.ok + op.failed() == 0) continue;
    nlohmann::json latency = {{"max", Ms(op.latency.max_nanos())},
                              {"mean", op.latency.MeanNanos() / 1e6}};
    for (size_t q = 0; q < std::size(kQuantiles); ++q) {
      latency[kQuantileNames[q]] = Ms(op.latency.PercentileNanos(kQuantiles[q]));
    }
    ops[std::string(OpName(static_cast<Op>(i)))] = {
        {"ok", op.ok}, {"errors", op.errors}, {"latency_ms", latency}};
  }
  return {{"clients", run.clients},
          {"seconds", run.seconds},
          {"requests", run.requests()},
          {"failed", run.failed()},
          {"requests_per_second", run.requests() / secs},
          {"query_vectors_per_second", run.query_vectors / secs},
          {"recall_k", run.recall_k},
          {"recall", run.Recall()},
          {"late", run.late},
          {"dropped", run.dropped},
          {"ops", ops}};
}

nlohmann::json SoakJson(const SoakSummary& soak) {
  nlohmann::json samples = nlohmann::json::array();
  for (const ProcessSample& s : soak.samples) {
    samples.push_back({{"seconds", s.seconds},
                       {"rss_bytes", s.rss_bytes},
                       {"fds", s.fds},
                       {"threads", s.threads}});
  }
  return {{"samples", samples},
          {"failed_samples", soak.failed_samples},
          {"rss_bytes", TrendJson(soak.rss_bytes)},
          {"fds", TrendJson(soak.fds)},
          {"threads", TrendJson(soak.threads)}};
}

}  // namespace vecdb::bench::load
