#include "eval/gates.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace vecdb::eval {
namespace {

struct MetricSpec {
  std::string_view name;
  GateMetric metric;
  bool needs_k;
};

constexpr MetricSpec kMetrics[] = {
    {"ndcg", GateMetric::kNdcg, true},
    {"recall", GateMetric::kRecall, true},
    {"precision", GateMetric::kPrecision, true},
    {"map", GateMetric::kMap, false},
    {"mrr", GateMetric::kMrr, false},
    {"latency_p50", GateMetric::kLatencyP50, false},
    {"latency_p95", GateMetric::kLatencyP95, false},
    {"latency_p99", GateMetric::kLatencyP99, false},
    {"latency_mean", GateMetric::kLatencyMean, false},
    {"latency_max", GateMetric::kLatencyMax, false},
};

constexpr std::pair<std::string_view, GateOp> kOps[] = {
    {">=", GateOp::kGreaterEqual},
    {"<=", GateOp::kLessEqual},
    {">", GateOp::kGreater},
    {"<", GateOp::kLess},
};

const MetricSpec& SpecOf(GateMetric metric) {
  for (const MetricSpec& spec : kMetrics) {
    if (spec.metric == metric) return spec;
  }
  return kMetrics[0];
}

absl::Status GateError(std::string_view text, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("gate '", absl::string_view(text.data(), text.size()),
                   "': ", absl::string_view(what.data(), what.size())));
}

std::string Trimmed(std::string_view text) {
  return std::string(
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
}

// Splits "LEFT OP RIGHT" at the first comparison character.
absl::Status SplitAtOp(const Gate& gate, std::string& left, GateOp& op,
                       std::string& right) {
  const std::string_view text = gate.text;
  const size_t at = text.find_first_of("<>=");
  if (at == std::string_view::npos) {
    return GateError(text, "no comparison (expected >=, >, <= or <)");
  }
  for (const auto& [name, candidate] : kOps) {
    if (text.substr(at, name.size()) == name) {
      op = candidate;
      left = Trimmed(text.substr(0, at));
      right = Trimmed(text.substr(at + name.size()));
      return absl::OkStatus();
    }
  }
  return GateError(text, "bad comparison (expected >=, >, <= or <)");
}

absl::Status ParseMetric(Gate& gate, std::string left) {
  absl::AsciiStrToLower(&left);
  if (const size_t colon = left.find(':'); colon != std::string::npos) {
    gate.mode = Trimmed(std::string_view(left).substr(0, colon));
    left = Trimmed(std::string_view(left).substr(colon + 1));
    if (!ParseRetrieveMode(gate.mode).ok()) {
      return GateError(
          gate.text, absl::StrCat("unknown mode \"", gate.mode,
                                  "\" (expected dense, text, hybrid or auto)"));
    }
  }
  std::string name = left;
  std::string k_text;
  const size_t at = left.find('@');
  if (at != std::string::npos) {
    name = Trimmed(std::string_view(left).substr(0, at));
    k_text = Trimmed(std::string_view(left).substr(at + 1));
  }
  const MetricSpec* spec = nullptr;
  for (const MetricSpec& candidate : kMetrics) {
    if (candidate.name == name) spec = &candidate;
  }
  if (spec == nullptr) {
    return GateError(gate.text,
                     absl::StrCat("unknown metric \"", name,
                                  "\" (expected ndcg@K, recall@K, precision@K, "
                                  "map, mrr, latency_p50, latency_p95, "
                                  "latency_p99, latency_mean, latency_max)"));
  }
  gate.metric = spec->metric;
  if (!spec->needs_k) {
    if (at != std::string::npos) {
      return GateError(gate.text, absl::StrCat(name, " takes no @K"));
    }
    return absl::OkStatus();
  }
  if (at == std::string::npos) {
    return GateError(gate.text,
                     absl::StrCat(name, " needs @K, e.g. ", name, "@10"));
  }
  uint64_t k = 0;
  if (!absl::SimpleAtoi(k_text, &k) || k == 0) {
    return GateError(gate.text, absl::StrCat("cutoff \"", k_text,
                                             "\" is not a positive integer"));
  }
  gate.k = k;
  return absl::OkStatus();
}

bool Compare(double actual, GateOp op, double threshold) {
  switch (op) {
    case GateOp::kGreaterEqual:
      return actual >= threshold;
    case GateOp::kGreater:
      return actual > threshold;
    case GateOp::kLessEqual:
      return actual <= threshold;
    case GateOp::kLess:
      return actual < threshold;
  }
  return false;
}

}  // namespace

absl::StatusOr<Gate> ParseGate(std::string_view text) {
  Gate gate;
  gate.text = Trimmed(text);
  std::string left;
  std::string right;
  if (absl::Status split = SplitAtOp(gate, left, gate.op, right); !split.ok()) {
    return split;
  }
  if (left.empty())
    return GateError(gate.text, "no metric before the comparison");
  if (absl::Status metric = ParseMetric(gate, left); !metric.ok()) {
    return metric;
  }
  if (!absl::SimpleAtod(right, &gate.threshold) ||
      !std::isfinite(gate.threshold)) {
    return GateError(gate.text,
                     absl::StrCat("threshold \"", right, "\" is not a number"));
  }
  return gate;
}

absl::Status CheckGate(const Gate& gate, const std::vector<size_t>& cutoffs,
                       const std::vector<std::string>& modes) {
  if (gate.k != 0 &&
      std::find(cutoffs.begin(), cutoffs.end(), gate.k) == cutoffs.end()) {
    return GateError(
        gate.text,
        absl::StrCat("cutoff ", gate.k,
                     " is not computed (cutoffs of this run: ",
                     absl::StrJoin(cutoffs, ","), "; add it to --ks)"));
  }
  if (!gate.mode.empty() &&
      std::find(modes.begin(), modes.end(), gate.mode) == modes.end()) {
    return GateError(gate.text, absl::StrCat("mode ", gate.mode,
                                             " is not evaluated (--modes=",
                                             absl::StrJoin(modes, ","), ")"));
  }
  return absl::OkStatus();
}

std::string GateMetricName(const Gate& gate) {
  const std::string name(SpecOf(gate.metric).name);
  return gate.k == 0 ? name : absl::StrCat(name, "@", gate.k);
}

std::string_view GateOpName(GateOp op) {
  for (const auto& [name, candidate] : kOps) {
    if (candidate == op) return name;
  }
  return "?";
}

double GateMetricValue(const Gate& gate, const EvalReport& report) {
  const auto at = report.at.find(gate.k);
  const CutoffScores scores =
      at == report.at.end() ? CutoffScores{} : at->second;
  switch (gate.metric) {
    case GateMetric::kNdcg:
      return scores.ndcg;
    case GateMetric::kRecall:
      return scores.recall;
    case GateMetric::kPrecision:
      return scores.precision;
    case GateMetric::kMap:
      return report.map;
    case GateMetric::kMrr:
      return report.mrr;
    case GateMetric::kLatencyP50:
      return report.latency_p50_ms;
    case GateMetric::kLatencyP95:
      return report.latency_p95_ms;
    case GateMetric::kLatencyP99:
      return report.latency_p99_ms;
    case GateMetric::kLatencyMean:
      return report.latency_mean_ms;
    case GateMetric::kLatencyMax:
      return report.latency_max_ms;
  }
  return 0;
}

std::vector<GateResult> EvaluateGates(const std::vector<Gate>& gates,
                                      const std::vector<EvalReport>& reports) {
  std::vector<GateResult> results;
  for (const Gate& gate : gates) {
    for (const EvalReport& report : reports) {
      const std::string mode(RetrieveModeName(report.mode));
      if (!gate.mode.empty() && gate.mode != mode) continue;
      const double actual = GateMetricValue(gate, report);
      results.push_back({.gate = gate.text,
                         .mode = mode,
                         .metric = GateMetricName(gate),
                         .op = std::string(GateOpName(gate.op)),
                         .threshold = gate.threshold,
                         .actual = actual,
                         .pass = Compare(actual, gate.op, gate.threshold)});
    }
  }
  return results;
}

}  // namespace vecdb::eval
