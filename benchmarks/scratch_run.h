// Runs one system's measurement in a scratch directory of its own.
#ifndef VECDB_BENCHMARKS_SCRATCH_RUN_H_
#define VECDB_BENCHMARKS_SCRATCH_RUN_H_

#include <filesystem>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "benchmarks/system_result.h"

namespace vecdb::bench {

// Empties `dir`, calls `run(dir, result)`, records a failure in
// result.error, and removes `dir` again.
inline SystemResult RunInScratchDir(
    std::string system, const std::string& dir,
    const std::function<absl::Status(const std::string&, SystemResult&)>&
        run) {
  SystemResult r;
  r.system = std::move(system);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (absl::Status s = run(dir, r); !s.ok()) r.error = s.ToString();
  std::filesystem::remove_all(dir, ec);
  return r;
}

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_SCRATCH_RUN_H_
