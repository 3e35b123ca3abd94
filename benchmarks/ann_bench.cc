// vecdb_ann_bench: recall@k against queries per second for raw hnswlib,
// vecdb embedded, vecdb over gRPC, FAISS IndexHNSWFlat and FAISS
// IndexIVFFlat on the same data in one run, sweeping each system's search
// parameter (ef or nprobe); build time and memory for each. Prints a table
// and the curves per data set, writes JSON and an SVG chart per data set.
// See benchmarks/ann_README.md.
//
// Each system and build configuration runs in its own child process
// (child_process.h), one after another, so memory and threads of one never
// affect another.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "benchmarks/ann_index.h"
#include "benchmarks/ann_report.h"
#include "benchmarks/ann_runner.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/child_process.h"
#include "benchmarks/datasets.h"
#include "benchmarks/engine_system.h"
#include "benchmarks/faiss_system.h"
#include "benchmarks/grpc_system.h"
#include "benchmarks/machine.h"
#include "benchmarks/raw_hnsw_system.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {
namespace {

constexpr char kUsage[] = R"(usage: vecdb_ann_bench [flags]
  --datasets=LIST         data sets (benchmarks/datasets.h names), comma-
                          separated: sift5k, fashion-mnist, sift-images, 20k,
                          1m, fvecs:BASE,QUERY ... (default: sift5k)
  --queries=N             query vectors per data set (default: all the set
                          has for file data sets, 1000 for generated ones)
  --k=N                   neighbours per query, recall@k (default 10)
  --systems=LIST          hnswlib, embedded, grpc, faiss-hnsw, faiss-ivf
                          (default: all five)
  --m=LIST                HNSW degrees, one build each (default 16)
  --ef-construction=LIST  HNSW build breadths, one build each (default 200)
  --ef=LIST               ef sweep of the HNSW systems
                          (default 10,16,24,32,48,64,96,128,192,256,384,512)
  --nlist=LIST            IVF lists, one build each (default 0: the rounded
                          square root of the base size)
  --nprobe=LIST           nprobe sweep of IVF (default 1,2,4,8,16,32,64,128;
                          values above nlist are skipped)
  --threads=N             threads issuing queries, one query per call
                          (default 1: single-thread curves)
  --min-run-seconds=X     time per sweep point (default 1), split into
                          --runs runs that each repeat passes over the
                          queries; the point keeps the fastest run
  --runs=N                runs per sweep point (default 3)
  --quick                 sift5k, 200 queries, ef 10,32,128, nprobe 1,8,32,
                          one 0.05 s run per point: seconds-long (CI smoke)
  --json-out=PATH         JSON results (default <build dir>/ann_bench.json)
  --svg-dir=DIR           one ann_<data set>.svg per data set (default
                          <build dir>)
  --cache-dir=PATH        ground-truth cache (default <build dir>/bench-cache)
  --work-dir=PATH         where the scratch folder vecdb-ann-bench-<pid>
                          for the vecdb data directories is made and
                          removed after (default $TMPDIR)
  --data-dir=PATH         shared data (default <source>/../shared/data or
                          $VECDB_DATA_DIR)
)";

constexpr const char* kAllSystems[] = {"hnswlib", "embedded", "grpc",
                                       "faiss-hnsw", "faiss-ivf"};

struct Flags {
  std::vector<std::string> datasets = {"sift5k"};
  size_t queries = 0;
  size_t k = 10;
  std::vector<std::string> systems = {std::begin(kAllSystems),
                                      std::end(kAllSystems)};
  std::vector<size_t> m = {16};
  std::vector<size_t> ef_construction = {200};
  std::vector<size_t> ef = {10, 16,  24,  32,  48,  64,
                            96, 128, 192, 256, 384, 512};
  std::vector<size_t> nlist = {0};
  std::vector<size_t> nprobe = {1, 2, 4, 8, 16, 32, 64, 128};
  size_t threads = 1;
  double min_run_seconds = 1.0;
  size_t runs = 3;
  std::string json_out = VECDB_BENCH_BUILD_DIR "/ann_bench.json";
  std::string svg_dir = VECDB_BENCH_BUILD_DIR;
  std::string cache_dir = VECDB_BENCH_BUILD_DIR "/bench-cache";
  std::string work_dir;
  std::string data_dir = VECDB_SHARED_DATA_DIR;
};

// Comma-separated counts; `allow_zero` for --nlist's "automatic".
bool ParseList(const std::string& value, bool allow_zero,
               std::vector<size_t>& out) {
  out.clear();
  for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipEmpty())) {
    size_t v = 0;
    if (!absl::SimpleAtoi(part, &v) || (v == 0 && !allow_zero)) return false;
    out.push_back(v);
  }
  return !out.empty();
}

bool KnownSystem(const std::string& name) {
  return std::find(std::begin(kAllSystems), std::end(kAllSystems), name) !=
         std::end(kAllSystems);
}

// Returns false (after printing why) on a bad flag.
bool ParseFlags(int argc, char** argv, Flags& f) {
  if (const char* env = std::getenv("VECDB_DATA_DIR"); env != nullptr) {
    f.data_dir = env;
  }
  bool quick = false;
  bool datasets_set = false, queries_set = false, ef_set = false,
       nprobe_set = false, min_run_set = false, runs_set = false;
  const bool parsed = ForEachFlag(
      argc, argv, kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name == "--quick") {
          quick = true;
          return true;
        }
        if (name == "--datasets") {
          f.datasets = absl::StrSplit(value, ',', absl::SkipEmpty());
          datasets_set = true;
          return !f.datasets.empty();
        }
        if (name == "--systems") {
          f.systems = absl::StrSplit(value, ',', absl::SkipEmpty());
          return !f.systems.empty() &&
                 std::all_of(f.systems.begin(), f.systems.end(), KnownSystem);
        }
        if (name == "--queries") {
          queries_set = true;
          return ParseCount(value, f.queries);
        }
        if (name == "--k") return ParseCount(value, f.k);
        if (name == "--m") return ParseList(value, false, f.m);
        if (name == "--ef-construction") {
          return ParseList(value, false, f.ef_construction);
        }
        if (name == "--ef") return ef_set = ParseList(value, false, f.ef);
        if (name == "--nlist") return ParseList(value, true, f.nlist);
        if (name == "--nprobe") {
          return nprobe_set = ParseList(value, false, f.nprobe);
        }
        if (name == "--threads") return ParseCount(value, f.threads);
        if (name == "--runs") {
          runs_set = true;
          return ParseCount(value, f.runs);
        }
        if (name == "--min-run-seconds") {
          min_run_set = true;
          return absl::SimpleAtod(value, &f.min_run_seconds) &&
                 f.min_run_seconds >= 0 && f.min_run_seconds <= 3600;
        }
        if (value.empty()) return false;
        if (name == "--json-out") {
          f.json_out = value;
        } else if (name == "--svg-dir") {
          f.svg_dir = value;
        } else if (name == "--cache-dir") {
          f.cache_dir = value;
        } else if (name == "--work-dir") {
          f.work_dir = value;
        } else if (name == "--data-dir") {
          f.data_dir = value;
        } else {
          return false;
        }
        return true;
      });
  if (!parsed) return false;
  if (quick) {
    if (!datasets_set) f.datasets = {"sift5k"};
    if (!queries_set) f.queries = 200;
    if (!ef_set) f.ef = {10, 32, 128};
    if (!nprobe_set) f.nprobe = {1, 8, 32};
    if (!min_run_set) f.min_run_seconds = 0.05;
    if (!runs_set) f.runs = 1;
  }
  f.work_dir = ScratchDir(f.work_dir, "vecdb-ann-bench");
  return true;
}

// Generated data sets ("20k", "1mx960") have no natural query count.
size_t QueriesFor(const std::string& dataset, size_t flag) {
  if (flag > 0) return flag;
  const bool generated = !dataset.empty() && std::isdigit(dataset[0]);
  return generated ? 1000 : SIZE_MAX;
}

size_t AutoNlist(size_t n) {
  return std::max<size_t>(1, std::lround(std::sqrt(double(n))));
}

// One system and build configuration to measure.
struct Job {
  AnnResult header;  // system, build, param_name
  AnnBuildParams params;
  AnnIndexFactory make;
  AnnSweep sweep;
};

std::vector<Job> PlanJobs(const Flags& f, const Dataset& data) {
  std::vector<Job> jobs;
  AnnSweep hnsw_sweep;
  hnsw_sweep.values = f.ef;
  hnsw_sweep.k = f.k;
  hnsw_sweep.threads = f.threads;
  hnsw_sweep.min_run_seconds = f.min_run_seconds;
  hnsw_sweep.runs = f.runs;
  for (const std::string& system : f.systems) {
    if (system == "faiss-ivf") {
      for (size_t nlist : f.nlist) {
        Job& job = jobs.emplace_back();
        job.params.nlist = nlist > 0 ? nlist : AutoNlist(data.num_base());
        job.header = {.system = system,
                      .build = absl::StrCat("nlist=", job.params.nlist),
                      .param_name = "nprobe"};
        job.sweep = hnsw_sweep;
        job.sweep.values = f.nprobe;
        job.sweep.max_value = job.params.nlist;
      }
      continue;
    }
    for (size_t m : f.m) {
      for (size_t efc : f.ef_construction) {
        Job& job = jobs.emplace_back();
        job.params.m = m;
        job.params.ef_construction = efc;
        job.header = {.system = system,
                      .build = absl::StrCat("M=", m, ",efC=", efc),
                      .param_name = "ef"};
        job.sweep = hnsw_sweep;
      }
    }
  }
  for (Job& job : jobs) {
    job.params.work_dir = f.work_dir;
    const std::string& s = job.header.system;
    const AnnBuildParams p = job.params;
    job.make = [s, p]() -> absl::StatusOr<std::unique_ptr<AnnIndex>> {
      if (s == "hnswlib") return NewHnswlibAnnIndex(p);
      if (s == "embedded") return NewEmbeddedAnnIndex(p);
      if (s == "grpc") return NewGrpcAnnIndex(p);
      if (s == "faiss-hnsw") return NewFaissHnswAnnIndex(p);
      return NewFaissIvfAnnIndex(p);
    };
  }
  return jobs;
}

// Runs one job in a child process; a crash becomes an error row.
AnnResult RunJob(const Job& job, const Dataset& data) {
  std::fprintf(stderr, "  %s %s ...\n", job.header.system.c_str(),
               job.header.build.c_str());
  Stopwatch clock;
  auto text = RunInChild([&] {
    AnnResult r = job.header;
    MeasureAnn(job.make, data, job.sweep, r);
    return nlohmann::json(r).dump();
  });
  AnnResult r = job.header;
  if (!text.ok()) {
    r.error = text.status().ToString();
  } else if (nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
             j.is_discarded()) {
    r.error = "unreadable result from child";
  } else {
    j.get_to(r);
  }
  if (!r.error.empty()) {
    std::fprintf(stderr, "    %s\n", r.error.c_str());
  } else {
    std::fprintf(stderr, "    done in %.1f s (build %.1f s)\n", clock.Seconds(),
                 r.build_s);
  }
  return r;
}

std::string FileSafe(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '_';
  }
  return out;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  std::error_code ec;
  std::filesystem::create_directories(flags.work_dir, ec);
  std::filesystem::create_directories(flags.cache_dir, ec);
  std::filesystem::create_directories(flags.svg_dir, ec);
  nlohmann::json doc;
  doc["machine"] = MachineInfo();
  doc["load_average_at_start"] = LoadAverage();
  doc["command"] = absl::StrJoin(argv, argv + argc, " ");
  doc["config"] = {{"systems", flags.systems},
                   {"k", flags.k},
                   {"m", flags.m},
                   {"ef_construction", flags.ef_construction},
                   {"ef", flags.ef},
                   {"nlist", flags.nlist},
                   {"nprobe", flags.nprobe},
                   {"threads", flags.threads},
                   {"min_run_seconds", flags.min_run_seconds},
                   {"runs", flags.runs}};
  doc["faiss_built"] = FaissAvailable();
  doc["grpc_built"] = GrpcSystemAvailable();
  doc["datasets"] = nlohmann::json::array();
  std::printf("machine: %s\n", doc["machine"].dump().c_str());
  int failures = 0;
  for (const std::string& name : flags.datasets) {
    std::fprintf(stderr, "data set %s: loading and ground truth ...\n",
                 name.c_str());
    Stopwatch load;
    auto data = LoadDataset({.name = name,
                             .num_queries = QueriesFor(name, flags.queries),
                             .k = flags.k},
                            flags.data_dir, flags.cache_dir);
    if (!data.ok()) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(),
                   data.status().ToString().c_str());
      ++failures;
      continue;
    }
    AnnDatasetReport rep;
    rep.name = data->name;
    rep.points = data->num_base();
    rep.dim = data->dim;
    rep.queries = data->queries.size();
    rep.k = flags.k;
    rep.load_s = load.Seconds();
    std::fprintf(stderr, "  ready in %.1f s: %zu x %zu, %zu queries\n",
                 rep.load_s, rep.points, rep.dim, rep.queries);
    for (const Job& job : PlanJobs(flags, *data)) {
      AnnResult r = RunJob(job, *data);
      if (!r.error.empty() && !NotBuilt(r)) ++failures;
      rep.results.push_back(std::move(r));
    }
    std::printf("%s%s", FormatAnnTable(rep).c_str(),
                FormatAnnCurves(rep).c_str());
    const std::string svg =
        flags.svg_dir + "/ann_" + FileSafe(rep.name) + ".svg";
    if (!(std::ofstream(svg) << AnnPlotSvg(rep))) {
      std::fprintf(stderr, "cannot write %s\n", svg.c_str());
      ++failures;
    } else {
      std::printf("SVG: %s\n", svg.c_str());
    }
    std::fflush(stdout);
    doc["datasets"].push_back(rep);
    // Names and the command line may hold invalid UTF-8.
    if (!(std::ofstream(flags.json_out)
          << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
          << "\n")) {
      std::fprintf(stderr, "cannot write %s\n", flags.json_out.c_str());
      ++failures;
    }
  }
  std::filesystem::remove_all(flags.work_dir, ec);
  std::printf("\nJSON: %s\n", flags.json_out.c_str());
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace vecdb::bench

int main(int argc, char** argv) { return vecdb::bench::Main(argc, argv); }
