#include "benchmarks/load/process_sampler.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace vecdb::bench::load {
namespace {

// The number after "Name:" in a /proc status line ("VmRSS:  1234 kB").
bool StatusField(const std::string& line, absl::string_view name,
                 uint64_t& out) {
  absl::string_view rest(line);
  if (!absl::ConsumePrefix(&rest, name)) return false;
  rest = absl::StripAsciiWhitespace(rest);
  rest = absl::StripSuffix(rest, "kB");
  return absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &out);
}

}  // namespace

absl::StatusOr<ProcessSample> SampleProcess(pid_t pid) {
  const std::string dir = absl::StrCat("/proc/", pid);
  std::ifstream status(dir + "/status");
  if (!status) {
    return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
  }
  ProcessSample sample;
  std::string line;
  uint64_t value = 0;
  while (std::getline(status, line)) {
    if (StatusField(line, "VmRSS:", value)) sample.rss_bytes = value * 1024;
    if (StatusField(line, "Threads:", value)) sample.threads = value;
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++sample.fds;
  }
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot list ", dir, "/fd: ", ec.message()));
  }
  return sample;
}

ProcessSampler::ProcessSampler(pid_t pid, std::chrono::milliseconds every,
                               Observer observer)
    : pid_(pid),
      every_(every),
      observer_(std::move(observer)),
      start_(std::chrono::steady_clock::now()) {}

ProcessSampler::~ProcessSampler() { Stop(); }

void ProcessSampler::Start() {
  TakeSample();
  thread_ = std::thread([this] { Loop(); });
}

void ProcessSampler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::vector<ProcessSample> ProcessSampler::samples() const {
  std::lock_guard<std::mutex> lock(mu_);
  return samples_;
}

uint64_t ProcessSampler::failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

void ProcessSampler::Loop() {
  auto next = start_ + every_;
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_until(lock, next, [this] { return stop_; })) {
    lock.unlock();
    TakeSample();
    lock.lock();
    next += every_;
  }
}

void ProcessSampler::TakeSample() {
  auto sample = SampleProcess(pid_);
  std::lock_guard<std::mutex> lock(mu_);
  if (!sample.ok()) {
    ++failed_;
    return;
  }
  sample->seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start_)
                        .count();
  samples_.push_back(*sample);
  if (observer_) observer_(*sample);
}

}  // namespace vecdb::bench::load
