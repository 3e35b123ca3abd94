// Durability under power cuts: rounds of concurrent writers, deletes,
// checkpoints and compactions on an in-process Engine whose every file
// access goes through a PowerCutFs (tests/testing/power_cut_fs.h). At a
// random moment the file system is cut: nothing reaches the disk any more,
// and what survives is only what was synced (file data by fsync, directory
// entries by a directory sync), with torn tails. The engine is dropped, the
// surviving tree is written out, and the next round reopens the engine on
// it and checks it against the state kept outside (power_cut_model.h):
// under --sync fsync every acknowledged write is there, under --sync none
// what is lost is a suffix of the writes, never half a batch; the graph
// and the text of every point agree with RocksDB.
//
// A chain of rounds starts on a data directory that does not exist yet,
// and every chain's first round may be cut right after the engine created
// it. VECDB_POWER_CUT_ROUNDS sets the rounds (default 50; the [.slow] case
// 500), VECDB_POWER_CUT_SEED the seed (default random, printed).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collection/engine.h"
#include "tests/crash/power_cut_model.h"
#include "tests/testing/power_cut_fs.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kCollection[] = "c";
constexpr uint32_t kDimension = 8;
constexpr int kIdSpace = 150;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
}

// The vector a write with `tag` gives point `id`: a pure function of
// both, so a point's vector and its tag can be checked against each other.
std::vector<float> VectorFor(const std::string& id, uint64_t tag) {
  std::mt19937_64 rng(std::hash<std::string>()(id) * 1000003u + tag);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::vector<float> v(kDimension);
  for (float& x : v) x = unit(rng);
  return v;
}

struct Totals {
  uint64_t rounds = 0;
  uint64_t synced_rounds = 0;
  uint64_t acked = 0;
  uint64_t synced_acked = 0;
  uint64_t unacked = 0;
  uint64_t lost_unsynced = 0;  // acknowledged under --sync none, then lost
  uint64_t fresh_cuts = 0;     // cut right after a fresh data directory
  uint64_t checkpoints = 0;
  uint64_t compactions = 0;
  uint64_t checkpoint_fallbacks = 0;  // reopen ignored a checkpoint
  PowerCutTotals cuts;
};

// Reads every point of `collection`, checks that its vector matches its tag
// and that the graph finds it, and returns id -> tag.
PointTags ReadAndCheck(Collection& collection,
                       std::vector<std::string>* problems) {
  PointTags tags;
  Include include;
  include.vector = true;
  include.metadata = true;
  std::string cursor;
  std::vector<Point> points;
  while (true) {
    absl::StatusOr<ScrollPage> page = collection.Scroll(cursor, 500, include);
    if (!page.ok()) {
      problems->push_back(absl::StrCat("scroll: ", page.status().ToString()));
      return tags;
    }
    for (Point& p : page->points) points.push_back(std::move(p));
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  for (const Point& p : points) {
    const auto tag = p.metadata.find("tag");
    if (tag == p.metadata.end() ||
        !std::holds_alternative<int64_t>(tag->second)) {
      problems->push_back(absl::StrCat("point ", p.id, ": no tag"));
      continue;
    }
    const auto t = static_cast<uint64_t>(std::get<int64_t>(tag->second));
    tags[p.id] = t;
    if (p.vector != VectorFor(p.id, t)) {
      problems->push_back(absl::StrCat("point ", p.id, ": vector of tag ", t,
                                       " does not match"));
    }
  }
  if (collection.Count() != points.size()) {
    problems->push_back(absl::StrCat("count ", collection.Count(), " but ",
                                     points.size(), " points stored"));
  }
  // Index == storage: every stored point is found by its own vector.
  QueryOptions query;
  query.k = 10;
  query.ef = 200;
  for (const Point& p : points) {
    const std::vector<std::vector<float>> q = {p.vector};
    absl::StatusOr<std::vector<std::vector<Hit>>> hits =
        collection.Query(q, query);
    if (!hits.ok()) {
      problems->push_back(absl::StrCat("query: ", hits.status().ToString()));
      return tags;
    }
    bool found = false;
    for (const Hit& h : (*hits)[0]) {
      found = found || (h.point.id == p.id && h.distance < 1e-5f);
    }
    if (!found) {
      problems->push_back(
          absl::StrCat("point ", p.id, ": stored but not in the graph"));
    }
  }
  return tags;
}

struct RoundPlan {
  bool sync = true;
  // Fresh chains only: cut right after the engine created the data
  // directory (nothing acknowledged), or right after the collection and a
  // first write were acknowledged.
  bool cut_at_open = false;
  bool cut_after_first_write = false;
  int cut_after_ms = 0;
  // The test of the test: the model ignores directory syncs, as if the
  // engine never made them.
  bool ignore_directory_syncs = false;
};

// What carries from one round of a chain to the next.
struct Chain {
  std::string root;  // holds data/ (or not, if it never survived)
  std::unique_ptr<PowerCutModel> model;  // the last round's writes
  bool model_synced = true;
  bool collection_acked = false;
};

class Round {
 public:
  Round(const RoundPlan& plan, uint64_t seed, std::atomic<uint64_t>* tags)
      : plan_(plan), seed_(seed), tags_(tags) {}

  // Opens the chain's data directory on a fresh PowerCutFs, verifies it
  // against the last round's model, runs this round's workload, cuts,
  // and writes what survived to `next_root`, which the chain moves to.
  // Returns the problems found.
  std::vector<std::string> Run(Chain* chain, const std::string& next_root,
                               Totals* totals);

 private:
  void Writer(Collection* collection, PowerCutModel* model, uint64_t seed);
  void Maintainer(Engine* engine, uint64_t seed, Totals* totals);
  absl::Status WriteOne(Collection* collection, PowerCutModel* model);

  const RoundPlan plan_;
  const uint64_t seed_;
  std::atomic<uint64_t>* const tags_;
  std::atomic<bool> cut_{false};
  std::mutex mu_;
  std::vector<std::string> unexpected_;  // guarded by mu_
};

void Round::Writer(Collection* collection, PowerCutModel* model,
                   uint64_t seed) {
  std::mt19937_64 rng(seed);
  while (!cut_.load()) {
    LoggedWrite w;
    w.is_delete = rng() % 4 == 0;
    const size_t n = w.is_delete ? 1 + rng() % 3 : 1 + rng() % 6;
    std::set<std::string> ids;
    while (ids.size() < n) ids.insert(absl::StrCat("p", rng() % kIdSpace));
    w.ids.assign(ids.begin(), ids.end());
    absl::StatusOr<WriteResult> result;
    if (w.is_delete) {
      const size_t at = model->Begin(w);
      result = collection->Delete(w.ids);
      if (result.ok()) model->Ack(at, result->seq, result->affected);
    } else {
      w.tag = tags_->fetch_add(1);
      std::vector<Point> points;
      for (const std::string& id : w.ids) {
        Point p;
        p.id = id;
        p.vector = VectorFor(id, w.tag);
        p.metadata["tag"] = static_cast<int64_t>(w.tag);
        points.push_back(std::move(p));
      }
      const size_t at = model->Begin(w);
      result = collection->Upsert(std::move(points));
      if (result.ok()) model->Ack(at, result->seq, result->affected);
    }
    if (!result.ok() && !cut_.load()) {
      std::lock_guard<std::mutex> lock(mu_);
      unexpected_.push_back(
          absl::StrCat("write before the cut failed: ",
                       result.status().ToString()));
      return;
    }
  }
}

void Round::Maintainer(Engine* engine, uint64_t seed, Totals* totals) {
  std::mt19937_64 rng(seed);
  while (!cut_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2 + rng() % 15));
    if (rng() % 3 == 0) {
      engine->MaintainAll().IgnoreError();
    } else if (engine->CheckpointAll().ok() && !cut_.load()) {
      ++totals->checkpoints;
    }
  }
}

// The options of every engine a round opens.
EngineOptions RoundOptions(bool sync, std::shared_ptr<PowerCutFs> fs) {
  EngineOptions options;
  options.sync_writes = sync;
  options.file_system = std::move(fs);
  // Checkpoints come from the maintainer thread, at random moments.
  options.checkpoint_every_ops = 0;
  options.checkpoint_interval = std::chrono::seconds(3600);
  options.checkpoint_on_close = false;
  options.compact_fraction = 0.2;
  options.insert_threads = 1;
  options.link_nice = 0;
  options.block_cache_bytes = 8u << 20;
  return options;
}

// Opens the chain's data directory and checks it against the chain's
// model; returns the collection (null when there is none).
std::shared_ptr<Collection> OpenAndVerify(
    Engine& engine, Chain& chain, Totals* totals,
    std::vector<std::string>* problems, PointTags* state, uint64_t* seq) {
  absl::StatusOr<std::shared_ptr<Collection>> found =
      engine.GetCollection(kCollection);
  if (!found.ok()) {
    if (chain.collection_acked) {
      problems->push_back("the collection's acknowledged creation was lost");
    }
    return nullptr;
  }
  std::shared_ptr<Collection> collection = *found;
  if (!collection->recovery().rebuild_reason.empty() ||
      !collection->recovery().secondary_fallback_reason.empty()) {
    ++totals->checkpoint_fallbacks;
  }
  *state = ReadAndCheck(*collection, problems);
  *seq = collection->Info().last_seq;
  if (chain.model != nullptr) {
    for (std::string& p : chain.model->Verify(*state, *seq, chain.model_synced)) {
      problems->push_back(std::move(p));
    }
    if (!chain.model_synced) {
      totals->lost_unsynced += chain.model->acked_after(*seq);
    }
  }
  return collection;
}

std::vector<std::string> Round::Run(Chain* chain, const std::string& next_root,
                                    Totals* totals) {
  std::vector<std::string> problems;
  auto cut_fs = std::make_shared<PowerCutFs>(chain->root, seed_);
  cut_fs->IgnoreDirectorySyncs(plan_.ignore_directory_syncs);
  absl::StatusOr<std::unique_ptr<Engine>> opened =
      Engine::Open(chain->root + "/data", RoundOptions(plan_.sync, cut_fs));
  if (!opened.ok()) {
    return {absl::StrCat("open: ", opened.status().ToString())};
  }
  std::unique_ptr<Engine> engine = std::move(*opened);
  PointTags start;
  uint64_t start_seq = 0;
  std::shared_ptr<Collection> collection =
      OpenAndVerify(*engine, *chain, totals, &problems, &start, &start_seq);
  auto model = std::make_unique<PowerCutModel>(start, start_seq);
  if (collection == nullptr && !plan_.cut_at_open) {
    CreateCollectionOptions create;
    create.name = kCollection;
    create.dimension = kDimension;
    create.metric = Metric::kL2;
    create.hnsw.m = 8;
    create.hnsw.ef_construction = 64;
    absl::StatusOr<std::shared_ptr<Collection>> created =
        engine->CreateCollection(create);
    if (!created.ok()) {
      problems.push_back(
          absl::StrCat("create collection: ", created.status().ToString()));
      return problems;
    }
    collection = *created;
    chain->collection_acked = true;
  }
  if (plan_.cut_at_open || plan_.cut_after_first_write) ++totals->fresh_cuts;
  if (plan_.cut_after_first_write) {
    LoggedWrite w;
    w.ids = {"p0"};
    w.tag = tags_->fetch_add(1);
    Point p;
    p.id = "p0";
    p.vector = VectorFor(p.id, w.tag);
    p.metadata["tag"] = static_cast<int64_t>(w.tag);
    const size_t at = model->Begin(w);
    absl::StatusOr<WriteResult> result = collection->Upsert({p});
    if (!result.ok()) {
      problems.push_back(
          absl::StrCat("first write: ", result.status().ToString()));
    } else {
      model->Ack(at, result->seq, result->affected);
    }
  }
  std::vector<std::thread> threads;
  if (collection != nullptr && !plan_.cut_at_open &&
      !plan_.cut_after_first_write) {
    std::mt19937_64 rng(seed_);
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back(&Round::Writer, this, collection.get(), model.get(),
                           rng());
    }
    threads.emplace_back(&Round::Maintainer, this, engine.get(), rng(), totals);
    std::this_thread::sleep_for(std::chrono::milliseconds(plan_.cut_after_ms));
  }
  // Writers that fail from here on fail because of the cut.
  cut_.store(true);
  cut_fs->Cut();
  for (std::thread& t : threads) t.join();
  if (collection != nullptr) totals->compactions += collection->Info().compactions;
  collection.reset();
  engine.reset();  // its close fails on the cut file system: that is the point
  absl::StatusOr<CutReport> report = cut_fs->Materialize(next_root);
  if (!report.ok()) {
    problems.push_back(
        absl::StrCat("materialize: ", report.status().ToString()));
    return problems;
  }
  totals->cuts.Add(*report);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (std::string& p : unexpected_) problems.push_back(std::move(p));
  }
  ++totals->rounds;
  totals->synced_rounds += plan_.sync;
  totals->acked += model->acked();
  if (plan_.sync) totals->synced_acked += model->acked();
  totals->unacked += model->unacked();
  chain->root = next_root;
  chain->model = std::move(model);
  chain->model_synced = plan_.sync;
  return problems;
}

struct Scenario {
  uint64_t rounds = 50;
  uint64_t seed = 0;
  // A chain starts on a new data directory every this many rounds.
  uint64_t chain_rounds = 8;
  // Every chain's first round cuts at the fresh directory; every round
  // syncs.
  bool fresh_cuts_only = false;
  bool ignore_directory_syncs = false;
};

// Runs the scenario's rounds, then reopens and verifies the last cut.
// Returns the problems of the first round that had any (empty: none).
std::vector<std::string> RunPowerCutRounds(const Scenario& scenario,
                                           Totals* totals) {
  TempDir dir;
  std::mt19937_64 rng(scenario.seed);
  std::atomic<uint64_t> tags{1};
  Chain chain;
  int chains = 0;
  for (uint64_t round = 0; round <= scenario.rounds; ++round) {
    const bool last = round == scenario.rounds;
    const bool fresh = round % scenario.chain_rounds == 0 && !last;
    if (fresh) {
      chain = Chain();
      chain.root =
          absl::StrCat(dir.path(), "/chain", chains++, "-round", round);
      fs::create_directories(chain.root);
    }
    RoundPlan plan;
    plan.sync = scenario.fresh_cuts_only || rng() % 3 != 0;
    plan.cut_after_ms = static_cast<int>(rng() % 120);
    plan.ignore_directory_syncs = scenario.ignore_directory_syncs;
    if (fresh) {
      const uint64_t kind = scenario.fresh_cuts_only ? 1 : rng() % 3;
      plan.cut_at_open = kind == 0;
      plan.cut_after_first_write = kind == 1;
    }
    const std::string next_root =
        absl::StrCat(dir.path(), "/round", round + 1);
    std::vector<std::string> problems;
    if (!last) {
      Round r(plan, rng(), &tags);
      problems = r.Run(&chain, next_root, totals);
    } else {
      auto cut_fs = std::make_shared<PowerCutFs>(chain.root, rng());
      absl::StatusOr<std::unique_ptr<Engine>> engine =
          Engine::Open(chain.root + "/data", RoundOptions(true, cut_fs));
      if (!engine.ok()) {
        problems.push_back(engine.status().ToString());
      } else {
        PointTags state;
        uint64_t seq = 0;
        OpenAndVerify(**engine, chain, totals, &problems, &state, &seq);
      }
    }
    if (!problems.empty()) {
      problems.insert(problems.begin(),
                      absl::StrCat("round ", round, " (seed ", scenario.seed,
                                   ", last round's sync: ",
                                   chain.model_synced ? "fsync" : "none",
                                   ")"));
      return problems;
    }
    // The chain's old trees are no longer needed.
    if (!fresh && !last) {
      std::error_code ec;
      fs::remove_all(absl::StrCat(dir.path(), "/round", round), ec);
    }
  }
  return {};
}

void CheckPowerCuts(uint64_t rounds, uint64_t seed) {
  std::cout << "power-cut test: " << rounds << " rounds, seed " << seed
            << std::endl;
  Scenario scenario;
  scenario.rounds = rounds;
  scenario.seed = seed;
  Totals totals;
  const auto begin = std::chrono::steady_clock::now();
  const std::vector<std::string> problems =
      RunPowerCutRounds(scenario, &totals);
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  REQUIRE(problems.empty());
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - begin)
                             .count();
  std::cout << "power-cut test: " << totals.rounds << " rounds ("
            << totals.synced_rounds << " under fsync, " << totals.fresh_cuts
            << " cut at a fresh data directory), " << totals.acked
            << " acknowledged writes (" << totals.synced_acked
            << " synced: 0 lost; " << totals.lost_unsynced
            << " unsynced lost as a suffix), " << totals.unacked
            << " in flight at the cut; " << totals.checkpoints
            << " checkpoints, " << totals.compactions << " compactions, "
            << totals.checkpoint_fallbacks
            << " reopens that set a checkpoint aside; cuts: "
            << totals.cuts.Summary() << "; " << static_cast<int>(seconds)
            << " s, seed " << seed << std::endl;
  CHECK(totals.synced_acked > 0);
  CHECK(totals.fresh_cuts > 0);
}

uint64_t SeedFromEnv() {
  return EnvOr("VECDB_POWER_CUT_SEED", std::random_device()());
}

TEST_CASE("acknowledged writes survive power cuts", "[power_cut]") {
  CheckPowerCuts(EnvOr("VECDB_POWER_CUT_ROUNDS", 50), SeedFromEnv());
}

TEST_CASE("acknowledged writes survive 500 power cuts",
          "[power_cut][.slow]") {
  CheckPowerCuts(EnvOr("VECDB_POWER_CUT_ROUNDS", 500), SeedFromEnv());
}

// The test of the test: without directory syncs (as if CreateDirectoryDurably
// or PendingFile::Commit skipped them) a cut right after a fresh data
// directory took its first write must lose it, and the test must say so.
TEST_CASE("the power-cut test sees a missing directory sync", "[power_cut]") {
  Scenario broken;
  broken.rounds = 4;
  broken.chain_rounds = 1;
  broken.seed = SeedFromEnv();
  broken.fresh_cuts_only = true;
  broken.ignore_directory_syncs = true;
  Totals totals;
  const std::vector<std::string> problems = RunPowerCutRounds(broken, &totals);
  INFO("seed " << broken.seed);
  REQUIRE(problems.size() >= 2);
  bool lost = false;
  for (const std::string& p : problems) {
    lost = lost || p.find("acknowledged") != std::string::npos;
  }
  CHECK(lost);
}

}  // namespace
}  // namespace vecdb::testing
