// vecdb_bench: measures raw hnswlib, the embedded engine and the engine over
// gRPC on the same data in one run, and prints a table per data set plus
// the product ratios; writes everything as JSON. See benchmarks/README.md.
//
// Each system runs in its own child process (child_process.h), one after
// the other, so memory and threads of one never affect another.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/child_process.h"
#include "benchmarks/datasets.h"
#include "benchmarks/machine.h"
#include "benchmarks/engine_system.h"
#include "benchmarks/grpc_system.h"
#include "benchmarks/raw_hnsw_system.h"
#include "benchmarks/report.h"
#include "benchmarks/system_result.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {
namespace {

constexpr char kUsage[] = R"(usage: vecdb_bench [flags]
  --quick                 sift5k and 20k only, 500 queries, short query
                          runs (CI smoke)
  --sizes=LIST            data sets, comma-separated: sift5k (or 5k), and
                          generated sizes such as 20k, 100k, 1m
                          (default: sift5k,100k)
  --queries=N             query vectors per data set (default 1000)
  --m=N --ef-construction=N --k=N   (defaults 16, 200, 10)
  --target-recall=X       recall the ef sweep must reach (default 0.95)
  --query-threads=N       threads of the multi-thread query runs (default 2)
  --grpc-clients=N        client threads of the largest gRPC run (default 4)
  --grpc-batch=N          query vectors per gRPC request (default 64)
  --grpc-server-threads=N the server's max_threads (default 0: its own
                          default, max(128, 16 * cores))
  --min-run-seconds=X     length of each query measurement (default 1)
  --json-out=PATH         JSON results (default: <build dir>/bench.json)
  --cache-dir=PATH        ground-truth cache (default: <build dir>/bench-cache)
  --work-dir=PATH         where the scratch folder vecdb-bench-<pid> for
                          indexes and data directories is made and removed
                          after (default: $TMPDIR)
  --data-dir=PATH         shared data (default: <source>/../shared/data or
                          $VECDB_DATA_DIR)
)";

struct Flags {
  bool quick = false;
  std::vector<std::string> sizes = {"sift5k", "100k"};
  size_t queries = 1000;
  std::string json_out = VECDB_BENCH_BUILD_DIR "/bench.json";
  std::string cache_dir = VECDB_BENCH_BUILD_DIR "/bench-cache";
  std::string work_dir;
  std::string data_dir = VECDB_SHARED_DATA_DIR;
  BenchConfig config;
};

// Returns false (after printing why) on a bad flag.
bool ParseFlags(int argc, char** argv, Flags& f) {
  if (const char* env = std::getenv("VECDB_DATA_DIR"); env != nullptr) {
    f.data_dir = env;
  }
  bool sizes_set = false;
  bool queries_set = false;
  const bool parsed = ForEachFlag(argc, argv, kUsage, [&](const std::string& name,
                                                       const std::string& value) {
    bool ok = true;
    if (name == "--quick") {
      f.quick = true;
    } else if (name == "--sizes") {
      f.sizes = absl::StrSplit(value, ',', absl::SkipEmpty());
      sizes_set = true;
      ok = !f.sizes.empty();
    } else if (name == "--queries") {
      ok = ParseCount(value, f.queries);
      queries_set = true;
    } else if (name == "--m") {
      ok = ParseCount(value, f.config.m);
    } else if (name == "--ef-construction") {
      ok = ParseCount(value, f.config.ef_construction);
    } else if (name == "--k") {
      ok = ParseCount(value, f.config.k);
    } else if (name == "--target-recall") {
      ok = absl::SimpleAtod(value, &f.config.target_recall);
    } else if (name == "--query-threads") {
      ok = ParseCount(value, f.config.query_threads);
    } else if (name == "--grpc-clients") {
      ok = ParseCount(value, f.config.grpc_clients);
    } else if (name == "--grpc-batch") {
      ok = ParseCount(value, f.config.grpc_batch);
    } else if (name == "--grpc-server-threads") {
      ok = absl::SimpleAtoi(value, &f.config.grpc_server_threads);
    } else if (name == "--min-run-seconds") {
      ok = absl::SimpleAtod(value, &f.config.min_run_seconds);
    } else if (name == "--json-out" && !value.empty()) {
      f.json_out = value;
    } else if (name == "--cache-dir" && !value.empty()) {
      f.cache_dir = value;
    } else if (name == "--work-dir" && !value.empty()) {
      f.work_dir = value;
    } else if (name == "--data-dir" && !value.empty()) {
      f.data_dir = value;
    } else {
      ok = false;
    }
    return ok;
  });
  if (!parsed) return false;
  if (f.quick) {
    if (!sizes_set) f.sizes = {"sift5k", "20k"};
    if (!queries_set) f.queries = 500;
    f.config.min_run_seconds = std::min(f.config.min_run_seconds, 0.1);
  }
  f.work_dir = ScratchDir(f.work_dir, "vecdb-bench");
  f.config.work_dir = f.work_dir;
  return true;
}

// Runs one system in a child process; a crash becomes an error row.
SystemResult Measure(const std::string& label,
                     const std::function<SystemResult()>& fn) {
  std::fprintf(stderr, "  measuring %s ...\n", label.c_str());
  auto text = RunInChild([&] { return nlohmann::json(fn()).dump(); });
  SystemResult r;
  r.system = label;
  if (!text.ok()) {
    r.error = text.status().ToString();
    return r;
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) {
    r.error = "unreadable result from child";
    return r;
  }
  j.get_to(r);
  if (!r.error.empty()) {
    std::fprintf(stderr, "  %s failed: %s\n", label.c_str(), r.error.c_str());
  }
  return r;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  std::error_code ec;
  std::filesystem::create_directories(flags.work_dir, ec);
  std::filesystem::create_directories(flags.cache_dir, ec);
  nlohmann::json doc;
  doc["machine"] = MachineInfo();
  doc["config"] = flags.config;
  doc["command"] = [&] {
    std::string c;
    for (int i = 0; i < argc; ++i) {
      if (i > 0) c.push_back(' ');
      c.append(argv[i]);
    }
    return c;
  }();
  doc["datasets"] = nlohmann::json::array();
  std::printf("machine: %s\n", doc["machine"].dump().c_str());
  int failures = 0;
  for (const std::string& size : flags.sizes) {
    std::fprintf(stderr, "data set %s: loading and ground truth ...\n",
                 size.c_str());
    Stopwatch load;
    auto data = LoadDataset(
        {.name = size, .num_queries = flags.queries, .k = flags.config.k},
        flags.data_dir, flags.cache_dir);
    if (!data.ok()) {
      std::fprintf(stderr, "%s: %s\n", size.c_str(),
                   data.status().ToString().c_str());
      ++failures;
      continue;
    }
    std::fprintf(stderr, "  ready in %.1f s\n", load.Seconds());
    DatasetReport rep;
    rep.name = data->name;
    rep.points = data->num_base();
    rep.dim = data->dim;
    rep.queries = data->queries.size();
    const BenchConfig& config = flags.config;
    rep.raw = Measure("raw hnswlib", [&] { return RunRawHnsw(*data, config); });
    const size_t ef = rep.raw.ef;
    if (ef > 0) {
      rep.embedded = Measure("vecdb embedded",
                             [&] { return RunEmbedded(*data, config, ef); });
      rep.grpc =
          Measure("vecdb gRPC", [&] { return RunGrpc(*data, config, ef); });
    }
    for (const SystemResult* r : {&rep.raw, &rep.embedded, &rep.grpc}) {
      if (!r->error.empty() || r->points == 0) ++failures;
    }
    std::printf("%s", FormatReport(rep).c_str());
    std::fflush(stdout);
    doc["datasets"].push_back(ToJson(rep));
    std::ofstream(flags.json_out) << doc.dump(2) << "\n";
  }
  std::filesystem::remove_all(flags.work_dir, ec);
  std::printf("\nJSON: %s\n", flags.json_out.c_str());
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace vecdb::bench

int main(int argc, char** argv) { return vecdb::bench::Main(argc, argv); }
