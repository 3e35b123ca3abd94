// ServerProcess: one vecdb-server child process, for tests that kill the
// server and restart it on the same data directory.
//
// Start() spawns the binary on 127.0.0.1 with a free port, stdout and stderr
// redirected to files in a log directory, and returns once the server has
// printed its "vecdb-server listening on" line; if the child exits first or
// the line does not come in time, the error carries the child's stderr.
// Kill() sends SIGKILL, Stop() SIGTERM (graceful shutdown); both reap the
// child. The destructor kills a child that still runs, so a failing test
// leaves no process behind; the child is also killed if the thread that
// started it exits (PR_SET_PDEATHSIG).
//
// Example:
//   ServerProcess server;
//   REQUIRE(server.Start({.data_dir = dir, .log_dir = logs}, "round-3").ok());
//   auto channel = grpc::CreateChannel(server.address(), ...);
//   ...
//   REQUIRE(server.Kill().ok());
//
// Thread safety: not thread-safe; call from the thread that outlives the
// child (the test's main thread).
#ifndef VECDB_TESTS_CRASH_SERVER_PROCESS_H_
#define VECDB_TESTS_CRASH_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vecdb::testing {

struct ServerOptions {
  // Path of the vecdb-server executable. Default: the one built with the
  // tests (VECDB_SERVER_BINARY).
  std::string binary;
  // Passed as --data_dir. Required.
  std::string data_dir;
  // Directory for the child's <tag>.stdout / <tag>.stderr files. Required.
  std::string log_dir;
  // Passed as --sync: "fsync" or "none". Default: "fsync".
  std::string sync = "fsync";
  // Appended to the command line as given.
  std::vector<std::string> extra_args;
  // How long to wait for the listening line. Default: 60 s.
  std::chrono::milliseconds start_timeout{60000};
};

class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Spawns the server; `tag` names its log files. FailedPrecondition if a
  // child is already running; Unavailable (with the child's stderr) if it
  // exits before listening; DeadlineExceeded (child killed) on timeout.
  absl::Status Start(const ServerOptions& options, absl::string_view tag);

  // SIGKILL, then waits for the child. FailedPrecondition if none runs.
  absl::Status Kill();

  // SIGTERM, then waits up to `timeout` for a clean exit. Internal (with
  // stderr) if the child exits non-zero or by a signal; DeadlineExceeded
  // (child killed) if it does not exit in time.
  absl::Status Stop(std::chrono::milliseconds timeout);
  // Stop() in two halves: send SIGTERM now, wait later.
  absl::Status Terminate();
  absl::Status WaitStopped(std::chrono::milliseconds timeout);

  bool running() const { return pid_ > 0; }
  // "127.0.0.1:<port>" of the last Start().
  const std::string& address() const { return address_; }
  // The last `max_bytes` of the current (or last) child's stderr.
  std::string StderrTail(size_t max_bytes = 4096) const;
  // The whole stderr of the current (or last) child.
  std::string Stderr() const;

 private:
  // Waits for the child to exit, up to `timeout`; returns its wait status
  // or DeadlineExceeded.
  absl::StatusOr<int> WaitExit(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  std::string address_;
  std::string stdout_path_;
  std::string stderr_path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read
// back, closed).
absl::StatusOr<int> PickFreePort();

// Reads a whole file; empty if it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_SERVER_PROCESS_H_
