#include "benchmarks/load/process_sampler.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace vecdb::bench::load {
namespace {

TEST_CASE("Sampling this process", "[load][sampler]") {
  auto before = SampleProcess(getpid());
  REQUIRE(before.ok());
  CHECK(before->rss_bytes > 1024 * 1024);
  CHECK(before->fds >= 3);
  CHECK(before->threads >= 1);

  const int fd = open("/dev/null", O_RDONLY);
  REQUIRE(fd >= 0);
  std::atomic<bool> stop{false};
  std::thread extra([&] {
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  auto after = SampleProcess(getpid());
  stop = true;
  extra.join();
  close(fd);
  REQUIRE(after.ok());
  CHECK(after->fds == before->fds + 1);
  CHECK(after->threads == before->threads + 1);
}

TEST_CASE("A process that is gone is NotFound", "[load][sampler]") {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  waitpid(child, nullptr, 0);
  auto sample = SampleProcess(child);
  REQUIRE_FALSE(sample.ok());
  CHECK(sample.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("The sampler samples at start and on its interval",
          "[load][sampler]") {
  std::atomic<int> observed{0};
  ProcessSampler sampler(getpid(), std::chrono::milliseconds(50),
                         [&](const ProcessSample&) { ++observed; });
  sampler.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(275));
  sampler.Stop();
  sampler.Stop();  // idempotent
  const auto samples = sampler.samples();
  // Start + up to 5 ticks (50..250 ms); a busy machine may delay the last
  // tick past the stop.
  CHECK(samples.size() >= 4);
  CHECK(samples.size() <= 6);
  CHECK(observed == static_cast<int>(samples.size()));
  CHECK(sampler.failed() == 0);
  for (size_t i = 1; i < samples.size(); ++i) {
    CHECK(samples[i].seconds > samples[i - 1].seconds);
  }
  CHECK(samples[1].seconds >= 0.05);
}

}  // namespace
}  // namespace vecdb::bench::load
