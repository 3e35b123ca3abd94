// The vecdb-ingest command line: `vecdb-ingest sync ...` and `vecdb-ingest
// serve ...` (see Usage() for every flag and its default).
//
// Flags are absl flags, parsed here rather than by absl::ParseCommandLine so
// that a usage error is a Status (exit code 2) instead of an exit(1):
// "--name=value", "--name value", "--flag" / "--noflag" for booleans, and
// "--embed-param k=v" repeatable. Everything else after the subcommand is an
// input (sync) — "--" ends the flags.
//
// Thread safety: ParseCommandLine sets process-wide flags; call it from one
// thread (main).
#ifndef VECDB_INGEST_FLAGS_H_
#define VECDB_INGEST_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/progress.h"
#include "ingest/service.h"
#include "ingest/sync.h"

namespace vecdb::ingest {

struct CommandLine {
  enum class Command { kHelp, kSync, kServe };
  Command command = Command::kHelp;
  // vecdb-server address.
  std::string server;
  // kSync.
  SyncOptions sync;
  ReportOptions report;
  // kServe.
  IngestServiceOptions service;
  IngestServerOptions listen;
};

// `args` excludes the program name. InvalidArgument naming the problem for
// an unknown subcommand or flag, a bad value, or a missing --collection /
// input (sync).
absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args);

std::string Usage();

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_FLAGS_H_
