// The plain-text output of vecdb-eval on stdout: one PASS/FAIL line per
// gate per mode, then a summary table with a row per mode.
//
//   PASS hybrid ndcg@10 = 0.7021 >= 0.6  (gate 'ndcg@10>=0.6')
//
//   mode    queries skipped nDCG@10  MAP  MRR  R@10  P@10  p50ms  p99ms
//   dense        30       0  0.645 ...
#ifndef VECDB_EVAL_REPORT_TEXT_H_
#define VECDB_EVAL_REPORT_TEXT_H_

#include <string>

#include "eval/eval_result.h"

namespace vecdb::eval {

std::string GateLines(const EvalRunResult& result);
std::string SummaryTable(const EvalRunResult& result);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_REPORT_TEXT_H_
