// Runs the real `vecdb` binary (VECDB_CLI_PATH) as a child process for the
// end-to-end tests, capturing its exit code, stdout and stderr.
#ifndef VECDB_TESTS_CLI_RUN_VECDB_H_
#define VECDB_TESTS_CLI_RUN_VECDB_H_

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing/test_data.h"

extern char** environ;

namespace vecdb::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the vecdb binary with `args`; stdout and stderr go to files in
// `dir` (so neither is a terminal). `env` replaces the environment when
// not empty.
inline RunResult RunVecdb(const TempDir& dir,
                          const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {}) {
  const std::string out_path = dir.path() + "/stdout";
  const std::string err_path = dir.path() + "/stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv = {const_cast<char*>(VECDB_CLI_PATH)};
  for (const std::string& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& var : env)
    envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, VECDB_CLI_PATH, &actions, nullptr, argv.data(),
                  env.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  int wait_status = 0;
  REQUIRE(waitpid(pid, &wait_status, 0) == pid);
  REQUIRE(WIFEXITED(wait_status));
  return {WEXITSTATUS(wait_status), ReadAll(out_path), ReadAll(err_path)};
}

inline nlohmann::json ParseJson(const RunResult& result) {
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  nlohmann::json json =
      nlohmann::json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(json.is_discarded());
  return json;
}

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CLI_RUN_VECDB_H_
