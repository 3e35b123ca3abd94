// The write path: no-op and metadata-only writes, sequence numbers of
// concurrent writers, a graph failure after the commit, compaction.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "tests/collection/engine_fixture.h"

namespace vecdb {
namespace {

using testing::Create;
using testing::MakePoints;
using testing::OpenEngine;
using testing::RandomVectors;
using testing::TempDir;
using testing::UpsertAll;

TEST_CASE("an upsert of an identical point changes nothing",
          "[write_path]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "c", 8);
  auto vectors = RandomVectors(100, 8, 1);
  UpsertAll(*c, MakePoints(vectors, 0, 100));
  const CollectionInfo before = c->Info();
  auto again = c->Upsert(MakePoints(vectors, 0, 100));
  REQUIRE(again.ok());
  CHECK(again->affected == 100);
  CHECK(again->seq == before.last_seq);
  const CollectionInfo after = c->Info();
  CHECK(after.last_seq == before.last_seq);
  CHECK(after.index_slots == before.index_slots);
  CHECK(after.index_deleted_slots == 0);
}

TEST_CASE("a metadata-only upsert updates the filters, not the graph",
          "[write_path]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "c", 8);
  auto vectors = RandomVectors(100, 8, 2);
  UpsertAll(*c, MakePoints(vectors, 0, 100));
  const CollectionInfo before = c->Info();
  std::vector<Point> changed = MakePoints(vectors, 0, 10);
  for (Point& p : changed) p.metadata["tag"] = std::string("moved");
  auto r = c->Upsert(changed);
  REQUIRE(r.ok());
  CHECK(r->seq == before.last_seq + 1);
  const CollectionInfo after = c->Info();
  CHECK(after.index_slots == before.index_slots);
  CHECK(after.index_deleted_slots == 0);
  const Filter moved = FieldFilter("tag", FieldOp::kEq, {std::string("moved")});
  auto count = c->Count(moved);
  REQUIRE(count.ok());
  CHECK(*count == 10);
  QueryOptions options{.k = 5};
  options.filter = moved;
  auto hits = c->Query({vectors[3]}, options);
  REQUIRE(hits.ok());
  REQUIRE((*hits)[0].size() == 5);
  CHECK((*hits)[0][0].point.id == "p3");
  // The op log holds the change: a reopen without a checkpoint replays it.
  engine.reset();
  EngineOptions no_checkpoint;
  no_checkpoint.checkpoint_on_close = false;
  engine = OpenEngine(dir.path(), no_checkpoint);
  auto reopened = engine->GetCollection("c");
  REQUIRE(reopened.ok());
  auto count_after = (*reopened)->Count(moved);
  REQUIRE(count_after.ok());
  CHECK(*count_after == 10);
}

TEST_CASE("a replaced vector is found at its new place, once",
          "[write_path]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "c", 8);
  auto vectors = RandomVectors(400, 8, 3);
  UpsertAll(*c, MakePoints(vectors, 0, 200));
  // p0..p199 take the vectors of 200..399.
  std::vector<Point> moved = MakePoints(vectors, 200, 400);
  for (size_t i = 0; i < moved.size(); ++i) moved[i].id = "p" + std::to_string(i);
  UpsertAll(*c, moved, 50);
  CHECK(c->Count() == 200);
  const CollectionInfo info = c->Info();
  CHECK(info.index_deleted_slots == 200);
  for (size_t i = 0; i < 200; i += 17) {
    auto r = c->Query({vectors[200 + i]}, {.k = 10});
    REQUIRE(r.ok());
    REQUIRE((*r)[0].size() == 10);
    CHECK((*r)[0][0].point.id == "p" + std::to_string(i));
    std::set<std::string> ids;
    for (const Hit& h : (*r)[0]) ids.insert(h.point.id);
    CHECK(ids.size() == 10);  // no point twice
  }
}

TEST_CASE("every concurrent write returns its own sequence number",
          "[write_path]") {
  TempDir dir;
  EngineOptions options;
  options.sync_writes = false;
  auto engine = OpenEngine(dir.path(), options);
  auto c = Create(*engine, "c", 8);
  auto vectors = RandomVectors(800, 8, 4);
  constexpr int kThreads = 4;
  constexpr int kWrites = 50;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int w = 0; w < kWrites; ++w) {
        const size_t i = (t * kWrites + w) % 800;
        std::vector<Point> p = MakePoints(vectors, i, i + 1);
        p[0].vector = vectors[(i + w + 1) % 800];  // always a new vector
        auto r = c->Upsert(p);
        if (r.ok()) seqs[t].push_back(r->seq);
      }
    });
  }
  for (auto& w : writers) w.join();
  std::set<uint64_t> all;
  for (const auto& s : seqs) {
    REQUIRE(s.size() == kWrites);
    // A writer's own writes are ordered.
    CHECK(std::is_sorted(s.begin(), s.end()));
    all.insert(s.begin(), s.end());
  }
  CHECK(all.size() == kThreads * kWrites);
  CHECK(*all.begin() == 1);
  CHECK(*all.rbegin() == kThreads * kWrites);
  CHECK(c->Info().applied_seq == kThreads * kWrites);
}

TEST_CASE("a graph failure after the commit marks the collection for rebuild",
          "[write_path]") {
  TempDir dir;
  std::atomic<bool> fail{false};
  EngineOptions options;
  options.index_stage_fault = [&]() -> absl::Status {
    if (fail.load()) return absl::ResourceExhaustedError("injected");
    return absl::OkStatus();
  };
  auto vectors = RandomVectors(300, 8, 5);
  {
    auto engine = OpenEngine(dir.path(), options);
    auto c = Create(*engine, "c", 8);
    UpsertAll(*c, MakePoints(vectors, 0, 200));
    REQUIRE(engine->CheckpointAll().ok());
    fail = true;
    auto r = c->Upsert(MakePoints(vectors, 200, 300));
    // The write is durable, so it is acknowledged with its own number.
    REQUIRE(r.ok());
    CHECK(r->seq == c->Info().last_seq);
    fail = false;
    const CollectionInfo info = c->Info();
    CHECK_THAT(info.index_stale_reason,
               Catch::Matchers::Contains("could not be linked"));
    // No checkpoint may be written that lacks the write.
    CHECK(c->Checkpoint().code() == absl::StatusCode::kFailedPrecondition);
    REQUIRE(engine->MaintainAll().ok());
    CHECK(c->Info().index_stale_reason.empty());
    CHECK(testing::Nearest(*c, vectors[250]) == "p250");
    REQUIRE(c->Checkpoint().ok());
  }
  // The rebuilt graph's checkpoint holds the write.
  auto engine = OpenEngine(dir.path());
  auto c = engine->GetCollection("c");
  REQUIRE(c.ok());
  CHECK((*c)->recovery().kind == RecoveryKind::kCheckpoint);
  CHECK((*c)->Count() == 300);
  CHECK(testing::Nearest(**c, vectors[299]) == "p299");
}

TEST_CASE("compaction reclaims replaced slots and keeps every point",
          "[write_path]") {
  TempDir dir;
  EngineOptions options;
  options.sync_writes = false;
  auto engine = OpenEngine(dir.path(), options);
  auto c = Create(*engine, "c", 16);
  auto vectors = RandomVectors(2000, 16, 6);
  UpsertAll(*c, MakePoints(vectors, 0, 1000));
  // Replace every point twice with new vectors.
  for (int round = 1; round <= 2; ++round) {
    std::vector<Point> moved = MakePoints(vectors, 1000, 2000);
    for (size_t i = 0; i < moved.size(); ++i) {
      moved[i].id = "p" + std::to_string(i);
      moved[i].vector = vectors[1000 + (i + round * 7) % 1000];
    }
    UpsertAll(*c, moved, 100);
  }
  CHECK(c->Info().index_slots == 3000);
  REQUIRE(engine->MaintainAll().ok());
  const CollectionInfo info = c->Info();
  CHECK(info.compactions == 1);
  CHECK(info.last_compaction_reclaimed == 2000);
  CHECK(info.index_slots == 1000);
  CHECK(info.index_deleted_slots == 0);
  CHECK(info.last_compaction_unix > 0);
  for (size_t i = 0; i < 1000; i += 37) {
    CHECK(testing::Nearest(*c, vectors[1000 + (i + 14) % 1000]) ==
          "p" + std::to_string(i));
  }
  // The compacted graph checkpoints and reopens.
  REQUIRE(c->Checkpoint().ok());
  engine.reset();
  engine = OpenEngine(dir.path(), options);
  auto reopened = engine->GetCollection("c");
  REQUIRE(reopened.ok());
  CHECK((*reopened)->recovery().kind == RecoveryKind::kCheckpoint);
  CHECK((*reopened)->Info().index_slots == 1000);
}

}  // namespace
}  // namespace vecdb
