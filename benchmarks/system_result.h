// What one benchmark run measures for one system on one data set, and the
// knobs shared by every system. Plain structs with JSON conversions, so a
// system can run in a child process and send its result back as text.
#ifndef VECDB_BENCHMARKS_SYSTEM_RESULT_H_
#define VECDB_BENCHMARKS_SYSTEM_RESULT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace vecdb::bench {

struct BenchConfig {
  // HNSW graph degree and build breadth, the same for every system.
  size_t m = 16;
  size_t ef_construction = 200;
  size_t k = 10;
  // The ef sweep on raw hnswlib stops at the first ef reaching this.
  double target_recall = 0.95;
  // Threads of the multi-threaded in-process query runs.
  size_t query_threads = 2;
  // Concurrent gRPC client threads of the largest gRPC run.
  size_t grpc_clients = 4;
  // Query vectors per gRPC QueryRequest in the batched runs.
  size_t grpc_batch = 64;
  // ServerOptions::max_threads of the gRPC server (0 = its default).
  int grpc_server_threads = 0;
  // Points per upsert call (embedded and gRPC).
  size_t upsert_batch = 1000;
  // Each query measurement repeats full passes over the queries until it
  // has run this long (recall is taken from the first pass).
  double min_run_seconds = 1.0;
  // Scratch directory for index files and data directories.
  std::string work_dir;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BenchConfig, m,
                                                ef_construction, k,
                                                target_recall, query_threads,
                                                grpc_clients, grpc_batch,
                                                grpc_server_threads,
                                                upsert_batch, min_run_seconds,
                                                work_dir)

// One point of the ef sweep on raw hnswlib (single thread).
struct SweepPoint {
  size_t ef = 0;
  double recall = 0;
  double qps = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SweepPoint, ef, recall, qps)

// One gRPC query run: `clients` threads, `batch` vectors per request.
struct GrpcRun {
  size_t clients = 0;
  size_t batch = 0;
  // Query vectors per second over the whole run.
  double qps = 0;
  // Per request.
  double p50_ms = 0;
  double p99_ms = 0;
  double recall = 0;
  // Requests that failed, and the first failure's status.
  size_t failed_requests = 0;
  std::string first_error;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GrpcRun, clients, batch, qps,
                                                p50_ms, p99_ms, recall,
                                                failed_requests, first_error)

struct SystemResult {
  std::string system;
  // Non-empty if the system could not be measured.
  std::string error;
  size_t points = 0;
  size_t insert_threads = 0;
  double insert_s = 0;
  double insert_pts_per_s = 0;
  size_t ef = 0;
  // Queries per second on one thread and on query_threads threads.
  double qps_1thr = 0;
  double qps_multi = 0;
  size_t multi_threads = 0;
  // Latency of one call in the single-thread run.
  double p50_ms = 0;
  double p99_ms = 0;
  double recall = 0;
  // raw: saveIndex; engine: Close() (writes the checkpoint).
  double save_s = 0;
  // raw: loadIndex; engine: Engine::Open of the closed directory.
  double restart_s = 0;
  double recall_after_restart = 0;
  // VmRSS growth while building this system, in MB (2^20 bytes).
  double rss_mb = 0;
  // raw: hnswlib's graph + vectors + labels computed from its layout;
  // engine: the index's own MemoryBytes().
  double index_model_mb = 0;
  std::vector<SweepPoint> sweep;
  std::vector<GrpcRun> grpc_runs;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    SystemResult, system, error, points, insert_threads, insert_s,
    insert_pts_per_s, ef, qps_1thr, qps_multi, multi_threads, p50_ms, p99_ms,
    recall, save_s, restart_s, recall_after_restart, rss_mb, index_model_mb,
    sweep, grpc_runs)

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_SYSTEM_RESULT_H_
