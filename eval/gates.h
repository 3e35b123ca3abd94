// Quality gates of vecdb-eval: thresholds on the measures of a run that
// decide its exit code in CI.
//
//   gate     := [MODE ":"] METRIC ["@" K] OP VALUE
//   MODE     := dense | text | hybrid | auto   (absent: every evaluated mode)
//   METRIC   := ndcg | recall | precision      (need @K)
//             | map | mrr                       (no @K)
//             | latency_p50 | latency_p95 | latency_p99
//             | latency_mean | latency_max      (milliseconds, no @K)
//   OP       := >= | > | <= | <
//
//   VECDB_ASSIGN_OR_RETURN(Gate gate, ParseGate("hybrid:ndcg@10>=0.6"));
//   VECDB_RETURN_IF_ERROR(CheckGate(gate, Cutoffs(options), {"hybrid"}));
//   std::vector<GateResult> results = EvaluateGates({gate}, reports);
//
// Spaces around the parts are allowed; names are case-insensitive.
// Thread safety: stateless free functions.
#ifndef VECDB_EVAL_GATES_H_
#define VECDB_EVAL_GATES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "eval/retrieval_eval.h"

namespace vecdb::eval {

enum class GateMetric {
  kNdcg,
  kRecall,
  kPrecision,
  kMap,
  kMrr,
  kLatencyP50,
  kLatencyP95,
  kLatencyP99,
  kLatencyMean,
  kLatencyMax,
};

enum class GateOp { kGreaterEqual, kGreater, kLessEqual, kLess };

struct Gate {
  // The gate as written.
  std::string text;
  // Empty: applies to every evaluated mode.
  std::string mode;
  GateMetric metric = GateMetric::kNdcg;
  // The cutoff of ndcg, recall and precision; 0 for the others.
  size_t k = 0;
  GateOp op = GateOp::kGreaterEqual;
  double threshold = 0;
};

// InvalidArgument "gate 'TEXT': ..." for bad syntax, an unknown mode or
// metric, a missing or unexpected @K, or a value that is not a number.
absl::StatusOr<Gate> ParseGate(std::string_view text);

// InvalidArgument "gate 'TEXT': ..." when the gate asks for a cutoff the run
// does not compute (not in `cutoffs`) or a mode it does not evaluate (not
// in `modes`, by name).
absl::Status CheckGate(const Gate& gate, const std::vector<size_t>& cutoffs,
                       const std::vector<std::string>& modes);

// "ndcg@10", "map", "latency_p99".
std::string GateMetricName(const Gate& gate);
std::string_view GateOpName(GateOp op);

// The value of the gate's metric in `report` (0 for a cutoff the report
// lacks; CheckGate rules that out).
double GateMetricValue(const Gate& gate, const EvalReport& report);

struct GateResult {
  std::string gate;    // as written
  std::string mode;    // the mode it was checked on
  std::string metric;  // GateMetricName
  std::string op;
  double threshold = 0;
  double actual = 0;
  bool pass = false;
};

// One result per gate per report it applies to, in gate order then report
// order.
std::vector<GateResult> EvaluateGates(const std::vector<Gate>& gates,
                                      const std::vector<EvalReport>& reports);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_GATES_H_
