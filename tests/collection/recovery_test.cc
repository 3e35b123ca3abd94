#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/collection/engine_fixture.h"
#include "tests/testing/wal_files.h"

namespace vecdb {
namespace {

namespace fs = std::filesystem;
using testing::Create;
using testing::MakePoints;
using testing::Nearest;
using testing::OpenEngine;
using testing::RandomVectors;
using testing::TempDir;
using testing::UpsertAll;

constexpr size_t kDim = 16;

std::string CheckpointFile(const std::string& dir, const Collection& c) {
  return (fs::path(dir) / "indexes" /
          (std::to_string(c.record().id) + ".ckpt"))
      .string();
}

// Checks every point of `expected_ids` is found by a self-query.
void CheckSelfQueries(Collection& c,
                      const std::vector<std::vector<float>>& vectors,
                      const std::vector<size_t>& live) {
  for (size_t i : live) {
    INFO("point p" << i);
    CHECK(Nearest(c, vectors[i]) == "p" + std::to_string(i));
  }
}

TEST_CASE("open replays the op log after the checkpoint", "[recovery]") {
  TempDir dir;
  auto vectors = RandomVectors(1500, kDim, 21);
  {
    auto engine = OpenEngine(dir.path(), testing::NoAutomaticCheckpoints());
    auto c = Create(*engine, "r", kDim);
    UpsertAll(*c, MakePoints(vectors, 0, 1000));
    REQUIRE(engine->CheckpointAll().ok());
    // After the checkpoint: inserts, deletes and replacements.
    UpsertAll(*c, MakePoints(vectors, 1000, 1500), 100);        // 5 writes
    REQUIRE(c->Delete(std::vector<std::string>{"p0", "p1000"}).ok());  // 1
    std::vector<Point> swap = MakePoints(vectors, 2, 3);
    swap[0].vector = vectors[1];                                // 1 write
    REQUIRE(c->Delete(std::vector<std::string>{"p1"}).ok());    // 1
    REQUIRE(c->Upsert(std::move(swap)).ok());
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto c = *engine->GetCollection("r");
  CHECK(c->recovery().kind == RecoveryKind::kCheckpoint);
  CHECK(c->recovery().replayed_writes == 8);
  CHECK(c->Count() == 1497);
  CHECK(Nearest(*c, vectors[1]) == "p2");
  std::vector<size_t> live;
  for (size_t i = 3; i < 1500; i += 7) {
    if (i != 1000) live.push_back(i);
  }
  CheckSelfQueries(*c, vectors, live);
  auto r = c->Query({vectors[0]}, {.k = 20});
  for (const auto& hit : (*r)[0]) {
    CHECK(hit.point.id != "p0");
    CHECK(hit.point.id != "p1000");
  }
}

TEST_CASE("a replay links each point's last vector once", "[recovery]") {
  TempDir dir;
  auto vectors = RandomVectors(3000, kDim, 23);
  {
    auto engine = OpenEngine(dir.path(), testing::NoAutomaticCheckpoints());
    auto c = Create(*engine, "r", kDim);
    UpsertAll(*c, MakePoints(vectors, 0, 100));
    REQUIRE(engine->CheckpointAll().ok());
    // 20 rewrites of the same 100 points with new vectors: 20 writes.
    for (size_t round = 1; round <= 20; ++round) {
      std::vector<Point> points = MakePoints(vectors, 0, 100);
      for (size_t i = 0; i < 100; ++i) points[i].vector = vectors[round * 100 + i];
      REQUIRE(c->Upsert(std::move(points)).ok());
    }
    REQUIRE(engine->Close().ok());
  }
  EngineOptions no_compaction;  // keeps the slot count still while it is read
  no_compaction.compact_fraction = 1.0;
  auto engine = OpenEngine(dir.path(), no_compaction);
  auto c = *engine->GetCollection("r");
  CHECK(c->recovery().replayed_writes == 20);
  // The checkpoint's 100 slots plus one new version per point, not 20.
  CHECK(c->Info().index_slots == 200);
  for (size_t i = 0; i < 100; i += 9) {
    INFO("point p" << i);
    CHECK(Nearest(*c, vectors[2000 + i]) == "p" + std::to_string(i));
  }
}

TEST_CASE("a good checkpoint is loaded, not rebuilt", "[recovery]") {
  TempDir dir;
  auto vectors = RandomVectors(500, kDim, 4);
  {
    auto engine = OpenEngine(dir.path());
    UpsertAll(*Create(*engine, "c", kDim), MakePoints(vectors, 0, 500));
  }
  for (int round = 0; round < 2; ++round) {
    auto engine = OpenEngine(dir.path());
    auto c = *engine->GetCollection("c");
    CHECK(c->recovery().kind == RecoveryKind::kCheckpoint);
    CHECK(c->recovery().replayed_writes == 0);
    CHECK(c->Count() == 500);
  }
}

// Damages the checkpoint in a given way between a clean close and an open.
void CheckRebuildAfter(const std::function<void(const std::string&)>& damage) {
  TempDir dir;
  auto vectors = RandomVectors(800, kDim, 9);
  std::string path;
  {
    auto engine = OpenEngine(dir.path());
    auto c = Create(*engine, "c", kDim);
    UpsertAll(*c, MakePoints(vectors, 0, 800));
    REQUIRE(c->Delete(std::vector<std::string>{"p5"}).ok());
    path = CheckpointFile(dir.path(), *c);
  }
  REQUIRE(fs::exists(path));
  damage(path);
  {
    auto engine = OpenEngine(dir.path());
    auto c = *engine->GetCollection("c");
    CHECK(c->recovery().kind == RecoveryKind::kRebuilt);
    CHECK_FALSE(c->recovery().rebuild_reason.empty());
    CHECK(c->Count() == 799);
    std::vector<size_t> live;
    for (size_t i = 0; i < 800; i += 9) {
      if (i != 5) live.push_back(i);
    }
    CheckSelfQueries(*c, vectors, live);
  }
  // The rebuild wrote a fresh checkpoint: the next open loads it.
  auto engine = OpenEngine(dir.path());
  CHECK((*engine->GetCollection("c"))->recovery().kind ==
        RecoveryKind::kCheckpoint);
}

TEST_CASE("damaged checkpoints are rebuilt from RocksDB", "[recovery]") {
  SECTION("missing") { CheckRebuildAfter([](auto& p) { fs::remove(p); }); }
  SECTION("empty") {
    CheckRebuildAfter([](auto& p) { fs::resize_file(p, 0); });
  }
  SECTION("truncated to half") {
    CheckRebuildAfter([](auto& p) { fs::resize_file(p, fs::file_size(p) / 2); });
  }
  SECTION("truncated by one byte") {
    CheckRebuildAfter([](auto& p) { fs::resize_file(p, fs::file_size(p) - 1); });
  }
  SECTION("byte flipped in the middle") {
    CheckRebuildAfter([](auto& p) {
      std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
      f.seekg(static_cast<std::streamoff>(fs::file_size(p) / 2));
      char b;
      f.read(&b, 1);
      b ^= 0x5a;
      f.seekp(static_cast<std::streamoff>(fs::file_size(p) / 2));
      f.write(&b, 1);
    });
  }
  SECTION("garbage") {
    CheckRebuildAfter([](auto& p) {
      std::ofstream f(p, std::ios::binary | std::ios::trunc);
      for (int i = 0; i < 100000; ++i) f.put(static_cast<char>(i * 31));
    });
  }
}

TEST_CASE("a checkpoint of another collection is not used", "[recovery]") {
  TempDir dir;
  auto vectors = RandomVectors(300, kDim, 2);
  {
    auto engine = OpenEngine(dir.path());
    UpsertAll(*Create(*engine, "a", kDim), MakePoints(vectors, 0, 100));
    UpsertAll(*Create(*engine, "b", kDim), MakePoints(vectors, 100, 300));
    REQUIRE(engine->Close().ok());
    const auto a = CheckpointFile(dir.path(), **engine->GetCollection("a"));
    const auto b = CheckpointFile(dir.path(), **engine->GetCollection("b"));
    fs::copy_file(b, a, fs::copy_options::overwrite_existing);
  }
  auto engine = OpenEngine(dir.path());
  auto a = *engine->GetCollection("a");
  CHECK(a->recovery().kind == RecoveryKind::kRebuilt);
  CHECK(a->Count() == 100);
  CHECK(Nearest(*a, vectors[150]) != "p150");
  CHECK(Nearest(*a, vectors[50]) == "p50");
}

}  // namespace
}  // namespace vecdb

namespace vecdb {
namespace {

TEST_CASE("a damaged WAL is reported in the collection's info",
          "[recovery]") {
  TempDir dir;
  auto vectors = RandomVectors(400, kDim, 31);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // Acknowledged, synced writes of one point each, then a crash.
    auto engine = Engine::Open(dir.path(), {});
    if (!engine.ok()) _exit(2);
    auto c = (*engine)->CreateCollection(
        {.name = "c", .dimension = kDim, .metric = Metric::kL2});
    if (!c.ok()) _exit(3);
    for (size_t i = 0; i < vectors.size(); ++i) {
      if (!(*c)->Upsert(MakePoints(vectors, i, i + 1)).ok()) _exit(4);
    }
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const fs::path wal = testing::NewestWal(dir.path());
  REQUIRE(!wal.empty());
  REQUIRE(testing::FlipByte(wal, fs::file_size(wal) / 3));
  auto engine = OpenEngine(dir.path());
  auto c = engine->GetCollection("c");
  REQUIRE(c.ok());
  const CollectionInfo info = (*c)->Info();
  INFO(info.wal_recovery);
  CHECK(info.last_seq < vectors.size());
  CHECK(info.count == info.last_seq);
  CHECK_THAT(info.wal_recovery,
             Catch::Contains("write-ahead log was damaged") &&
                 Catch::Contains("recovered up to write " +
                                 std::to_string(info.last_seq)) &&
                 Catch::Contains("are lost"));
  // What was kept is whole: every kept point is found.
  std::vector<size_t> kept(info.count);
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = i;
  CheckSelfQueries(**c, vectors, kept);
  // The next open finds an intact log.
  engine.reset();
  engine = OpenEngine(dir.path());
  CHECK((*engine->GetCollection("c"))->Info().wal_recovery.empty());
}

}  // namespace
}  // namespace vecdb
