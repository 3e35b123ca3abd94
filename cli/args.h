// Command-line parsing for `vecdb`:
//
//   vecdb [--server ADDR] [--json] <command> [positional...] [--option V...]
//
// Options take their value as the next argument or after '=' ("--k 5",
// "--k=5"); "--" ends the options, so later arguments are positional even
// when they start with "--" (ids, for instance). Flags (--explain) take no
// value and are recorded with an empty one. --server and --json may also
// follow the command. An option the command does not know, a missing
// value, a repeated option or a wrong number of positional arguments is a
// usage error: the tool prints it with the command's usage line and exits
// with status 2.
//
// Thread safety: stateless free functions over immutable tables.
#ifndef VECDB_CLI_ARGS_H_
#define VECDB_CLI_ARGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vecdb::cli {

// Default for --server when neither the option nor $VECDB_SERVER is set.
inline constexpr char kDefaultServer[] = "127.0.0.1:50051";

struct ParsedArgs {
  // --server, else $VECDB_SERVER, else kDefaultServer.
  std::string server;
  bool json = false;
  // True for --help, -h or the `help` command: print usage, exit 0.
  bool help = false;
  // One of the commands in Usage(); empty only when `help` is set.
  std::string command;
  std::vector<std::string> positionals;
  // Command options by name without the dashes: {"dim": "128"}.
  std::map<std::string, std::string> options;

  // The value of an option, if given.
  std::optional<std::string> Get(const std::string& name) const;
  // The option as an integer in [min, max], or `fallback` when absent. A
  // usage error for a value that is not such an integer.
  absl::StatusOr<uint32_t> GetUint(const std::string& name, uint32_t fallback,
                                   uint32_t min, uint32_t max) const;
  // The option as a finite number in [min, max], or `fallback` when absent.
  // A usage error for a value that is not such a number.
  absl::StatusOr<float> GetFloat(const std::string& name, float fallback,
                                 float min, float max) const;
  // Whether the option (or flag) was given.
  bool Has(const std::string& name) const { return options.count(name) > 0; }
};

// `env_server` is the value of $VECDB_SERVER, or nullptr when unset.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const char* env_server);

// A status that marks a usage error (exit status 2), and the test for it.
// ParseArgs records the command it had read, if any, for UsageErrorCommand.
absl::Status UsageError(absl::string_view message,
                        absl::string_view command = "");
bool IsUsageError(const absl::Status& status);
std::string UsageErrorCommand(const absl::Status& status);

// The full help text, and the one-line usage of a command (of the whole
// tool when `command` is empty or unknown).
std::string Usage();
std::string UsageLine(absl::string_view command);

}  // namespace vecdb::cli

#endif  // VECDB_CLI_ARGS_H_
