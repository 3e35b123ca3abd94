#include "eval/ingest_run.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace vecdb::eval {

absl::StatusOr<IngestRun> RunIngest(const IngestCommand& command) {
  std::vector<std::string> args = {command.binary, "sync",
                                   "--server=" + command.server,
                                   "--collection=" + command.collection};
  args.insert(args.end(), command.args.begin(), command.args.end());
  args.insert(args.end(), command.inputs.begin(), command.inputs.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, command.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, command.binary.c_str(), &actions,
                                  nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return absl::InternalError(absl::StrCat("cannot start ", command.binary));
  }
  int status = 0;
  pid_t waited = 0;
  do {
    waited = waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (waited != pid) return absl::InternalError("waitpid failed");
  IngestRun run;
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (run.exit_code != 0) {
    return absl::InternalError(absl::StrCat("vecdb-ingest exited with ",
                                            run.exit_code, "; see ",
                                            command.log_path));
  }
  return run;
}

}  // namespace vecdb::eval
