// System (b): the vecdb engine embedded in-process. Opens an Engine with
// durable writes (sync_writes = true) in a fresh directory, upserts the base
// set in batches, measures queries at the given ef, then times Close()
// (which writes the graph checkpoint) and Engine::Open of the same
// directory.
//
// NewEmbeddedAnnIndex wraps the same engine, upserts and queries for
// vecdb_ann_bench.
//
// Thread safety: one call at a time per process.
#ifndef VECDB_BENCHMARKS_ENGINE_SYSTEM_H_
#define VECDB_BENCHMARKS_ENGINE_SYSTEM_H_

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "benchmarks/ann_index.h"
#include "benchmarks/datasets.h"
#include "benchmarks/query_loop.h"
#include "benchmarks/system_result.h"
#include "collection/collection.h"

namespace vecdb::bench {

// Upserts every base row of `data` as point "<row>" (vector only), in
// batches of `batch_size`.
absl::Status UpsertRows(const Dataset& data, size_t batch_size,
                        Collection& coll);

// Answers queries with the collection's nearest rows at `ef` (0 = the
// collection's ef_search); hit ids are parsed back to row numbers.
QueryFn QueryCollection(Collection& coll, size_t k, size_t ef);

// Errors come back in SystemResult::error. The data directory is
// config.work_dir + "/embedded", removed before and after.
SystemResult RunEmbedded(const Dataset& data, const BenchConfig& config,
                         size_t ef);

// The embedded engine as an AnnIndex: Build opens a durable engine in
// params.work_dir + "/embedded" (emptied first, removed by Close), creates
// an L2 collection (params.m, params.ef_construction) and upserts the rows
// in batches of params.upsert_batch; the search parameter is the per-query
// ef (QueryOptions::ef).
absl::StatusOr<std::unique_ptr<AnnIndex>> NewEmbeddedAnnIndex(
    const AnnBuildParams& params);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_ENGINE_SYSTEM_H_
