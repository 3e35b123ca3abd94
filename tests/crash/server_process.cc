#include "tests/crash/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

namespace vecdb::testing {
namespace {

constexpr char kListeningLine[] = "vecdb-server listening on";
constexpr auto kPollInterval = std::chrono::milliseconds(10);

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return absl::StrCat("signal ", WTERMSIG(status), " (",
                        strsignal(WTERMSIG(status)), ")");
  }
  return absl::StrCat("wait status ", status);
}

}  // namespace

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    close(fd);
    return absl::InternalError(
        absl::StrCat("bind 127.0.0.1:0: ", strerror(err)));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

ServerProcess::~ServerProcess() {
  if (running()) (void)Kill();
}

absl::Status ServerProcess::Start(const ServerOptions& options,
                                  absl::string_view tag) {
  if (running()) return absl::FailedPreconditionError("server already runs");
  absl::StatusOr<int> port = PickFreePort();
  if (!port.ok()) return port.status();
  address_ = absl::StrCat("127.0.0.1:", *port);
  stdout_path_ = absl::StrCat(options.log_dir, "/", tag, ".stdout");
  stderr_path_ = absl::StrCat(options.log_dir, "/", tag, ".stderr");

  std::vector<std::string> args = {options.binary.empty()
                                       ? std::string(VECDB_SERVER_BINARY)
                                       : options.binary,
                                   "--listen",
                                   address_,
                                   "--data_dir",
                                   options.data_dir,
                                   "--sync",
                                   options.sync};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // Opened before fork: between fork and exec the child may only make
  // async-signal-safe calls (gRPC threads exist in this process).
  const int out_fd = open(stdout_path_.c_str(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd = open(stderr_path_.c_str(),
                          O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out_fd < 0 || err_fd < 0 || null_fd < 0) {
    for (int fd : {out_fd, err_fd, null_fd}) {
      if (fd >= 0) close(fd);
    }
    return absl::InternalError(
        absl::StrCat("cannot open log files in ", options.log_dir));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  close(null_fd);
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", errno));
  pid_ = pid;

  const auto deadline =
      std::chrono::steady_clock::now() + options.start_timeout;
  while (true) {
    if (ReadFileOrEmpty(stdout_path_).find(kListeningLine) !=
        std::string::npos) {
      return absl::OkStatus();
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat(
          "vecdb-server (", args[0], ") exited before listening: ",
          DescribeWaitStatus(status), "; stderr:\n", StderrTail()));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      (void)Kill();
      return absl::DeadlineExceededError(absl::StrCat(
          "vecdb-server printed no \"", kListeningLine, "\" line within ",
          options.start_timeout.count(), " ms; stderr:\n", StderrTail()));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

absl::StatusOr<int> ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return status;
    }
    if (done < 0 && errno != EINTR) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat("waitpid: ", strerror(errno)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return absl::DeadlineExceededError("child did not exit in time");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

absl::Status ServerProcess::Kill() {
  if (!running()) return absl::FailedPreconditionError("no server running");
  kill(pid_, SIGKILL);
  // SIGKILL cannot be caught; the bound only guards against a stuck kernel.
  absl::StatusOr<int> status = WaitExit(std::chrono::seconds(30));
  return status.ok() ? absl::OkStatus() : status.status();
}

absl::Status ServerProcess::Stop(std::chrono::milliseconds timeout) {
  if (absl::Status s = Terminate(); !s.ok()) return s;
  return WaitStopped(timeout);
}

absl::Status ServerProcess::Terminate() {
  if (!running()) return absl::FailedPreconditionError("no server running");
  kill(pid_, SIGTERM);
  return absl::OkStatus();
}

absl::Status ServerProcess::WaitStopped(std::chrono::milliseconds timeout) {
  if (!running()) return absl::FailedPreconditionError("no server running");
  absl::StatusOr<int> status = WaitExit(timeout);
  if (!status.ok()) {
    (void)Kill();
    return absl::DeadlineExceededError(
        absl::StrCat("vecdb-server did not exit within ", timeout.count(),
                     " ms of SIGTERM; stderr:\n", StderrTail()));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return absl::InternalError(
        absl::StrCat("vecdb-server stopped with ", DescribeWaitStatus(*status),
                     " after SIGTERM; stderr:\n", StderrTail()));
  }
  return absl::OkStatus();
}

std::string ServerProcess::Stderr() const {
  return ReadFileOrEmpty(stderr_path_);
}

std::string ServerProcess::StderrTail(size_t max_bytes) const {
  std::string all = Stderr();
  if (all.size() <= max_bytes) return all;
  return "..." + all.substr(all.size() - max_bytes);
}

}  // namespace vecdb::testing
