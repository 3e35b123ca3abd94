// System (c): the vecdb engine served over gRPC on loopback. Starts an
// in-process server (StartServer on 127.0.0.1, port chosen by the OS) over
// an Engine with durable writes, and drives it through the generated
// vecdb.v1.VectorDB stub: upserts in batches, then query runs with several
// client threads and batch sizes, then a timed restart (server and engine
// shut down, engine reopened, server started, first call answered).
//
// NewGrpcAnnIndex serves the same engine for vecdb_ann_bench.
//
// Thread safety: one call at a time per process.
#ifndef VECDB_BENCHMARKS_GRPC_SYSTEM_H_
#define VECDB_BENCHMARKS_GRPC_SYSTEM_H_

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "benchmarks/ann_index.h"
#include "benchmarks/datasets.h"
#include "benchmarks/system_result.h"

namespace vecdb::bench {

// Errors come back in SystemResult::error. In the result, qps_1thr and
// qps_multi are the batched runs with 1 and query_threads clients, p50/p99
// per request of the 1-client batched run; grpc_runs has every run. The
// data directory is config.work_dir + "/grpc", removed before and after.
SystemResult RunGrpc(const Dataset& data, const BenchConfig& config, size_t ef);

// The engine over gRPC as an AnnIndex: Build starts a server on loopback
// over a durable engine in params.work_dir + "/grpc" (emptied first,
// removed by Close), creates an L2 collection (params.m,
// params.ef_construction) and upserts the rows through the stub in batches
// of params.upsert_batch. Search sends one QueryRequest per query (one
// vector, QueryRequest.ef = the search parameter) on one connection and
// maps the hits' ids back to row numbers. Unimplemented ("not built ...")
// without the server library.
absl::StatusOr<std::unique_ptr<AnnIndex>> NewGrpcAnnIndex(
    const AnnBuildParams& params);

// Whether this binary was built with the server library.
bool GrpcSystemAvailable();

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_GRPC_SYSTEM_H_
