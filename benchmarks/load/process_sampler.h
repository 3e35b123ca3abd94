// Samples a process's resident memory, open descriptors and threads from
// /proc while a load runs (the soak mode of vecdb_load).
//
// Thread safety: SampleProcess is thread-safe. A ProcessSampler is driven
// by one thread (Start, Stop, samples); its own thread only appends samples
// under its mutex.
#ifndef VECDB_BENCHMARKS_LOAD_PROCESS_SAMPLER_H_
#define VECDB_BENCHMARKS_LOAD_PROCESS_SAMPLER_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/base/thread_annotations.h"

namespace vecdb::bench::load {

struct ProcessSample {
  // Since the sampler started.
  double seconds = 0;
  // VmRSS of /proc/PID/status.
  uint64_t rss_bytes = 0;
  // Entries of /proc/PID/fd.
  uint64_t fds = 0;
  // Threads: of /proc/PID/status.
  uint64_t threads = 0;
};

// One sample (seconds left 0). NotFound when the process is gone,
// PermissionDenied when its fd directory cannot be read.
absl::StatusOr<ProcessSample> SampleProcess(pid_t pid);

class ProcessSampler {
 public:
  // Called on the sampler's thread after each sample (e.g. to print it).
  using Observer = std::function<void(const ProcessSample&)>;

  ProcessSampler(pid_t pid, std::chrono::milliseconds every,
                 Observer observer);
  ~ProcessSampler();  // Stops.

  // Takes a sample now and then every `every` until Stop.
  void Start();
  // Joins the thread. Idempotent. No last sample: by then the load has
  // usually ended (its connections closed), which would bend the trend.
  void Stop();
  // Samples so far (a failed sample is skipped and counted).
  std::vector<ProcessSample> samples() const;
  uint64_t failed() const;

 private:
  void Loop();
  void TakeSample();

  const pid_t pid_;
  const std::chrono::milliseconds every_;
  const Observer observer_;
  const std::chrono::steady_clock::time_point start_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<ProcessSample> samples_ ABSL_GUARDED_BY(mu_);
  uint64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_PROCESS_SAMPLER_H_
