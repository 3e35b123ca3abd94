// System (a): raw hnswlib in-process, the baseline. Builds the graph with
// addPoint on HardwareThreads() threads, sweeps ef to find the smallest
// value reaching the target recall, measures queries at that ef, then times
// saveIndex and loadIndex.
//
// Thread safety: one call at a time per process.
#ifndef VECDB_BENCHMARKS_RAW_HNSW_SYSTEM_H_
#define VECDB_BENCHMARKS_RAW_HNSW_SYSTEM_H_

#include "benchmarks/datasets.h"
#include "benchmarks/system_result.h"

namespace vecdb::bench {

// The ef values the sweep tries, in increasing order.
const std::vector<size_t>& EfSweepValues();

// Never fails: hnswlib errors come back in SystemResult::error. result.ef
// is the chosen ef (the largest swept value if none reached the target).
SystemResult RunRawHnsw(const Dataset& data, const BenchConfig& config);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_RAW_HNSW_SYSTEM_H_
