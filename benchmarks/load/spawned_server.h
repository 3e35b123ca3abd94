// A vecdb-server binary run as a child process for the duration of a load
// test: on a free loopback port (it is started with --listen=127.0.0.1:0
// and its "listening on" line read back) and a fresh temporary data
// directory, removed again at the end. Its stderr goes to server.log in
// that directory; the log's tail is quoted when the server fails to start.
//
//   VECDB_ASSIGN_OR_RETURN(auto server, SpawnedServer::Start(path, {}));
//   RunAgainst(server->address(), server->pid());
//   VECDB_RETURN_IF_ERROR(server->Stop());   // SIGTERM, then wait
//
// Thread safety: a SpawnedServer belongs to one thread. Start forks: call
// it before the process starts other threads.
#ifndef VECDB_BENCHMARKS_LOAD_SPAWNED_SERVER_H_
#define VECDB_BENCHMARKS_LOAD_SPAWNED_SERVER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vecdb::bench::load {

class SpawnedServer {
 public:
  // Starts `binary` with `extra_flags` appended and waits up to
  // `startup_timeout` for its listening line. NotFound if the binary does
  // not exist, Unavailable if it exits or stays silent (message with the
  // log's tail), Internal when fork/pipe/mkdtemp fail.
  static absl::StatusOr<std::unique_ptr<SpawnedServer>> Start(
      const std::string& binary, const std::vector<std::string>& extra_flags,
      std::chrono::seconds startup_timeout = std::chrono::seconds(60));

  // Stops the server (SIGKILL if Stop was not called) and removes the
  // data directory.
  ~SpawnedServer();

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits up to `timeout` for a graceful exit, SIGKILL after.
  // Internal naming the exit status when the server did not exit with 0.
  absl::Status Stop(std::chrono::seconds timeout = std::chrono::seconds(60));

 private:
  SpawnedServer(pid_t pid, std::string dir)
      : pid_(pid), dir_(std::move(dir)) {}

  pid_t pid_;
  std::string dir_;
  std::string address_;
  bool stopped_ = false;
};

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_SPAWNED_SERVER_H_
