// vecdb_filter_bench: latency and recall of filtered vector queries on the
// embedded engine, against an unfiltered query and an exact scan of the
// whole collection, at selectivities 0.1% to 100%, with equality and range
// filters. Prints the tables and PASS/FAIL per acceptance target, and
// writes every number as JSON. See benchmarks/README.md.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/datasets.h"
#include "benchmarks/machine.h"
#include "benchmarks/filter_measure.h"
#include "benchmarks/filter_report.h"
#include "benchmarks/filter_workload.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {
namespace {

constexpr char kUsage[] = R"(usage: vecdb_filter_bench [flags]
  --size=NAME             generated data set: 20k, 100k, 1m ... (default 100k)
  --queries=N             query vectors (default 500)
  --k=N                   neighbours per query (default 10)
  --ef=N                  search breadth (default: the smallest of 16, 24,
                          32, 48, 64, 96, 128, ... whose unfiltered
                          recall@k >= 0.95)
  --quick                 20k points, 200 queries, short runs (CI smoke)
  --min-run-seconds=X     each latency measurement repeats passes over the
                          queries for at least this long (default 1)
  --json-out=PATH         JSON results (default: <build dir>/filter_bench.json)
  --cache-dir=PATH        ground-truth cache (default: <build dir>/bench-cache)
  --work-dir=PATH         where the scratch folder vecdb-filter-bench-<pid>
                          is made and removed after (default: $TMPDIR)
)";

constexpr uint64_t kMetadataSeed = 7;

struct Flags {
  std::string size = "100k";
  size_t queries = 500;
  size_t k = 10;
  size_t ef = 0;  // 0 = sweep
  double min_run_seconds = 1.0;
  std::string json_out = VECDB_BENCH_BUILD_DIR "/filter_bench.json";
  std::string cache_dir = VECDB_BENCH_BUILD_DIR "/bench-cache";
  std::string work_dir;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Flags, size, queries, k, ef, min_run_seconds,
                                   json_out, cache_dir, work_dir)

// Returns false (after printing why) on a bad flag.
bool ParseFlags(int argc, char** argv, Flags& f) {
  bool size_set = false;
  bool queries_set = false;
  bool quick = false;
  const bool parsed = ForEachFlag(argc, argv, kUsage, [&](const std::string& name,
                                                       const std::string& value) {
    bool ok = true;
    if (name == "--quick") {
      quick = true;
    } else if (name == "--size" && !value.empty()) {
      f.size = value;
      size_set = true;
    } else if (name == "--queries") {
      ok = ParseCount(value, f.queries);
      queries_set = true;
    } else if (name == "--k") {
      ok = ParseCount(value, f.k) && f.k <= kMaxK;
    } else if (name == "--ef") {
      ok = ParseCount(value, f.ef) && f.ef <= kMaxEf;
    } else if (name == "--min-run-seconds") {
      ok = absl::SimpleAtod(value, &f.min_run_seconds);
    } else if (name == "--json-out" && !value.empty()) {
      f.json_out = value;
    } else if (name == "--cache-dir" && !value.empty()) {
      f.cache_dir = value;
    } else if (name == "--work-dir" && !value.empty()) {
      f.work_dir = value;
    } else {
      ok = false;
    }
    return ok;
  });
  if (!parsed) return false;
  if (quick) {
    if (!size_set) f.size = "20k";
    if (!queries_set) f.queries = 200;
    f.min_run_seconds = std::min(f.min_run_seconds, 0.1);
  }
  f.work_dir = ScratchDir(f.work_dir, "vecdb-filter-bench");
  return true;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  std::error_code ec;
  std::filesystem::remove_all(flags.work_dir, ec);
  std::filesystem::create_directories(flags.cache_dir, ec);
  nlohmann::json doc;
  doc["machine"] = MachineInfo();
  doc["flags"] = flags;
  doc["load_average_start"] = LoadAverage();
  std::printf("machine: %s\nload average at start: %s\n",
              doc["machine"].dump().c_str(), LoadAverage().c_str());

  std::fprintf(stderr, "data set %s: loading and ground truth ...\n",
               flags.size.c_str());
  Stopwatch prep;
  // Generated sets only: sift5k has no use for a data directory here.
  auto data = LoadDataset(
      {.name = flags.size, .num_queries = flags.queries, .k = flags.k}, "",
      flags.cache_dir);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", data.status().ToString().c_str());
    return 1;
  }
  const FilterWorkload workload =
      MakeFilterWorkload(data->num_base(), kMetadataSeed);
  const auto truth = FilteredTruth(*data, workload.cases, flags.k);
  std::fprintf(stderr, "  ready in %.1f s\n", prep.Seconds());

  FilterReport report;
  report.dataset = data->name;
  report.points = data->num_base();
  report.dim = data->dim;
  report.queries = data->queries.size();
  report.k = flags.k;
  const absl::Status status =
      MeasureFilteredSearch({.k = flags.k,
                             .ef = flags.ef,
                             .min_run_seconds = flags.min_run_seconds,
                             .work_dir = flags.work_dir},
                            *data, workload, truth, report);
  std::filesystem::remove_all(flags.work_dir, ec);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  ComputeCaseRatios(report);
  const std::vector<Target> targets = CheckTargets(report);
  std::printf("%s", FormatFilterReport(report, targets).c_str());
  doc["load_average_end"] = LoadAverage();
  std::printf("load average at end: %s\n",
              doc["load_average_end"].get<std::string>().c_str());
  doc["report"] = report;
  doc["targets"] = targets;
  std::ofstream(flags.json_out) << doc.dump(2) << "\n";
  std::printf("JSON: %s\n", flags.json_out.c_str());
  return 0;
}

}  // namespace
}  // namespace vecdb::bench

int main(int argc, char** argv) { return vecdb::bench::Main(argc, argv); }
