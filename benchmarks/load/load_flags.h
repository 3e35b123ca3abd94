// Command-line flags of vecdb_load (see benchmarks/load/README.md), parsed
// into one plain struct.
//
// Thread safety: free functions only.
#ifndef VECDB_BENCHMARKS_LOAD_LOAD_FLAGS_H_
#define VECDB_BENCHMARKS_LOAD_LOAD_FLAGS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmarks/load/op_mix.h"

namespace vecdb::bench::load {

enum class LoadMode { kClosed, kRate };

// What an upsert writes to the base rows it rewrites (--upsert-vectors).
enum class UpsertVectors {
  // Their own vectors, unchanged: the collection stays exactly the data set.
  kSame,
  // A fresh vector each time, the row plus small seeded noise
  // (benchmarks/load/vector_noise.h).
  kNew,
};

// "same" or "new".
const char* UpsertVectorsName(UpsertVectors v);

// What every run of a load test does: the flags a run takes as they are
// (RunConfig in load_run.h adds the target and the client count).
struct LoadShape {
  LoadMode mode = LoadMode::kClosed;
  // Total requests per second over all clients (kRate only).
  double rate = 0;
  OpMix mix;
  // Points per upsert request. Default: 10.
  size_t upsert_batch = 10;
  // Default: kSame.
  UpsertVectors upsert_vectors = UpsertVectors::kSame;
  // Query vectors per query request. Default: 1.
  size_t query_batch = 1;
  // Bounds of the measured phase of each run, whichever comes first. When
  // neither is given: 10 s.
  std::optional<double> duration_seconds;
  std::optional<uint64_t> requests;
  double warmup_seconds = 2;
  // 0: the collection's ef_search.
  uint32_t ef = 0;
  uint32_t k = 10;
  // Deadline of each request. Default: 10 s.
  double deadline_seconds = 10;
  // kRate: a request that goes out this much after its due time is late.
  // Default: 1 ms.
  double late_ms = 1;
};

struct LoadFlags : LoadShape {
  // Exactly one of server ("host:port") and spawn_server (a vecdb-server
  // binary) is set.
  std::string server;
  std::string spawn_server;
  // Extra flags for the spawned server, e.g. {"--sync=none"}.
  std::vector<std::string> spawn_flags;
  // The external server's pid, for --soak. Default: none.
  std::optional<int> server_pid;

  std::string dataset = "sift5k";
  // Query vectors loaded (the first ones of the set). Default: 1000.
  size_t num_queries = 1000;
  std::string collection = "load";
  uint32_t m = 16;
  uint32_t ef_construction = 200;
  // Use an existing collection as it is when it holds the base set.
  bool reuse = false;
  // Drop an existing collection of that name and create it again.
  bool drop_existing = false;
  // Points per Upsert while loading the base set. Default: 1000.
  size_t setup_batch = 1000;

  // One run per value, in order. Default: {1}.
  std::vector<size_t> clients = {1};

  bool soak = false;
  double sample_every_seconds = 10;
  // Growth rule of the soak verdict (benchmarks/load/trend.h), percent of
  // the level per hour. Default: 5.
  double grow_percent_per_hour = 5;

  // kNew: the noise's expected length as a fraction of the median distance
  // from a query to its 10th true neighbour, in (0, 1]. Default: 0.01 (set
  // only with --upsert-vectors=new).
  std::optional<double> upsert_noise;

  std::string json_out;
  // Exit 1 when a run's failed share of requests exceeds this. Default:
  // none.
  std::optional<double> max_error_rate;

  std::string data_dir;
  std::string cache_dir;
};

// Parses argv[1..] ("--name=value" or "--flag"). InvalidArgument naming the
// flag for an unknown flag, a bad value or a missing/contradictory target.
// `data_dir` and `cache_dir` defaults come from the caller.
absl::StatusOr<LoadFlags> ParseLoadFlags(const std::vector<std::string>& args,
                                         LoadFlags defaults);

// "30s", "500ms", "2m", "1h" or a plain number of seconds; > 0.
std::optional<double> ParseDurationSeconds(std::string_view text);

// "1,4,16": positive counts.
std::optional<std::vector<size_t>> ParseCountList(std::string_view text);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_LOAD_FLAGS_H_
