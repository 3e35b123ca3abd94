// The `vecdb` commands: each validates its options, makes its calls through
// the client library and prints a table or, with --json, one JSON document.
//
// Thread safety: single-threaded use only (writes to the given streams).
#ifndef VECDB_CLI_COMMANDS_H_
#define VECDB_CLI_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "cli/args.h"
#include "clients/cpp/vecdb_client.h"

namespace vecdb::cli {

struct CommandContext {
  const ParsedArgs& args;
  Client& client;
  // Results go to `out`; the progress bar to `err`.
  std::ostream& out;
  std::ostream& err;
  // Draw a progress bar during uploads (stdout is a terminal).
  bool show_progress = false;
};

// Runs args.command. Returns a usage error (IsUsageError) for a bad option
// value before any call is made, the file reader's error for a malformed
// input file, or the server's status.
absl::Status RunCommand(const CommandContext& context);

}  // namespace vecdb::cli

#endif  // VECDB_CLI_COMMANDS_H_
