// One vecdb-eval run: start a private server if asked, ingest the corpus
// with vecdb-ingest if asked, load queries and judgments, evaluate every
// mode through Retrieve and check the gates.
//
//   VECDB_ASSIGN_OR_RETURN(EvalConfig config, ParseEvalFlags(args));
//   VECDB_ASSIGN_OR_RETURN(EvalRunResult result,
//                          RunEvaluation(config, argv0, &std::cerr));
//   return result.AllGatesPass() ? 0 : 1;
//
// Thread safety: free functions; one run at a time per process is the
// intended use (the private server binds its own port, so two would work).
#ifndef VECDB_EVAL_EVAL_RUN_H_
#define VECDB_EVAL_EVAL_RUN_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "eval/eval_flags.h"
#include "eval/eval_result.h"

namespace vecdb::eval {

// The vecdb-ingest to run: `configured` when set (NotFound unless it is an
// executable file); else "vecdb-ingest" in the directory of the running
// executable, then in ../ingest/ of it (the build tree), then in $PATH.
// NotFound naming the places tried.
absl::StatusOr<std::string> FindIngestBinary(const std::string& configured);

// Progress lines (ingest started, mode evaluated) go to `log` when not
// null. Errors: the loaders', the ingest run's (Internal, naming its log in
// the temporary directory, kept only then, whose tail is copied to `log`),
// Retrieve's (naming the query).
absl::StatusOr<EvalRunResult> RunEvaluation(const EvalConfig& config,
                                            std::ostream* log);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_EVAL_RUN_H_
