// What one phase of vecdb_writer_bench measured: its query and writer
// tallies, kept apart from the code that runs it so the report can be
// tested without a server.
//
// Thread safety: plain data.
#ifndef VECDB_BENCHMARKS_WRITER_RESULT_H_
#define VECDB_BENCHMARKS_WRITER_RESULT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "benchmarks/load/op_stats.h"

namespace vecdb::bench {

struct PhaseSpec {
  std::string name;   // "a"
  std::string label;  // "queries alone"
  // Points per writer request; 0: no writer.
  size_t writer_batch = 0;
};

struct PhaseResult {
  PhaseSpec spec;
  // From the start of the phase to the last answer.
  double seconds = 0;
  // Per query request (one vector each).
  load::OpStats query;
  // Successful queries that returned fewer than k hits.
  uint64_t short_answers = 0;
  // Per writer request (a batch).
  load::OpStats writer;
  // Points in the writer's successful requests.
  uint64_t points_replaced = 0;

  double QueriesPerSecond() const {
    return seconds > 0 ? static_cast<double>(query.ok) / seconds : 0;
  }
  double PointsPerSecond() const {
    return seconds > 0 ? static_cast<double>(points_replaced) / seconds : 0;
  }
};

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_WRITER_RESULT_H_
