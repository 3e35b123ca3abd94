// vecdb: command-line client for a vecdb server. See `vecdb --help`.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "clients/cpp/vecdb_client.h"

namespace {

int Fail(const absl::Status& status, const std::string& command) {
  std::cerr << "error: " << status.message();
  if (vecdb::cli::IsUsageError(status)) {
    std::cerr << "\n" << vecdb::cli::UsageLine(command) << "\n";
    return 2;
  }
  std::cerr << " (" << absl::StatusCodeToString(status.code()) << ")\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = vecdb::cli::ParseArgs(args, std::getenv("VECDB_SERVER"));
  if (!parsed.ok()) {
    return Fail(parsed.status(),
                vecdb::cli::UsageErrorCommand(parsed.status()));
  }
  if (parsed->help) {
    std::cout << vecdb::cli::Usage();
    return 0;
  }
  auto client = vecdb::Client::Connect(parsed->server, {});
  if (!client.ok()) return Fail(client.status(), parsed->command);
  const absl::Status status = vecdb::cli::RunCommand({
      .args = *parsed,
      .client = **client,
      .out = std::cout,
      .err = std::cerr,
      .show_progress = isatty(STDOUT_FILENO) == 1,
  });
  if (!status.ok()) return Fail(status, parsed->command);
  return 0;
}
