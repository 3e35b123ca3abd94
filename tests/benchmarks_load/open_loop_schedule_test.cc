#include "benchmarks/load/open_loop_schedule.h"

#include <catch2/catch.hpp>
#include <vector>

namespace vecdb::bench::load {
namespace {

TEST_CASE("Clients share the schedule round-robin without gaps or overlap",
          "[load][schedule]") {
  const OpenLoopSchedule schedule(/*total_rate=*/1000, /*clients=*/3);
  std::vector<int> seen(300, 0);
  for (size_t c = 0; c < 3; ++c) {
    for (uint64_t j = 0; j < 100; ++j) ++seen[schedule.GlobalIndex(c, j)];
  }
  for (int count : seen) REQUIRE(count == 1);
  // Each client sends every clients / rate = 3 ms; neighbours 1 ms apart.
  CHECK(schedule.DueSeconds(schedule.GlobalIndex(1, 5)) -
            schedule.DueSeconds(schedule.GlobalIndex(1, 4)) ==
        Approx(0.003));
  CHECK(schedule.DueSeconds(schedule.GlobalIndex(2, 4)) -
            schedule.DueSeconds(schedule.GlobalIndex(1, 4)) ==
        Approx(0.001));
}

TEST_CASE("The measured phase starts at the first request due after warmup",
          "[load][schedule]") {
  const OpenLoopSchedule schedule(/*total_rate=*/300, /*clients=*/4);
  CHECK(schedule.FirstIndexAtOrAfter(0) == 0);
  CHECK(schedule.FirstIndexAtOrAfter(2.0) == 600);
  CHECK(schedule.FirstIndexAtOrAfter(2.001) == 601);
  // 0.1 * 300 is not exact in binary; still 30.
  CHECK(schedule.FirstIndexAtOrAfter(0.1) == 30);
  for (double s = 0.0005; s < 3; s += 0.0137) {
    const uint64_t g = schedule.FirstIndexAtOrAfter(s);
    REQUIRE(schedule.DueSeconds(g) >= s);
    REQUIRE((g == 0 || schedule.DueSeconds(g - 1) < s));
  }
}

TEST_CASE("A client's first local index from a run-wide index",
          "[load][schedule]") {
  const OpenLoopSchedule schedule(/*total_rate=*/10, /*clients=*/4);
  for (size_t c = 0; c < 4; ++c) {
    for (uint64_t g = 0; g < 50; ++g) {
      const uint64_t j = schedule.FirstLocalIndexFrom(c, g);
      INFO("client " << c << " g " << g);
      REQUIRE(schedule.GlobalIndex(c, j) >= g);
      REQUIRE((j == 0 || schedule.GlobalIndex(c, j - 1) < g));
    }
  }
}

}  // namespace
}  // namespace vecdb::bench::load
