// The tally of one kind of request: latencies of the successful ones, how
// many succeeded, and the failures by gRPC status code name. vecdb_load
// keeps one per operation and client, vecdb_writer_bench one per phase and
// thread; both merge them at the end.
//
// Thread safety: none; one per thread, merged after the threads join.
#ifndef VECDB_BENCHMARKS_LOAD_OP_STATS_H_
#define VECDB_BENCHMARKS_LOAD_OP_STATS_H_

#include <cstdint>
#include <map>
#include <string>

#include "benchmarks/load/latency_histogram.h"

namespace vecdb::bench::load {

struct OpStats {
  // Latencies of successful requests.
  LatencyHistogram latency;
  uint64_t ok = 0;
  // Failed requests by gRPC status code name ("UNAVAILABLE").
  std::map<std::string, uint64_t> errors;

  uint64_t failed() const;
  void Merge(const OpStats& other);
};

// The name of a gRPC status code ("DEADLINE_EXCEEDED"); gRPC and Abseil
// number their codes alike (google.rpc.Code).
std::string StatusCodeName(int code);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_OP_STATS_H_
