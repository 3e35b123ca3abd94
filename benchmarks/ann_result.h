// What the ANN benchmark measures for one system and build configuration on
// one data set: build time and memory, and the recall/QPS curve over the
// search parameter. Plain structs with JSON conversions, so a child process
// can send its result back as text.
#ifndef VECDB_BENCHMARKS_ANN_RESULT_H_
#define VECDB_BENCHMARKS_ANN_RESULT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace vecdb::bench {

// One point of the sweep: all queries at one value of the search parameter.
struct AnnPoint {
  // ef or nprobe.
  size_t param = 0;
  // recall@k of the first pass over the queries.
  double recall = 0;
  // Queries per second over all timed passes.
  double qps = 0;
  // Per query (one query per call).
  double p50_ms = 0;
  double p99_ms = 0;
  // Calls that returned an error.
  size_t errors = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AnnPoint, param, recall, qps,
                                                p50_ms, p99_ms, errors)

struct AnnResult {
  // "hnswlib", "vecdb-embedded", "vecdb-grpc", "faiss-hnsw", "faiss-ivf".
  std::string system;
  // The build configuration, e.g. "M=16,efC=200" or "nlist=253".
  std::string build;
  // "ef" or "nprobe".
  std::string param_name;
  // Non-empty if the system could not be measured; starts with "not built"
  // when the binary lacks the system.
  std::string error;
  size_t points = 0;
  size_t build_threads = 0;
  // Wall time of the build (for IVF: training plus adding).
  double build_s = 0;
  // VmRSS growth of the child from before the index was created to after
  // its build, MB (2^20 bytes).
  double rss_mb = 0;
  // The index's own size as the system counts it (AnnIndex::ModelBytes), MB.
  double model_mb = 0;
  size_t query_threads = 1;
  std::vector<AnnPoint> curve;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AnnResult, system, build,
                                                param_name, error, points,
                                                build_threads, build_s, rss_mb,
                                                model_mb, query_threads, curve)

// The ann-benchmarks reading of a curve: the highest QPS among the points
// whose recall is >= min_recall; 0 when no point reaches it.
double QpsAtRecall(const std::vector<AnnPoint>& curve, double min_recall);

// Whether `r` is an error row for a system missing from this binary.
bool NotBuilt(const AnnResult& r);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_ANN_RESULT_H_
