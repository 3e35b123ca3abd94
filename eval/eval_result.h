// What one vecdb-eval run produced: its settings, the report of every mode
// and the gate results. The input of the JSON, HTML and text writers
// (report_json.h, report_html.h, report_text.h).
#ifndef VECDB_EVAL_EVAL_RESULT_H_
#define VECDB_EVAL_EVAL_RESULT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "eval/gates.h"
#include "eval/queries.h"
#include "eval/retrieval_eval.h"

namespace vecdb::eval {

struct EvalRunInfo {
  std::string collection;
  std::string queries_path;
  std::string qrels_path;
  // The server evaluated: its address, or "private" for the in-process one.
  std::string server;
  // Inputs ingested before the evaluation (none: an existing collection);
  // the ingest's wall time, 0 when none.
  std::vector<std::string> ingest_inputs;
  double ingest_seconds = 0;
  // Chunks per Retrieve, the headline depth, every cutoff computed.
  uint32_t chunks = 0;
  size_t k = 0;
  std::vector<size_t> cutoffs;
};

struct EvalRunResult {
  EvalRunInfo info;
  // Every loaded query (also the skipped ones), in file order.
  std::vector<EvalQuery> queries;
  // One per evaluated mode, in the order of --modes.
  std::vector<EvalReport> reports;
  std::vector<GateResult> gates;

  bool AllGatesPass() const {
    for (const GateResult& gate : gates) {
      if (!gate.pass) return false;
    }
    return true;
  }
};

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_EVAL_RESULT_H_
