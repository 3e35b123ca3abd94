// System (c): the vecdb engine served over gRPC on loopback. Starts an
// in-process server (StartServer on 127.0.0.1, port chosen by the OS) over
// an Engine with durable writes, and drives it through the generated
// vecdb.v1.VectorDB stub: upserts in batches, then query runs with several
// client threads and batch sizes, then a timed restart (server and engine
// shut down, engine reopened, server started, first call answered).
//
// Thread safety: one call at a time per process.
#ifndef VECDB_BENCHMARKS_GRPC_SYSTEM_H_
#define VECDB_BENCHMARKS_GRPC_SYSTEM_H_

#include <cstddef>

#include "benchmarks/datasets.h"
#include "benchmarks/system_result.h"

namespace vecdb::bench {

// Errors come back in SystemResult::error. In the result, qps_1thr and
// qps_multi are the batched runs with 1 and query_threads clients, p50/p99
// per request of the 1-client batched run; grpc_runs has every run. The
// data directory is config.work_dir + "/grpc", removed before and after.
SystemResult RunGrpc(const Dataset& data, const BenchConfig& config,
                     size_t ef);

// Whether this binary was built with the server library.
bool GrpcSystemAvailable();

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_GRPC_SYSTEM_H_
