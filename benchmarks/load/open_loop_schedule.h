// The fixed send schedule of an open-loop (target rate) run. A total rate R
// is spread over n clients round-robin: request g of the run (g = 0, 1, ...)
// is due at g / R seconds after the start and belongs to client g mod n, so
// each client sends every n / R seconds, the clients offset by 1 / R. A
// client that falls behind sends its overdue requests at once, and each
// request's latency counts from its due time, not from when it went out:
// time spent waiting behind a slow answer is part of the latency
// (coordinated omission corrected).
//
// Thread safety: immutable; all methods are const.
#ifndef VECDB_BENCHMARKS_LOAD_OPEN_LOOP_SCHEDULE_H_
#define VECDB_BENCHMARKS_LOAD_OPEN_LOOP_SCHEDULE_H_

#include <cstddef>
#include <cstdint>

namespace vecdb::bench::load {

class OpenLoopSchedule {
 public:
  // REQUIRES: total_rate > 0, clients > 0.
  OpenLoopSchedule(double total_rate, size_t clients)
      : rate_(total_rate), clients_(clients) {}

  // Run-wide index of `client`'s j-th request.
  uint64_t GlobalIndex(size_t client, uint64_t j) const {
    return j * clients_ + client;
  }
  // Seconds after the start at which run-wide request g is due.
  double DueSeconds(uint64_t g) const { return static_cast<double>(g) / rate_; }
  // The first run-wide index due at or after `seconds` (the first request
  // of the measured phase after a warmup of `seconds`).
  uint64_t FirstIndexAtOrAfter(double seconds) const;
  // `client`'s first local index j whose run-wide index is >= g.
  uint64_t FirstLocalIndexFrom(size_t client, uint64_t g) const;

 private:
  double rate_;
  size_t clients_;
};

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_OPEN_LOOP_SCHEDULE_H_
