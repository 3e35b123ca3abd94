// One load run: `clients` threads, each with its own gRPC channel (and so
// its own TCP connection) and the generated vecdb.v1 stub, sending queries
// and upserts to a collection that holds a data set's base rows.
//
// Closed loop: each client sends its next request when the previous one
// answers; latency is the call's duration. Rate: requests follow an
// OpenLoopSchedule and latency counts from each request's due time.
//
// Upserts rewrite existing base rows (id = row number). With
// UpsertVectors::kSame the vector is that row, so the collection keeps
// exactly the data set's points and recall against its ground truth is
// exact while the index absorbs the writes. With kNew it is the row plus
// fresh Gaussian noise of `upsert_sigma` per component (vector_noise.h):
// every upsert replaces a vector by a new one, and recall, still counted
// against the original ground truth, moves only as far as the noise moves
// the truth.
//
// Thread safety: RunLoad is thread-safe; it starts and joins its threads.
#ifndef VECDB_BENCHMARKS_LOAD_LOAD_RUN_H_
#define VECDB_BENCHMARKS_LOAD_LOAD_RUN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "benchmarks/datasets.h"
#include "benchmarks/load/latency_histogram.h"
#include "benchmarks/load/load_flags.h"
#include "benchmarks/load/op_mix.h"
#include "benchmarks/load/op_stats.h"

namespace vecdb::bench::load {

struct RunConfig : LoadShape {
  std::string target;
  std::string collection;
  size_t clients = 1;
  uint64_t seed = 1;
  // kNew: standard deviation of the noise per component.
  double upsert_sigma = 0;
};

struct RunResult {
  size_t clients = 0;
  // From the end of the warmup to the last measured answer.
  double seconds = 0;
  std::array<OpStats, kNumOps> ops;
  // Query vectors answered successfully.
  uint64_t query_vectors = 0;
  // Recall@min(k, truth size): truth ids found / truth ids asked for, over
  // every answered query vector.
  uint64_t recall_found = 0;
  uint64_t recall_asked = 0;
  size_t recall_k = 0;
  // Rate mode: requests that went out more than late_ms after their due
  // time, and requests due in the measured window that were never sent
  // because the client was still behind when the window closed.
  uint64_t late = 0;
  uint64_t dropped = 0;

  uint64_t requests() const;
  uint64_t failed() const;
  double Recall() const;
};

// Runs the load against `data`'s base rows (already in the collection) and
// queries. Request failures are counted, never fatal.
RunResult RunLoad(const RunConfig& config, const Dataset& data);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_LOAD_RUN_H_
