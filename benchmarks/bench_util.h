// Small measuring tools shared by the benchmark systems: a wall clock,
// resident memory from /proc, latency percentiles and a parallel loop.
//
// Thread safety: free functions are thread-safe; a Stopwatch or LatencySet
// belongs to one thread.
#ifndef VECDB_BENCHMARKS_BENCH_UTIL_H_
#define VECDB_BENCHMARKS_BENCH_UTIL_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace vecdb::bench {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// VmRSS of this process in bytes, from /proc/self/status (0 if unreadable).
size_t ResidentBytes();

// Per-call latencies in seconds.
class LatencySet {
 public:
  void Add(double seconds) { samples_.push_back(seconds); }
  void Append(const LatencySet& other);
  size_t size() const { return samples_.size(); }
  // The q-quantile (0..1) in milliseconds, nearest rank; 0 when empty.
  double PercentileMs(double q) const;

 private:
  std::vector<double> samples_;
};

// Runs fn(i) for i in [0, n) on `threads` threads (static interleaving:
// thread t takes t, t + threads, ...). Returns when all are done.
void ParallelFor(size_t n, size_t threads,
                 const std::function<void(size_t i, size_t thread)>& fn);

// std::thread::hardware_concurrency(), at least 1.
size_t HardwareThreads();

// Command-line flags of the form --name=value (or --name). Calls
// fn(name, value) for each argument ("--help" prints `usage` and exits 0);
// fn returns false for a flag it does not know or a bad value. On the first
// such argument prints "bad flag: <arg>" and the usage to stderr and returns
// false.
bool ForEachFlag(int argc, char** argv, const char* usage,
                 const std::function<bool(const std::string& name,
                                          const std::string& value)>& fn);

// `parent`, or $TMPDIR (or /tmp) when it is empty: where a run keeps its
// files.
std::string WorkParent(const std::string& parent);

// The exit status of a tool's main(): 0 for OK, else 1 after printing
// "<tool>: <status>" to stderr.
int ExitCode(const char* tool, const absl::Status& status);

// The scratch directory of one run: <parent>/<name>-<pid>, with parent
// $TMPDIR (or /tmp) when empty. The caller removes it after the run; a
// --work-dir flag names the parent, so a user's folder is never removed.
std::string ScratchDir(const std::string& parent, const std::string& name);

// A positive decimal count.
bool ParseCount(const std::string& value, size_t& out);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_BENCH_UTIL_H_
