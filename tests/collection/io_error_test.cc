// I/O errors under the engine, one class at a time, injected by the
// power-cut file system (tests/testing/power_cut_fs.h): the write whose
// commit or sync fails is not acknowledged and reports the error's code,
// later writes succeed once the fault is lifted, and a restart shows
// exactly the acknowledged state.
#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collection/engine.h"
#include "tests/collection/engine_fixture.h"
#include "tests/testing/power_cut_fs.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {
namespace {

namespace fs = std::filesystem;

Point PointAt(int i) {
  Point p;
  p.id = "p" + std::to_string(i);
  p.vector = {static_cast<float>(i), 1.0f, 2.0f, 3.0f};
  p.metadata["i"] = static_cast<int64_t>(i);
  return p;
}

struct IoFixture {
  TempDir dir;
  std::string data = dir.path() + "/data";
  std::shared_ptr<PowerCutFs> faults =
      std::make_shared<PowerCutFs>(dir.path(), 11);
  std::unique_ptr<Engine> engine;
  std::shared_ptr<Collection> collection;

  IoFixture() {
    EngineOptions options = NoAutomaticCheckpoints();
    options.file_system = faults;
    engine = OpenEngine(data, options);
    collection = Create(*engine, "c", 4);
  }

  absl::StatusOr<WriteResult> Write(int i) {
    return collection->Upsert({PointAt(i)});
  }

  // Closes, reopens on the machine's file system, and returns which of
  // p0..p<n-1> exist and whether the graph finds each.
  std::vector<bool> Restart(int n) {
    collection.reset();
    REQUIRE(engine->Close().ok());
    engine.reset();
    engine = OpenEngine(data, NoAutomaticCheckpoints());
    absl::StatusOr<std::shared_ptr<Collection>> c = engine->GetCollection("c");
    REQUIRE(c.ok());
    collection = *c;
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back("p" + std::to_string(i));
    auto got = collection->Get(ids, Include());
    REQUIRE(got.ok());
    std::vector<bool> present;
    for (int i = 0; i < n; ++i) {
      present.push_back((*got)[i].has_value());
      if (!present.back()) continue;
      QueryOptions query;
      query.k = 1;
      auto hits = collection->Query({PointAt(i).vector}, query);
      REQUIRE(hits.ok());
      REQUIRE((*hits)[0].size() == 1);
      CHECK((*hits)[0][0].point.id == ids[i]);
    }
    CHECK(collection->Count() ==
          static_cast<uint64_t>(std::count(present.begin(), present.end(), true)));
    return present;
  }
};

FaultRule Rule(FsOp op, int error, std::string path, uint64_t count = 1) {
  FaultRule rule;
  rule.op = op;
  rule.error = error;
  rule.path_contains = std::move(path);
  rule.count = count;
  return rule;
}

// A WAL fault during p1's write: p1 fails with `code` and is not
// acknowledged. RocksDB cannot resume a failed log write in place, so
// writes stay stopped (UNAVAILABLE, naming the first error) while reads go
// on; after a restart with the fault gone they succeed, and the state holds
// every acknowledged write and nothing the fault cut short. A failed sync
// leaves the record itself complete in the log: whether it comes back is
// the disk's choice (`p1_may_return`).
void CheckFailedWrite(const FaultRule& rule, absl::StatusCode code,
                      bool p1_may_return) {
  IoFixture f;
  REQUIRE(f.Write(0).ok());
  f.faults->InjectFault(rule);
  absl::StatusOr<WriteResult> failed = f.Write(1);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == code);
  CHECK(failed.status().message().find("injected") != std::string::npos);
  f.faults->ClearFaults();
  absl::StatusOr<WriteResult> stopped = f.Write(2);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().code() == absl::StatusCode::kUnavailable);
  CHECK(stopped.status().message().find("writes are stopped") !=
        std::string::npos);
  CHECK(stopped.status().message().find("injected") != std::string::npos);
  // Reads go on, and see the acknowledged state.
  auto got = f.collection->Get({"p0", "p1", "p2"}, Include());
  REQUIRE(got.ok());
  CHECK((*got)[0].has_value());
  CHECK_FALSE((*got)[1].has_value());
  CHECK_FALSE((*got)[2].has_value());
  CHECK(f.collection->Count() == 1);
  // Close reports the stopped store; the reopen recovers.
  f.collection.reset();
  CHECK_FALSE(f.engine->Close().ok());
  f.engine.reset();
  f.engine = OpenEngine(f.data, NoAutomaticCheckpoints());
  auto c = f.engine->GetCollection("c");
  REQUIRE(c.ok());
  f.collection = *c;
  REQUIRE(f.Write(3).ok());
  const std::vector<bool> present = f.Restart(4);
  CHECK(present[0]);
  if (!p1_may_return) CHECK_FALSE(present[1]);
  CHECK_FALSE(present[2]);
  CHECK(present[3]);
}

TEST_CASE("a failed WAL append is not acknowledged; writes resume after a "
          "restart", "[io_error]") {
  CheckFailedWrite(Rule(FsOp::kAppend, EIO, ".log"),
                   absl::StatusCode::kInternal, false);
}

TEST_CASE("a full disk fails the write with RESOURCE_EXHAUSTED",
          "[io_error]") {
  CheckFailedWrite(Rule(FsOp::kAppend, ENOSPC, ".log"),
                   absl::StatusCode::kResourceExhausted, false);
}

TEST_CASE("a torn WAL append is not acknowledged and never replayed",
          "[io_error]") {
  FaultRule rule = Rule(FsOp::kAppend, EIO, ".log");
  rule.torn = true;
  CheckFailedWrite(rule, absl::StatusCode::kInternal, false);
}

TEST_CASE("a failed WAL sync is not acknowledged", "[io_error]") {
  CheckFailedWrite(Rule(FsOp::kSync, EIO, ".log"),
                   absl::StatusCode::kInternal, true);
}

// A checkpoint step that fails: CheckpointAll reports it, no temporary
// file is left, writes go on, and a restart (replaying the op log after
// the old checkpoint, or rebuilding) answers exactly.
void CheckFailedCheckpoint(const FaultRule& rule, absl::StatusCode code) {
  IoFixture f;
  REQUIRE(f.Write(0).ok());
  f.faults->InjectFault(rule);
  absl::Status s = f.engine->CheckpointAll();
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == code);
  CHECK(s.message().find("injected") != std::string::npos);
  CHECK_FALSE(fs::exists(f.data + "/indexes/1.ckpt.tmp"));
  CHECK_FALSE(fs::exists(f.data + "/indexes/1.sec.tmp"));
  f.faults->ClearFaults();
  REQUIRE(f.Write(1).ok());
  CHECK(f.Restart(2) == std::vector<bool>{true, true});
}

TEST_CASE("a checkpoint that cannot be created fails cleanly", "[io_error]") {
  CheckFailedCheckpoint(Rule(FsOp::kCreate, ENOSPC, ".ckpt.tmp"),
                        absl::StatusCode::kResourceExhausted);
}

TEST_CASE("a checkpoint that cannot be written fails cleanly", "[io_error]") {
  CheckFailedCheckpoint(Rule(FsOp::kAppend, EIO, ".ckpt.tmp"),
                        absl::StatusCode::kInternal);
}

TEST_CASE("a checkpoint that cannot be synced fails cleanly", "[io_error]") {
  CheckFailedCheckpoint(Rule(FsOp::kSync, EIO, ".ckpt.tmp"),
                        absl::StatusCode::kInternal);
}

TEST_CASE("a checkpoint that cannot be renamed fails cleanly", "[io_error]") {
  CheckFailedCheckpoint(Rule(FsOp::kRename, EIO, ".ckpt.tmp"),
                        absl::StatusCode::kInternal);
}

TEST_CASE("a failed directory sync fails the checkpoint", "[io_error]") {
  IoFixture f;
  REQUIRE(f.Write(0).ok());
  f.faults->InjectFault(Rule(FsOp::kDirSync, EIO, "indexes"));
  absl::Status s = f.engine->CheckpointAll();
  CHECK(s.code() == absl::StatusCode::kInternal);
  f.faults->ClearFaults();
  REQUIRE(f.engine->CheckpointAll().ok());
  REQUIRE(f.Write(1).ok());
  CHECK(f.Restart(2) == std::vector<bool>{true, true});
}

TEST_CASE("an unreadable checkpoint at open means a rebuild, not an error",
          "[io_error]") {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  {
    auto engine = OpenEngine(data, NoAutomaticCheckpoints());
    auto c = Create(*engine, "c", 4);
    for (int i = 0; i < 3; ++i) REQUIRE(c->Upsert({PointAt(i)}).ok());
    REQUIRE(engine->CheckpointAll().ok());
  }
  auto faults = std::make_shared<PowerCutFs>(dir.path(), 3);
  faults->InjectFault(Rule(FsOp::kRead, EIO, ".ckpt"));
  EngineOptions options = NoAutomaticCheckpoints();
  options.file_system = faults;
  auto engine = OpenEngine(data, options);
  auto c = engine->GetCollection("c");
  REQUIRE(c.ok());
  CHECK((*c)->recovery().rebuild_reason.find("injected read fault") !=
        std::string::npos);
  CHECK((*c)->Count() == 3);
  QueryOptions query;
  query.k = 1;
  auto hits = (*c)->Query({PointAt(2).vector}, query);
  REQUIRE(hits.ok());
  CHECK((*hits)[0][0].point.id == "p2");
}

TEST_CASE("a data directory that cannot be created is a clear error",
          "[io_error]") {
  TempDir dir;
  auto faults = std::make_shared<PowerCutFs>(dir.path(), 5);
  faults->InjectFault(Rule(FsOp::kCreateDir, EIO, "data"));
  EngineOptions options;
  options.file_system = faults;
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Open(dir.path() + "/data", options);
  REQUIRE_FALSE(engine.ok());
  CHECK(engine.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(engine.status().message().find("cannot create directory") !=
        std::string::npos);
}

}  // namespace
}  // namespace vecdb::testing
