// The HTML report of a vecdb-eval run (--html-out): one self-contained
// file (inline CSS, inline SVG, no script, no external URL) with the run's
// settings, a summary table, the gate results, a grouped bar chart of the
// measures per mode, recall at every cutoff, a latency histogram per mode
// and a per-query table (query text, nDCG@10 and AP per mode as a heat
// table). Every text taken from data is escaped.
//
//   std::ofstream(path) << RenderHtmlReport(result);
#ifndef VECDB_EVAL_REPORT_HTML_H_
#define VECDB_EVAL_REPORT_HTML_H_

#include <string>

#include "eval/eval_result.h"

namespace vecdb::eval {

std::string RenderHtmlReport(const EvalRunResult& result);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_REPORT_HTML_H_
