#include "benchmarks/child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vecdb::bench {

absl::StatusOr<std::string> RunInChild(
    const std::function<std::string()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    close(fds[0]);
    const std::string text = fn();
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0 && errno != EINTR) _exit(3);
      if (n > 0) done += static_cast<size_t>(n);
    }
    close(fds[1]);
    std::fflush(nullptr);
    // _exit: skip the destructors of state shared with the parent.
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wstatus)) {
    return absl::InternalError(
        absl::StrCat("child killed by signal ", WTERMSIG(wstatus)));
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return absl::InternalError(
        absl::StrCat("child exited with status ", WEXITSTATUS(wstatus)));
  }
  return text;
}

}  // namespace vecdb::bench
