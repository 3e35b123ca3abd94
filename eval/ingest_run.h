// Runs the vecdb-ingest binary to completion: how evaluation and
// benchmarks ingest a corpus first, exactly as a user's batch job would.
//
//   VECDB_ASSIGN_OR_RETURN(auto run, RunIngest({
//       .binary = "/usr/local/bin/vecdb-ingest", .server = "127.0.0.1:50051",
//       .collection = "med", .inputs = {"MED.ALL"},
//       .args = {"--format=smart"}, .log_path = "/tmp/med.log"}));
//
// Thread safety: free function; spawns one child process per call.
#ifndef VECDB_EVAL_INGEST_RUN_H_
#define VECDB_EVAL_INGEST_RUN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vecdb::eval {

struct IngestCommand {
  std::string binary;
  std::string server;
  std::string collection;
  // Extra flags, e.g. "--format=smart", "--prune".
  std::vector<std::string> args;
  std::vector<std::string> inputs;
  // The child's stdout and stderr go here.
  std::string log_path;
};

struct IngestRun {
  // Wall time from spawn to exit.
  double seconds = 0;
  int exit_code = -1;
};

// `binary sync --server=S --collection=C args... inputs...`. Internal when
// it cannot start or exits with a non-zero code (the message names the
// code and the log file).
absl::StatusOr<IngestRun> RunIngest(const IngestCommand& command);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_INGEST_RUN_H_
