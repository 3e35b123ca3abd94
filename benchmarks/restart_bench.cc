// vecdb_restart_bench: how long a collection with metadata and a document
// on every point takes to open after a graceful stop, beside raw hnswlib's
// loadIndex of a graph built from the same vectors with the same M and
// ef_construction.
//
//   vecdb_restart_bench --dataset=1m --doc-words=30 --repeats=3
//
// The built data directory and hnswlib file are kept under --work-dir
// (default $TMPDIR or /tmp) keyed by dataset, words and parameters, so a
// second run measures only the restarts. Every restart must find the graph
// and the secondary indexes in their checkpoints (else the run fails).
// Prints a table and writes JSON (--json-out).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/datasets.h"
#include "benchmarks/machine.h"
#include "benchmarks/raw_hnsw_system.h"
#include "collection/engine.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: vecdb_restart_bench [--dataset=1m] [--doc-words=30] "
    "[--repeats=3] [--m=16] [--ef-construction=100] [--work-dir=DIR] "
    "[--json-out=FILE]\n";
constexpr char kCollection[] = "restart";
constexpr size_t kBatch = 1000;
constexpr size_t kVocabulary = 20000;

struct Config {
  std::string dataset = "1m";
  size_t doc_words = 30;
  size_t repeats = 3;
  size_t m = 16;
  size_t ef_construction = 100;
  std::string work_dir;
  std::string json_out;
};

// Metadata of every kind and a document of `words` words drawn from a
// Zipf-like vocabulary (word r with weight 1/r), all seeded by the row.
Point MakePoint(const Dataset& data, size_t row, size_t words,
                std::discrete_distribution<size_t>& zipf) {
  std::mt19937_64 rng(row * 7919 + 1);
  Point p;
  p.id = std::to_string(row);
  p.vector.assign(data.row(row), data.row(row) + data.dim);
  p.metadata["category"] = "c" + std::to_string(rng() % 20);
  p.metadata["year"] = static_cast<int64_t>(1990 + rng() % 36);
  p.metadata["score"] = static_cast<double>(rng() % 10000) / 100.0;
  p.metadata["public"] = rng() % 2 == 0;
  p.metadata["tags"] = std::vector<std::string>{
      "t" + std::to_string(rng() % 50), "t" + std::to_string(rng() % 50)};
  std::string doc;
  for (size_t w = 0; w < words; ++w) {
    if (w > 0) doc += ' ';
    doc += "w" + std::to_string(zipf(rng));
  }
  p.document = std::move(doc);
  return p;
}

EngineOptions Options() {
  EngineOptions options;
  options.sync_writes = false;  // the build is not what is measured
  return options;
}

absl::Status Build(const Dataset& data, const Config& config,
                   const std::string& dir) {
  std::vector<double> weights(kVocabulary);
  for (size_t r = 0; r < kVocabulary; ++r) weights[r] = 1.0 / (r + 1);
  std::discrete_distribution<size_t> zipf(weights.begin(), weights.end());
  VECDB_ASSIGN_OR_RETURN(auto engine, Engine::Open(dir, Options()));
  CreateCollectionOptions create;
  create.name = kCollection;
  create.dimension = static_cast<uint32_t>(data.dim);
  create.metric = Metric::kL2;
  create.hnsw.m = static_cast<uint32_t>(config.m);
  create.hnsw.ef_construction = static_cast<uint32_t>(config.ef_construction);
  VECDB_ASSIGN_OR_RETURN(auto coll, engine->CreateCollection(create));
  Stopwatch build;
  for (size_t begin = 0; begin < data.num_base(); begin += kBatch) {
    std::vector<Point> batch;
    const size_t end = std::min(data.num_base(), begin + kBatch);
    for (size_t row = begin; row < end; ++row) {
      batch.push_back(MakePoint(data, row, config.doc_words, zipf));
    }
    VECDB_RETURN_IF_ERROR(coll->Upsert(std::move(batch)).status());
    if (end % 100000 == 0 || end == data.num_base()) {
      fprintf(stderr, "  %zu points, %.0f s\n", end, build.Seconds());
    }
  }
  coll.reset();
  return engine->Close();
}

struct Restart {
  double seconds = 0;
  double graph_seconds = 0;
  double secondary_seconds = 0;
};

absl::StatusOr<Restart> TimeRestart(const std::string& dir, size_t points) {
  Stopwatch open;
  VECDB_ASSIGN_OR_RETURN(auto engine, Engine::Open(dir, Options()));
  Restart r;
  r.seconds = open.Seconds();
  VECDB_ASSIGN_OR_RETURN(auto coll, engine->GetCollection(kCollection));
  const RecoveryInfo& info = coll->recovery();
  if (info.kind != RecoveryKind::kCheckpoint) {
    return absl::InternalError("the graph was not loaded from its checkpoint: " +
                               info.rebuild_reason);
  }
  if (!info.secondary_from_checkpoint) {
    return absl::InternalError(
        "the secondary indexes were not loaded from their checkpoint: " +
        info.secondary_fallback_reason);
  }
  if (coll->Count() != points) {
    return absl::InternalError(
        absl::StrCat("opened with ", coll->Count(), " points"));
  }
  r.graph_seconds = info.graph_seconds;
  r.secondary_seconds = info.secondary_seconds;
  coll.reset();
  VECDB_RETURN_IF_ERROR(engine->Close());
  return r;
}

uint64_t TreeBytes(const fs::path& dir) {
  uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

absl::Status Run(const Config& config) {
  const std::string parent = WorkParent(config.work_dir);
  const fs::path root =
      fs::path(parent) /
      absl::StrCat("vecdb-restart-", config.dataset, "-w", config.doc_words,
                   "-m", config.m, "-efc", config.ef_construction);
  const std::string dir = (root / "data").string();
  const std::string raw = (root / "raw.hnsw").string();
  DatasetSpec spec;
  spec.name = config.dataset;
  spec.num_queries = 10;
  VECDB_ASSIGN_OR_RETURN(
      Dataset data,
      LoadDataset(spec, VECDB_SHARED_DATA_DIR, (fs::path(parent) /
                                                "vecdb-bench-cache").string()));
  const size_t n = data.num_base();
  if (!fs::exists(root / "built")) {
    fs::remove_all(root);
    fs::create_directories(root);
    fprintf(stderr, "building %zu points with %zu-word documents in %s\n", n,
            config.doc_words, dir.c_str());
    VECDB_RETURN_IF_ERROR(Build(data, config, dir));
    fprintf(stderr, "building hnswlib's graph of the same vectors\n");
    VECDB_RETURN_IF_ERROR(
        SaveHnswlibIndex(data, config.m, config.ef_construction, raw));
    std::ofstream(root / "built") << "ok\n";
  }
  std::vector<double> engine_s, graph_s, secondary_s, hnswlib_s;
  for (size_t i = 0; i < config.repeats; ++i) {
    VECDB_ASSIGN_OR_RETURN(Restart r, TimeRestart(dir, n));
    engine_s.push_back(r.seconds);
    graph_s.push_back(r.graph_seconds);
    secondary_s.push_back(r.secondary_seconds);
    VECDB_ASSIGN_OR_RETURN(double load, TimeHnswlibLoad(raw, data.dim, n));
    hnswlib_s.push_back(load);
  }
  const double engine = Median(engine_s);
  const double hnswlib = Median(hnswlib_s);
  const uint64_t data_bytes = TreeBytes(dir);
  const uint64_t raw_bytes = fs::file_size(raw);
  printf("restart of %zu x %zu points, metadata (5 fields) and a %zu-word "
         "document each, M %zu, ef_construction %zu; median of %zu\n",
         n, data.dim, config.doc_words, config.m, config.ef_construction,
         config.repeats);
  printf("| system | open s | graph s | secondary s | on disk MB |\n");
  printf("|---|---|---|---|---|\n");
  printf("| vecdb Engine::Open | %.3f | %.3f | %.3f | %.0f |\n", engine,
         Median(graph_s), Median(secondary_s), data_bytes / 1048576.0);
  printf("| hnswlib loadIndex | %.3f | | | %.0f |\n", hnswlib,
         raw_bytes / 1048576.0);
  printf("engine / hnswlib loadIndex: %.2f (target <= 2)\n",
         engine / hnswlib);
  if (!config.json_out.empty()) {
    nlohmann::json j;
    j["machine"] = MachineInfo();
    j["dataset"] = config.dataset;
    j["points"] = n;
    j["dim"] = data.dim;
    j["doc_words"] = config.doc_words;
    j["m"] = config.m;
    j["ef_construction"] = config.ef_construction;
    j["engine_open_s"] = engine_s;
    j["engine_graph_s"] = graph_s;
    j["engine_secondary_s"] = secondary_s;
    j["hnswlib_load_s"] = hnswlib_s;
    j["ratio"] = engine / hnswlib;
    j["data_dir_bytes"] = data_bytes;
    j["hnswlib_file_bytes"] = raw_bytes;
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
        else if (name == "--doc-words") return ParseCount(v, config.doc_words);
        else if (name == "--repeats") return ParseCount(v, config.repeats);
        else if (name == "--m") return ParseCount(v, config.m);
        else if (name == "--ef-construction")
          return ParseCount(v, config.ef_construction);
        else if (name == "--work-dir") config.work_dir = v;
        else if (name == "--json-out") config.json_out = v;
        else return false;
        return true;
      });
  if (!ok) return 2;
  return ExitCode("vecdb_restart_bench", Run(config));
}
