// vecdb_churn_bench: recall and memory after churn. Every point of a
// collection is replaced with a new vector, `rounds` times over (the new
// vectors come from the same generator with another seed); then, once
// background compaction has run, recall@10 at the collection's ef is
// compared with a fresh build of the final vectors, and index slots with
// live points.
//
//   vecdb_churn_bench --dataset=100k --rounds=3
//
// Targets (docs/benchmarks.md): recall within 0.01 of the fresh build,
// slots <= 1.2 x live points. Prints a table, writes JSON (--json-out).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/datasets.h"
#include "benchmarks/engine_system.h"
#include "benchmarks/machine.h"
#include "benchmarks/query_loop.h"
#include "collection/engine.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: vecdb_churn_bench [--dataset=100k] [--rounds=3] [--batch=1000] "
    "[--queries=1000] [--work-dir=DIR] [--json-out=FILE]\n";
constexpr uint64_t kSeed = 42;

struct Config {
  std::string dataset = "100k";
  size_t rounds = 3;
  size_t batch = 1000;
  size_t queries = 1000;
  std::string work_dir;
  std::string json_out;
};

struct Measured {
  double recall = 0;
  double qps = 0;
  uint64_t live = 0;
  uint64_t slots = 0;
  uint64_t compactions = 0;
  double seconds = 0;  // building or churning
};

EngineOptions Options() {
  EngineOptions options;
  options.sync_writes = false;  // durability is not what is measured
  return options;
}

absl::StatusOr<std::shared_ptr<Collection>> NewCollection(Engine& engine,
                                                          size_t dim) {
  CreateCollectionOptions create;
  create.name = "churn";
  create.dimension = static_cast<uint32_t>(dim);
  create.metric = Metric::kL2;
  return engine.CreateCollection(create);
}

// Runs maintenance until the graph has nothing left to compact or repair
// (what the engine's own maintenance thread does, without its wait).
absl::Status Settle(Collection& coll, double compact_fraction) {
  for (int i = 0; i < 100; ++i) {
    VECDB_ASSIGN_OR_RETURN(bool did, coll.Maintain(compact_fraction));
    if (!did) return absl::OkStatus();
  }
  return absl::InternalError("maintenance did not settle in 100 rounds");
}

Measured Measure(Collection& coll, const Dataset& final_set) {
  Measured m;
  QueryRun run =
      RunQueries(final_set, 10, 1, QueryCollection(coll, 10, /*ef=*/0));
  m.recall = run.recall;
  m.qps = run.qps;
  const CollectionInfo info = coll.Info();
  m.live = info.count;
  m.slots = info.index_slots;
  m.compactions = info.compactions;
  return m;
}

absl::StatusOr<Dataset> Load(const Config& config, uint64_t seed,
                             const std::string& cache) {
  DatasetSpec spec;
  spec.name = config.dataset;
  spec.num_queries = config.queries;
  spec.seed = seed;
  return LoadDataset(spec, "", cache);
}

absl::Status Run(const Config& config) {
  const std::string parent = WorkParent(config.work_dir);
  const std::string cache = (fs::path(parent) / "vecdb-bench-cache").string();
  const std::string dir = ScratchDir(parent, "vecdb-churn");
  const EngineOptions options = Options();

  VECDB_ASSIGN_OR_RETURN(Dataset first, Load(config, kSeed, cache));
  const size_t n = first.num_base();
  VECDB_ASSIGN_OR_RETURN(auto engine, Engine::Open(dir + "/churned", options));
  VECDB_ASSIGN_OR_RETURN(auto coll, NewCollection(*engine, first.dim));
  Stopwatch build;
  VECDB_RETURN_IF_ERROR(UpsertRows(first, config.batch, *coll));
  fprintf(stderr, "built %zu points in %.1f s\n", n, build.Seconds());

  Dataset final_set = std::move(first);
  Stopwatch churn;
  uint64_t peak_slots = 0;
  for (size_t round = 1; round <= config.rounds; ++round) {
    VECDB_ASSIGN_OR_RETURN(final_set, Load(config, kSeed + round, cache));
    if (final_set.num_base() != n) {
      return absl::InternalError("the data sets differ in size");
    }
    Stopwatch one;
    VECDB_RETURN_IF_ERROR(UpsertRows(final_set, config.batch, *coll));
    const CollectionInfo info = coll->Info();
    peak_slots = std::max<uint64_t>(peak_slots, info.index_slots);
    fprintf(stderr,
            "round %zu: %zu replacements in %.1f s; slots %llu, live %llu, "
            "compactions %llu\n",
            round, n, one.Seconds(),
            static_cast<unsigned long long>(info.index_slots),
            static_cast<unsigned long long>(info.count),
            static_cast<unsigned long long>(info.compactions));
  }
  const double churn_s = churn.Seconds();
  VECDB_RETURN_IF_ERROR(Settle(*coll, options.compact_fraction));
  Measured churned = Measure(*coll, final_set);
  churned.seconds = churn_s;
  coll.reset();
  VECDB_RETURN_IF_ERROR(engine->Close());
  engine.reset();

  VECDB_ASSIGN_OR_RETURN(engine, Engine::Open(dir + "/fresh", options));
  VECDB_ASSIGN_OR_RETURN(coll, NewCollection(*engine, final_set.dim));
  Stopwatch fresh_build;
  VECDB_RETURN_IF_ERROR(UpsertRows(final_set, config.batch, *coll));
  VECDB_RETURN_IF_ERROR(Settle(*coll, options.compact_fraction));
  Measured fresh = Measure(*coll, final_set);
  fresh.seconds = fresh_build.Seconds();
  coll.reset();
  VECDB_RETURN_IF_ERROR(engine->Close());
  engine.reset();
  std::error_code ec;
  fs::remove_all(dir, ec);

  const double slot_ratio =
      static_cast<double>(churned.slots) / static_cast<double>(churned.live);
  printf("churn: %zu points of %s, each replaced %zu times with a new "
         "vector (batches of %zu), then compaction; recall@10 at the "
         "collection's ef over %zu queries of the final vectors\n",
         n, config.dataset.c_str(), config.rounds, config.batch,
         final_set.queries.size());
  printf("| collection | recall@10 | QPS (1 thread) | live | slots | "
         "compactions | seconds |\n|---|---|---|---|---|---|---|\n");
  for (const auto& [name, m] :
       {std::pair<const char*, const Measured&>{"churned", churned},
        {"fresh build", fresh}}) {
    printf("| %s | %.4f | %.0f | %llu | %llu | %llu | %.1f |\n", name,
           m.recall, m.qps, static_cast<unsigned long long>(m.live),
           static_cast<unsigned long long>(m.slots),
           static_cast<unsigned long long>(m.compactions), m.seconds);
  }
  printf("recall difference (fresh - churned): %.4f (target <= 0.01); "
         "slots / live after compaction: %.3f (target <= 1.2); peak slots "
         "during churn: %llu\n",
         fresh.recall - churned.recall, slot_ratio,
         static_cast<unsigned long long>(peak_slots));
  if (!config.json_out.empty()) {
    nlohmann::json j;
    j["machine"] = MachineInfo();
    j["dataset"] = config.dataset;
    j["points"] = n;
    j["rounds"] = config.rounds;
    j["batch"] = config.batch;
    auto put = [](const Measured& m) {
      return nlohmann::json{{"recall", m.recall}, {"qps", m.qps},
                            {"live", m.live},     {"slots", m.slots},
                            {"compactions", m.compactions},
                            {"seconds", m.seconds}};
    };
    j["churned"] = put(churned);
    j["fresh"] = put(fresh);
    j["recall_difference"] = fresh.recall - churned.recall;
    j["slots_per_live"] = slot_ratio;
    j["peak_slots"] = peak_slots;
    std::ofstream(config.json_out) << j.dump(2) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace vecdb::bench

int main(int argc, char** argv) {
  using namespace vecdb::bench;
  Config config;
  const bool ok = ForEachFlag(
      argc, argv, kUsage, [&](const std::string& name, const std::string& v) {
        if (name == "--dataset") config.dataset = v;
        else if (name == "--rounds") return ParseCount(v, config.rounds);
        else if (name == "--batch") return ParseCount(v, config.batch);
        else if (name == "--queries") return ParseCount(v, config.queries);
        else if (name == "--work-dir") config.work_dir = v;
        else if (name == "--json-out") config.json_out = v;
        else return false;
        return true;
      });
  if (!ok) return 2;
  return ExitCode("vecdb_churn_bench", Run(config));
}
