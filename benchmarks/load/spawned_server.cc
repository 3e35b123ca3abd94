#include "benchmarks/load/spawned_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

namespace vecdb::bench::load {
namespace {

constexpr char kListening[] = "listening on ";

std::string LogTail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  if (all.size() > 2000) all = all.substr(all.size() - 2000);
  return all.empty() ? "(server.log is empty)" : all;
}

// Reads the child's stdout until a line holding "listening on ADDR" or
// until the deadline; returns ADDR or "".
std::string ReadAddress(int fd, std::chrono::steady_clock::time_point until) {
  std::string buffer;
  char chunk[512];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n <= 0) return "";  // the child closed stdout: it exited
    buffer.append(chunk, n);
    const size_t at = buffer.find(kListening);
    if (at == std::string::npos) continue;
    const size_t begin = at + std::strlen(kListening);
    const size_t end = buffer.find_first_of(" \n", begin);
    if (end != std::string::npos) return buffer.substr(begin, end - begin);
  }
  return "";
}

// Waits up to `timeout` for `pid`; its wait status, or -1 if still alive.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() >= until) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SpawnedServer>> SpawnedServer::Start(
    const std::string& binary, const std::vector<std::string>& extra_flags,
    std::chrono::seconds startup_timeout) {
  if (access(binary.c_str(), X_OK) != 0) {
    return absl::NotFoundError(
        absl::StrCat("--spawn-server: no executable at ", binary));
  }
  char dir_template[] = "/tmp/vecdb_load.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  const std::string dir = dir_template;
  const std::string log = dir + "/server.log";
  std::vector<std::string> args = {binary, "--listen=127.0.0.1:0",
                                   "--data_dir=" + dir + "/data"};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());

  int out[2];
  if (pipe(out) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // The server dies with this process, however it ends.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out[1], STDOUT_FILENO);
    const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) dup2(err, STDERR_FILENO);
    close(out[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  std::unique_ptr<SpawnedServer> server(new SpawnedServer(pid, dir));
  server->address_ = ReadAddress(
      out[0], std::chrono::steady_clock::now() + startup_timeout);
  close(out[0]);
  if (server->address_.empty()) {
    return absl::UnavailableError(
        absl::StrCat(binary, " did not start (log ", log,
                     "):\n", LogTail(log)));
  }
  return server;
}

SpawnedServer::~SpawnedServer() {
  if (!stopped_) {
    kill(pid_, SIGKILL);
    WaitFor(pid_, std::chrono::seconds(10));
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

absl::Status SpawnedServer::Stop(std::chrono::seconds timeout) {
  if (stopped_) return absl::OkStatus();
  stopped_ = true;
  kill(pid_, SIGTERM);
  int status = WaitFor(pid_, timeout);
  if (status == -1) {
    kill(pid_, SIGKILL);
    WaitFor(pid_, std::chrono::seconds(10));
    return absl::InternalError(absl::StrCat(
        "vecdb-server did not stop within ", timeout.count(),
        " s of SIGTERM; killed"));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat(
        "vecdb-server ended with status ", status, ": ",
        LogTail(dir_ + "/server.log")));
  }
  return absl::OkStatus();
}

}  // namespace vecdb::bench::load
