// System (a): raw hnswlib in-process, the baseline. Builds the graph with
// addPoint on HardwareThreads() threads, sweeps ef to find the smallest
// value reaching the target recall, measures queries at that ef, then times
// saveIndex and loadIndex.
//
// NewHnswlibAnnIndex wraps the same build and search for vecdb_ann_bench.
//
// Thread safety: one call at a time per process.
#ifndef VECDB_BENCHMARKS_RAW_HNSW_SYSTEM_H_
#define VECDB_BENCHMARKS_RAW_HNSW_SYSTEM_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "benchmarks/ann_index.h"
#include "benchmarks/datasets.h"
#include "benchmarks/system_result.h"

namespace vecdb::bench {

// The ef values the sweep tries, in increasing order.
const std::vector<size_t>& EfSweepValues();

// Never fails: hnswlib errors come back in SystemResult::error. result.ef
// is the chosen ef (the largest swept value if none reached the target).
SystemResult RunRawHnsw(const Dataset& data, const BenchConfig& config);

// Raw hnswlib as an AnnIndex (params.m, params.ef_construction): Build adds
// the rows with addPoint on HardwareThreads() threads; the search parameter
// is ef. Never fails.
absl::StatusOr<std::unique_ptr<AnnIndex>> NewHnswlibAnnIndex(
    const AnnBuildParams& params);

// Builds raw hnswlib's graph of `data` (L2, m, ef_construction) with
// addPoint on HardwareThreads() threads and writes it with saveIndex to
// `path`. Internal on an hnswlib error.
absl::Status SaveHnswlibIndex(const Dataset& data, size_t m,
                              size_t ef_construction, const std::string& path);

// Seconds hnswlib's loadIndex (the loading HierarchicalNSW constructor)
// takes to read the graph at `path` back; it must hold `points` vectors of
// dimension `dim` (else Internal).
absl::StatusOr<double> TimeHnswlibLoad(const std::string& path, size_t dim,
                                       size_t points);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_RAW_HNSW_SYSTEM_H_
