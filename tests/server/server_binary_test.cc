// Runs the real vecdb-server executable as a child process: start, write,
// SIGTERM, exit code 0, restart on the same data directory, read back.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/server_fixture.h"

extern char** environ;

namespace vecdb::testing {
namespace {

// One vecdb-server child process with its stdout on a pipe.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data_dir) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);

    std::vector<std::string> args = {
        VECDB_SERVER_BINARY, "--listen=127.0.0.1:0", "--data_dir=" + data_dir,
        "--sync=fsync", "--threads=4"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, VECDB_SERVER_BINARY, &actions, &attr,
                                    argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    stdout_fd_ = fds[0];
    REQUIRE(spawned == 0);
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }

  // Reads stdout until the first line, for up to `timeout`; "" on timeout
  // or EOF.
  std::string ReadLine(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{.fd = stdout_fd_, .events = POLLIN, .revents = 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char c;
      if (read(stdout_fd_, &c, 1) != 1) return "";
      if (c == '\n') return line;
      line.push_back(c);
    }
    return "";
  }

  // Sends `signal` and waits for the exit; returns the exit code, or -1 if
  // the process did not exit normally within `timeout`.
  int Stop(int signal, std::chrono::seconds timeout) {
    kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
};

// "vecdb-server listening on 127.0.0.1:4567 (data: ...)" -> "127.0.0.1:4567".
std::string AddressOf(const std::string& line) {
  const std::string prefix = "vecdb-server listening on ";
  if (line.rfind(prefix, 0) != 0) return "";
  const size_t end = line.find(' ', prefix.size());
  return line.substr(prefix.size(), end - prefix.size());
}

TEST_CASE("vecdb-server binary: serve, SIGTERM, restart keeps the data",
          "[server]") {
  TempDir dir;
  const std::string data_dir = dir.path() + "/data";
  for (int run = 0; run < 2; ++run) {
    INFO("run " << run);
    ServerProcess process(data_dir);
    const std::string line = process.ReadLine(std::chrono::seconds(30));
    INFO("first line: " << line);
    CHECK(line.find("(data: " + data_dir + ", sync: fsync)") !=
          std::string::npos);
    const std::string address = AddressOf(line);
    REQUIRE(!address.empty());
    auto stub = v1::VectorDB::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));

    if (run == 0) {
      v1::CreateCollectionRequest create;
      create.set_name("kept");
      create.set_dimension(2);
      create.set_metric(v1::METRIC_L2);
      v1::CollectionInfo info;
      REQUIRE(VECDB_CALL(*stub, CreateCollection, create, info).ok());
      v1::UpsertResponse upserted;
      REQUIRE(VECDB_CALL(*stub, Upsert,
                         MakeUpsert("kept", {MakePoint("a", {1, 2}),
                                             MakePoint("b", {3, 4})}),
                         upserted)
                  .ok());
    } else {
      v1::GetRequest get;
      get.set_collection("kept");
      get.add_ids(std::string(1, 'b'));  // a literal trips GCC 12 -Wrestrict
      get.mutable_include()->set_vector(true);
      v1::GetResponse got;
      REQUIRE(VECDB_CALL(*stub, Get, get, got).ok());
      REQUIRE(got.points_size() == 1);
      CHECK(got.points(0).vector(1) == 4.0f);
      v1::QueryRequest query;
      query.set_collection("kept");
      query.set_k(2);
      query.add_queries()->add_values(1);
      query.mutable_queries(0)->add_values(2);
      v1::QueryResponse response;
      REQUIRE(VECDB_CALL(*stub, Query, query, response).ok());
      REQUIRE(response.results(0).hits_size() == 2);
      CHECK(response.results(0).hits(0).point().id() == "a");
    }
    // Run 0 stops with the client still connected, which gRPC waits for
    // (a few seconds, at most the 10 s grace); run 1 closes it first.
    if (run == 1) stub.reset();
    CHECK(process.Stop(SIGTERM, std::chrono::seconds(30)) == 0);
  }
}

// Runs vecdb-server with `flags` (stderr discarded) and returns its exit
// code, or -1 if it did not exit normally.
int RunToExit(std::vector<std::string> flags) {
  std::vector<std::string> args = {VECDB_SERVER_BINARY};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, VECDB_SERVER_BINARY, &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST_CASE("vecdb-server binary: bad flags exit with code 1", "[server]") {
  TempDir dir;
  CHECK(RunToExit({"--sync=sometimes", "--data_dir=" + dir.path()}) == 1);
  CHECK(RunToExit({"--max_batch=0", "--data_dir=" + dir.path()}) == 1);
  CHECK(RunToExit({"--compact_fraction=0", "--data_dir=" + dir.path()}) == 1);
  CHECK(RunToExit({"--link_nice=20", "--data_dir=" + dir.path()}) == 1);
  CHECK(RunToExit({"--no_such_flag=1"}) == 1);
}

TEST_CASE("vecdb-server binary: an unusable data dir exits with code 2",
          "[server]") {
  TempDir dir;
  const std::string file = dir.path() + "/not-a-directory";
  FILE* f = fopen(file.c_str(), "w");
  REQUIRE(f != nullptr);
  fclose(f);
  CHECK(RunToExit({"--listen=127.0.0.1:0", "--data_dir=" + file}) == 2);
}

}  // namespace
}  // namespace vecdb::testing
