// Opening a collection loads its metadata and text indexes from their
// checkpoint (collection/secondary_load.h), replays the op log after it,
// and falls back to RocksDB's index entries when the file is unusable.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "collection/secondary_checkpoint.h"
#include "tests/collection/engine_fixture.h"
#include "tests/testing/wal_files.h"

namespace vecdb {
namespace {

namespace fs = std::filesystem;
using testing::Create;
using testing::MakePoints;
using testing::NoAutomaticCheckpoints;
using testing::OpenEngine;
using testing::RandomVectors;
using testing::TempDir;
using testing::UpsertAll;

constexpr size_t kDim = 8;

std::string SecondaryFile(const std::string& dir, const Collection& c) {
  return SecondaryCheckpointPath(
      (fs::path(dir) / "indexes" / (std::to_string(c.record().id) + ".ckpt"))
          .string());
}

std::vector<Filter> Filters() {
  return {
      FieldFilter("tag", FieldOp::kEq, {std::string("t0")}),
      FieldFilter("tag", FieldOp::kEq, {std::string("changed")}),
      FieldFilter("tag", FieldOp::kNe, {std::string("t1")}),
      FieldFilter("i", FieldOp::kGte, {int64_t{590}}),
      FieldFilter("i", FieldOp::kLt, {int64_t{10}}),
      FieldFilter("extra", FieldOp::kExists, {}),
      TextFilter(TextOp::kContains, "doc 4"),
      TextFilter(TextOp::kNotContains, "doc"),
  };
}

// Everything the secondary indexes answer, as text: the matching ids of
// each filter (Scroll) and the top text hits of a few queries.
std::vector<std::string> Answers(Collection& c) {
  std::vector<std::string> out;
  for (const Filter& f : Filters()) {
    auto page = c.Scroll("", 100000, {}, &f);
    REQUIRE(page.ok());
    std::string ids;
    for (const Point& p : page->points) ids += p.id + " ";
    out.push_back(ids);
  }
  for (const char* q : {"5", "7", "650", "fresh words", "doc 42"}) {
    auto r = c.Search({}, {std::string(q)}, {.k = 5});
    REQUIRE(r.ok());
    std::string hits = std::string(q) + ":";
    for (const Hit& h : (*r)[0].hits) {
      hits += " " + h.point.id + "=" + std::to_string(h.score);
    }
    out.push_back(hits);
  }
  return out;
}

TEST_CASE("secondary indexes load from their checkpoint and replay the op log",
          "[recovery][secondary]") {
  TempDir dir;
  auto vectors = RandomVectors(700, kDim, 5);
  std::vector<std::string> before;
  {
    auto engine = OpenEngine(dir.path(), NoAutomaticCheckpoints());
    auto c = Create(*engine, "s", kDim);
    UpsertAll(*c, MakePoints(vectors, 0, 600));
    REQUIRE(engine->CheckpointAll().ok());
    REQUIRE(fs::exists(SecondaryFile(dir.path(), *c)));
    // After the checkpoint: new points, a metadata-only change, a
    // replacement with new metadata and document, deletes.
    UpsertAll(*c, MakePoints(vectors, 600, 700), 50);  // 2 writes
    std::vector<Point> meta = MakePoints(vectors, 5, 6);
    meta[0].metadata["tag"] = std::string("changed");
    meta[0].metadata["extra"] = true;
    REQUIRE(c->Upsert(std::move(meta)).ok());  // 1 write, same vector
    std::vector<Point> replaced = MakePoints(vectors, 6, 7);
    replaced[0].vector = vectors[300];
    replaced[0].metadata["tag"] = std::string("changed");
    replaced[0].document = "fresh words";
    REQUIRE(c->Upsert(std::move(replaced)).ok());  // 1 write
    REQUIRE(c->Delete(std::vector<std::string>{"p7", "p650"}).ok());  // 1
    before = Answers(*c);
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto c = *engine->GetCollection("s");
  const RecoveryInfo& info = c->recovery();
  CHECK(info.secondary_from_checkpoint);
  CHECK(info.secondary_replayed_writes == 5);
  CHECK(info.secondary_fallback_reason.empty());
  CHECK(Answers(*c) == before);
  auto changed = c->Count(Filters()[1]);
  REQUIRE(changed.ok());
  CHECK(*changed == 2);
}

TEST_CASE("an unusable secondary checkpoint falls back to RocksDB and is "
          "written again",
          "[recovery][secondary]") {
  TempDir dir;
  auto vectors = RandomVectors(400, kDim, 6);
  std::vector<std::string> before;
  std::string path;
  {
    auto engine = OpenEngine(dir.path());
    auto c = Create(*engine, "s", kDim);
    UpsertAll(*c, MakePoints(vectors, 0, 400), 100);
    before = Answers(*c);
    path = SecondaryFile(dir.path(), *c);
    REQUIRE(engine->Close().ok());  // checkpoints on close
  }
  REQUIRE(fs::exists(path));
  std::string expected_reason;
  SECTION("byte flipped") {
    REQUIRE(testing::FlipByte(path, fs::file_size(path) / 2));
    expected_reason = "checksum mismatch";
  }
  SECTION("missing") {
    fs::remove(path);
    expected_reason = "no secondary-index checkpoint";
  }
  SECTION("truncated") {
    fs::resize_file(path, fs::file_size(path) - 3);
    expected_reason = "checksum mismatch";
  }
  {
    auto engine = OpenEngine(dir.path());
    auto c = *engine->GetCollection("s");
    CHECK_FALSE(c->recovery().secondary_from_checkpoint);
    CHECK(c->recovery().secondary_fallback_reason.find(expected_reason) !=
          std::string::npos);
    // The graph checkpoint was fine.
    CHECK(c->recovery().kind == RecoveryKind::kCheckpoint);
    CHECK(Answers(*c) == before);
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto c = *engine->GetCollection("s");
  CHECK(c->recovery().secondary_from_checkpoint);
  CHECK(Answers(*c) == before);
}

TEST_CASE("a secondary checkpoint of another collection is not used",
          "[recovery][secondary]") {
  TempDir dir;
  auto vectors = RandomVectors(100, kDim, 7);
  std::string a_path, b_path;
  {
    auto engine = OpenEngine(dir.path());
    auto a = Create(*engine, "a", kDim);
    auto b = Create(*engine, "b", kDim);
    UpsertAll(*a, MakePoints(vectors, 0, 50));
    UpsertAll(*b, MakePoints(vectors, 50, 100));
    a_path = SecondaryFile(dir.path(), *a);
    b_path = SecondaryFile(dir.path(), *b);
    REQUIRE(engine->Close().ok());
  }
  fs::copy_file(a_path, b_path, fs::copy_options::overwrite_existing);
  auto engine = OpenEngine(dir.path());
  auto b = *engine->GetCollection("b");
  CHECK_FALSE(b->recovery().secondary_from_checkpoint);
  CHECK(b->recovery().secondary_fallback_reason.find("written for collection") !=
        std::string::npos);
  auto ids = b->Count(FieldFilter("i", FieldOp::kGte, {int64_t{50}}));
  REQUIRE(ids.ok());
  CHECK(*ids == 50);
}

TEST_CASE("dropping a collection removes its secondary checkpoint",
          "[recovery][secondary]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "s", kDim);
  UpsertAll(*c, MakePoints(RandomVectors(10, kDim, 8), 0, 10));
  REQUIRE(engine->CheckpointAll().ok());
  const std::string path = SecondaryFile(dir.path(), *c);
  REQUIRE(fs::exists(path));
  REQUIRE(engine->DropCollection("s").ok());
  CHECK_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace vecdb
