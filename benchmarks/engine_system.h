// System (b): the vecdb engine embedded in-process. Opens an Engine with
// durable writes (sync_writes = true) in a fresh directory, upserts the base
// set in batches, measures queries at the given ef, then times Close()
// (which writes the graph checkpoint) and Engine::Open of the same
// directory.
//
// Thread safety: one call at a time per process.
#ifndef VECDB_BENCHMARKS_ENGINE_SYSTEM_H_
#define VECDB_BENCHMARKS_ENGINE_SYSTEM_H_

#include <cstddef>

#include "benchmarks/datasets.h"
#include "benchmarks/system_result.h"

namespace vecdb::bench {

// Errors come back in SystemResult::error. The data directory is
// config.work_dir + "/embedded", removed before and after.
SystemResult RunEmbedded(const Dataset& data, const BenchConfig& config,
                         size_t ef);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_ENGINE_SYSTEM_H_
