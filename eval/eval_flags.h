// The vecdb-eval command line (see EvalUsage() for every flag and its
// default). Hand-parsed so that every usage error is a Status (exit code 2):
// "--name=value" or "--name value"; repeatable flags (--ingest,
// --ingest-arg, --gate) collect every occurrence; "--help" asks for the
// usage. Gates are parsed and checked against the run's cutoffs and modes
// here, before anything is ingested or queried.
//
// Thread safety: stateless free functions.
#ifndef VECDB_EVAL_EVAL_FLAGS_H_
#define VECDB_EVAL_EVAL_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "eval/gates.h"
#include "eval/judgments.h"
#include "eval/queries.h"
#include "eval/retrieval_eval.h"

namespace vecdb::eval {

struct EvalConfig {
  bool help = false;
  // Required.
  std::string collection;
  std::string queries_path;
  std::string qrels_path;
  // Default: auto (see queries.h and judgments.h).
  QueryFormat queries_format = QueryFormat::kAuto;
  JudgmentFormat qrels_format = JudgmentFormat::kAuto;
  // "host:port" of a running server. Default: empty, a private in-process
  // server on 127.0.0.1 (then --ingest is required).
  std::string server;
  // The private server's data directory, kept after the run. Default:
  // empty, a temporary directory removed at the end.
  std::string data_dir;
  // Inputs for vecdb-ingest sync, run before the evaluation, and its extra
  // flags. Default: none (evaluate the collection as it is).
  std::vector<std::string> ingest_inputs;
  std::vector<std::string> ingest_args;
  // Default: empty, found next to vecdb-eval, then in $PATH.
  std::string ingest_binary;
  // Default: dense, text, hybrid.
  std::vector<client::RetrieveMode> modes = {client::RetrieveMode::kDense,
                                             client::RetrieveMode::kText,
                                             client::RetrieveMode::kHybrid};
  // chunks (--chunks, default 50), k (--k, default 10), ks (--ks, default
  // 1,5,10,20).
  EvalOptions options{.chunks = 50, .k = 10, .ks = {1, 5, 10, 20}};
  std::vector<Gate> gates;
  // Default: empty, no file.
  std::string json_out;
  std::string html_out;
};

// `args` excludes the program name. InvalidArgument naming the flag (or
// gate) for an unknown flag, a bad value, a missing required flag, or no
// --server and no --ingest.
absl::StatusOr<EvalConfig> ParseEvalFlags(const std::vector<std::string>& args);

std::string EvalUsage();

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_EVAL_FLAGS_H_
