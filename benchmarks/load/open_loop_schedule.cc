#include "benchmarks/load/open_loop_schedule.h"

#include <cmath>

namespace vecdb::bench::load {

uint64_t OpenLoopSchedule::FirstIndexAtOrAfter(double seconds) const {
  if (seconds <= 0) return 0;
  uint64_t g = static_cast<uint64_t>(std::ceil(seconds * rate_));
  // Undo a rounding step of the multiplication in either direction.
  while (g > 0 && DueSeconds(g - 1) >= seconds) --g;
  while (DueSeconds(g) < seconds) ++g;
  return g;
}

uint64_t OpenLoopSchedule::FirstLocalIndexFrom(size_t client,
                                               uint64_t g) const {
  if (g <= client) return 0;
  return (g - client + clients_ - 1) / clients_;
}

}  // namespace vecdb::bench::load
