// vecdb-ingest: batch sync of files into a vecdb collection, or the
// streaming Ingest service. See `vecdb-ingest --help` (ingest/flags.cc).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clients/cpp/vecdb_client.h"
#include "ingest/flags.h"
#include "ingest/progress.h"
#include "ingest/service.h"
#include "ingest/summary.h"
#include "ingest/sync.h"

namespace {

using vecdb::ingest::CommandLine;

constexpr auto kShutdownGrace = std::chrono::seconds(10);

int RunSync(vecdb::Client& client, const CommandLine& command) {
  vecdb::ingest::ReportOptions report = command.report;
  report.bar = isatty(STDERR_FILENO) == 1;
  vecdb::ingest::ProgressReporter reporter(report, std::cout, std::cerr);
  absl::StatusOr<vecdb::ingest::RunSummary> summary =
      vecdb::ingest::RunSync(client, command.sync, reporter);
  reporter.Finish();
  const absl::Status status = summary.status();
  const vecdb::ingest::RunSummary counts =
      summary.ok() ? *summary : reporter.summary();
  if (command.report.json) {
    std::cout << vecdb::ingest::SummaryJson(counts, status) << std::endl;
  } else {
    std::cout << vecdb::ingest::SummaryLine(counts) << std::endl;
  }
  if (!status.ok()) {
    std::cerr << "error: " << status.message() << " ("
              << absl::StatusCodeToString(status.code()) << ")\n";
  }
  return vecdb::ingest::ExitCode(counts, status);
}

int Serve(vecdb::Client& client, const CommandLine& command) {
  // Block the stop signals in every thread (gRPC's included) and wait for
  // them here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server =
      vecdb::ingest::StartIngestServer(client, command.service, command.listen);
  if (!server.ok()) {
    std::cerr << "error: " << server.status().message() << "\n";
    return 2;
  }
  std::cout << "vecdb-ingest listening on port " << (*server)->port()
            << " (writing to " << command.server << ")" << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  std::cout << "vecdb-ingest: shutting down" << std::endl;
  (*server)->Shutdown(kShutdownGrace);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<CommandLine> command = vecdb::ingest::ParseCommandLine(args);
  if (!command.ok()) {
    std::cerr << "error: " << command.status().message() << "\n";
    return 2;
  }
  if (command->command == CommandLine::Command::kHelp) {
    std::cout << vecdb::ingest::Usage();
    return 0;
  }
  auto client = vecdb::Client::Connect(command->server, {});
  if (!client.ok()) {
    std::cerr << "error: " << client.status().message() << "\n";
    return 2;
  }
  if (command->command == CommandLine::Command::kServe) {
    return Serve(**client, *command);
  }
  return RunSync(**client, *command);
}
