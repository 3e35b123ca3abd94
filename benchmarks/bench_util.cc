#include "benchmarks/bench_util.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"

namespace vecdb::bench {

size_t ResidentBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stoull(line.substr(6)) * 1024;  // reported in kB
    }
  }
  return 0;
}

void LatencySet::Append(const LatencySet& other) {
  samples_.insert(samples_.end(), other.samples_.begin(),
                  other.samples_.end());
}

double LatencySet::PercentileMs(double q) const {
  if (samples_.empty()) return 0;
  std::vector<double> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  size_t rank = static_cast<size_t>(std::ceil(q * sorted.size()));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1] * 1e3;
}

void ParallelFor(size_t n, size_t threads,
                 const std::function<void(size_t i, size_t thread)>& fn) {
  threads = std::max<size_t>(1, std::min(threads, n));
  if (threads == 1) {
    for (size_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (size_t i = t; i < n; i += threads) fn(i, t);
    });
  }
  for (auto& th : pool) th.join();
}

size_t HardwareThreads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

bool ForEachFlag(int argc, char** argv, const char* usage,
                 const std::function<bool(const std::string& name,
                                          const std::string& value)>& fn) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--help") {
      std::printf("%s", usage);
      std::exit(0);
    }
    if (!fn(name, value)) {
      std::fprintf(stderr, "bad flag: %s\n%s", arg.c_str(), usage);
      return false;
    }
  }
  return true;
}

bool ParseCount(const std::string& value, size_t& out) {
  return absl::SimpleAtoi(value, &out) && out > 0;
}

std::string WorkParent(const std::string& parent) {
  if (!parent.empty()) return parent;
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

std::string ScratchDir(const std::string& parent, const std::string& name) {
  return WorkParent(parent) + "/" + name + "-" + std::to_string(getpid());
}

int ExitCode(const char* tool, const absl::Status& status) {
  if (status.ok()) return 0;
  std::fprintf(stderr, "%s: %s\n", tool, status.ToString().c_str());
  return 1;
}

}  // namespace vecdb::bench
