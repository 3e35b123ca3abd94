#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "tests/collection/engine_fixture.h"

namespace vecdb {
namespace {

using testing::Create;
using testing::MakePoints;
using testing::Nearest;
using testing::OpenEngine;
using testing::RandomVectors;
using testing::TempDir;
using testing::UpsertAll;

TEST_CASE("collections: create, get, list, drop", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  Create(*engine, "b", 4);
  Create(*engine, "a", 8, Metric::kCosine);

  auto dup = engine->CreateCollection({.name = "a", .dimension = 8});
  CHECK(absl::IsAlreadyExists(dup.status()));
  CHECK(dup.status().message() == "collection \"a\" already exists");

  auto bad = engine->CreateCollection({.name = "x", .dimension = 0});
  CHECK(bad.status().message() == "dimension: must be in 1..4096, got 0");
  CHECK(absl::IsInvalidArgument(
      engine->CreateCollection({.name = "no spaces", .dimension = 4})
          .status()));

  auto list = engine->ListCollections();
  REQUIRE(list.size() == 2);
  CHECK(list[0]->name() == "a");
  CHECK(list[1]->name() == "b");
  CHECK((*engine->GetCollection("a"))->record().metric == Metric::kCosine);

  auto missing = engine->GetCollection("zzz");
  CHECK(absl::IsNotFound(missing.status()));
  CHECK(missing.status().message() == "collection \"zzz\" not found");

  auto a = *engine->GetCollection("a");
  REQUIRE(engine->DropCollection("a").ok());
  CHECK(absl::IsNotFound(engine->DropCollection("a")));
  CHECK(absl::IsNotFound(engine->GetCollection("a").status()));
  // A handle held across the drop reports NotFound, it does not crash.
  CHECK(absl::IsNotFound(
      a->Upsert({{.id = "x", .vector = std::vector<float>(8, 1.0f)}})
          .status()));
  // The name can be reused, and the new collection starts empty.
  auto again = Create(*engine, "a", 8);
  CHECK(again->Count() == 0);
}

TEST_CASE("points: upsert, get, count, replace, delete", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "docs", 16);
  auto vectors = RandomVectors(300, 16, 7);
  UpsertAll(*c, MakePoints(vectors, 0, 300), 100);
  CHECK(c->Count() == 300);

  std::vector<std::string> ids = {"p5", "nope", "p299"};
  auto got = c->Get(ids, {.vector = true, .metadata = true, .document = true});
  REQUIRE(got.ok());
  REQUIRE((*got)[0].has_value());
  CHECK((*got)[0]->vector == vectors[5]);
  CHECK(std::get<int64_t>((*got)[0]->metadata.at("i")) == 5);
  CHECK((*got)[0]->document == "doc 5");
  CHECK_FALSE((*got)[1].has_value());
  CHECK((*got)[2]->id == "p299");

  // Only the requested fields come back.
  auto ids_only = c->Get(ids, {});
  REQUIRE(ids_only.ok());
  CHECK((*ids_only)[0]->vector.empty());
  CHECK((*ids_only)[0]->metadata.empty());
  CHECK_FALSE((*ids_only)[0]->document.has_value());

  // Replacing keeps the count and moves the point.
  std::vector<float> far(16, 50.0f);
  REQUIRE(c->Upsert({{.id = "p5", .vector = far}}).ok());
  CHECK(c->Count() == 300);
  CHECK(Nearest(*c, far) == "p5");
  auto replaced = c->Get(std::vector<std::string>{"p5"}, {.vector = true,
                                                          .metadata = true});
  CHECK((*replaced)[0]->vector == far);
  CHECK((*replaced)[0]->metadata.empty());

  auto del = c->Delete(std::vector<std::string>{"p5", "p6", "unknown"});
  REQUIRE(del.ok());
  CHECK(del->affected == 2);
  CHECK(c->Count() == 298);
  CHECK(Nearest(*c, far) != "p5");
  auto none = c->Delete(std::vector<std::string>{"p5"});
  REQUIRE(none.ok());
  CHECK(none->affected == 0);
}

TEST_CASE("bad writes change nothing", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "docs", 4, Metric::kCosine);
  REQUIRE(c->Upsert({{.id = "keep", .vector = {1, 0, 0, 0}}}).ok());
  const uint64_t seq = c->Info().last_seq;

  auto batch = [](Point bad) {
    std::vector<Point> points;
    for (int i = 0; i < 10; ++i) {
      points.push_back({.id = "g" + std::to_string(i), .vector = {1, 2, 3, 4}});
    }
    points.push_back(std::move(bad));
    return points;
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  struct Case {
    Point bad;
    std::string message;
  };
  std::vector<Case> cases = {
      {{.id = "x", .vector = {1, 2}},
       "points[10].vector: expected dimension 4, got 2"},
      {{.id = "x", .vector = {1, nan, 0, 0}},
       "points[10].vector[1]: NaN is not allowed"},
      {{.id = "x", .vector = {0, 0, 0, 0}},
       "points[10].vector: a zero vector has no direction under the cosine "
       "metric"},
      {{.id = "", .vector = {1, 0, 0, 0}}, "points[10].id: must not be empty"},
      {{.id = std::string(513, 'x'), .vector = {1, 0, 0, 0}},
       "points[10].id: 513 bytes exceed the limit of 512"},
      {{.id = "g3", .vector = {1, 0, 0, 0}},
       "points[10].id: duplicate of points[3].id (\"g3\")"},
  };
  for (auto& test : cases) {
    auto result = c->Upsert(batch(test.bad));
    CHECK(absl::IsInvalidArgument(result.status()));
    CHECK(result.status().message() == test.message);
  }
  CHECK(c->Count() == 1);
  CHECK(c->Info().last_seq == seq);
  auto g0 = c->Get(std::vector<std::string>{"g0"}, {});
  CHECK_FALSE((*g0)[0].has_value());
}

TEST_CASE("query: k, ef, include and errors", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "q", 8);
  auto vectors = RandomVectors(50, 8, 3);
  UpsertAll(*c, MakePoints(vectors, 0, 50));

  auto r = c->Query({vectors[7], vectors[9]},
                    {.k = 5, .ef = 10, .include = {.metadata = true}});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0][0].point.id == "p7");
  CHECK((*r)[0][0].distance == Approx(0.0f).margin(1e-5));
  CHECK(std::get<int64_t>((*r)[0][0].point.metadata.at("i")) == 7);
  CHECK((*r)[1][0].point.id == "p9");
  for (const auto& hits : *r) {
    REQUIRE(hits.size() == 5);
    for (size_t i = 1; i < hits.size(); ++i) {
      CHECK(hits[i - 1].distance <= hits[i].distance);
    }
  }
  // Euclidean distance, not squared.
  float expected = 0;
  const std::string second = (*r)[0][1].point.id;
  const size_t idx = std::stoul(second.substr(1));
  for (int i = 0; i < 8; ++i) {
    const float diff = vectors[7][i] - vectors[idx][i];
    expected += diff * diff;
  }
  CHECK((*r)[0][1].distance == Approx(std::sqrt(expected)).epsilon(1e-4));

  // k larger than the collection returns everything.
  auto all = c->Query({vectors[0]}, {.k = 1000});
  REQUIRE(all.ok());
  CHECK((*all)[0].size() == 50);

  CHECK(c->Query({vectors[0]}, {.k = 0}).status().message() ==
        "k: must be in 1..1000, got 0");
  CHECK(absl::IsInvalidArgument(c->Query({vectors[0]}, {.k = 1001}).status()));
  CHECK(absl::IsInvalidArgument(
      c->Query({vectors[0]}, {.k = 1, .ef = 5000}).status()));
  CHECK(c->Query({vectors[0], {1, 2}}, {.k = 1}).status().message() ==
        "queries[1]: expected dimension 8, got 2");
  CHECK(absl::IsInvalidArgument(c->Query({}, {.k = 1}).status()));
}

TEST_CASE("cosine and inner product distances", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto cos = Create(*engine, "cos", 2, Metric::kCosine);
  REQUIRE(cos->Upsert({{.id = "x", .vector = {10, 0}},
                       {.id = "y", .vector = {0, 3}}})
              .ok());
  auto r = cos->Query({{1, 1}}, {.k = 2, .include = {.vector = true}});
  REQUIRE(r.ok());
  CHECK((*r)[0][0].distance == Approx(1 - std::sqrt(0.5)).epsilon(1e-4));
  // The stored vector is returned as sent, not normalised.
  CHECK(((*r)[0][0].point.vector == std::vector<float>{10, 0} ||
         (*r)[0][0].point.vector == std::vector<float>{0, 3}));

  auto ip = Create(*engine, "ip", 2, Metric::kInnerProduct);
  REQUIRE(ip->Upsert({{.id = "x", .vector = {2, 0}},
                      {.id = "y", .vector = {0, 1}}})
              .ok());
  auto r2 = ip->Query({{1, 1}}, {.k = 2});
  REQUIRE(r2.ok());
  CHECK((*r2)[0][0].point.id == "x");
  CHECK((*r2)[0][0].distance == Approx(-1.0f));
  CHECK((*r2)[0][1].distance == Approx(0.0f).margin(1e-6));
}

TEST_CASE("scroll is stable while writes happen", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "s", 4);
  auto vectors = RandomVectors(250, 4, 11);
  UpsertAll(*c, MakePoints(vectors, 0, 250));
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = c->Scroll(cursor, 40, {.document = true});
    REQUIRE(page.ok());
    for (const Point& p : page->points) {
      CHECK(seen.insert(p.id).second);
      if (p.id[0] == 'p') CHECK(p.document == "doc " + p.id.substr(1));
    }
    cursor = page->next_cursor;
    // Writes between pages: new ids and deletes of ids not yet seen must
    // not disturb the ones that exist throughout.
    if (pages == 1) {
      REQUIRE(c->Upsert({{.id = "a-new", .vector = {1, 1, 1, 1}},
                         {.id = "zz-new", .vector = {1, 1, 1, 1}}})
                  .ok());
    }
    ++pages;
  } while (!cursor.empty());
  CHECK(pages == 7);
  for (size_t i = 0; i < 250; ++i) {
    CHECK(seen.count("p" + std::to_string(i)) == 1);
  }
  CHECK(seen.count("zz-new") == 1);
  CHECK(absl::IsInvalidArgument(c->Scroll("", 0, {}).status()));
}

TEST_CASE("data survives reopen, with deletes and replacements", "[engine]") {
  TempDir dir;
  auto vectors = RandomVectors(2000, 32, 5);
  std::vector<float> moved(32, 9.0f);
  {
    auto engine = OpenEngine(dir.path());
    auto c = Create(*engine, "persist", 32);
    UpsertAll(*c, MakePoints(vectors, 0, 2000));
    std::vector<std::string> gone;
    for (int i = 0; i < 2000; i += 2) gone.push_back("p" + std::to_string(i));
    REQUIRE(c->Delete(gone)->affected == 1000);
    REQUIRE(c->Upsert({{.id = "p1", .vector = moved}}).ok());
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto c = *engine->GetCollection("persist");
  CHECK(c->recovery().kind == RecoveryKind::kCheckpoint);
  CHECK(c->recovery().replayed_writes == 0);
  CHECK(c->Count() == 1000);
  CHECK(Nearest(*c, moved) == "p1");
  CHECK(Nearest(*c, vectors[3]) == "p3");
  auto r = c->Query({vectors[4]}, {.k = 10});
  REQUIRE((*r)[0].size() == 10);
  for (const auto& hit : (*r)[0]) {
    CHECK(std::stoul(hit.point.id.substr(1)) % 2 == 1);
  }
  auto got = c->Get(std::vector<std::string>{"p4", "p5"}, {.vector = true});
  CHECK_FALSE((*got)[0].has_value());
  CHECK((*got)[1]->vector == vectors[5]);
}

TEST_CASE("drop frees storage and checkpoint files", "[engine]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "tmp", 8);
  UpsertAll(*c, MakePoints(RandomVectors(100, 8, 1), 0, 100));
  REQUIRE(engine->CheckpointAll().ok());
  const auto ckpt = std::filesystem::path(dir.path()) / "indexes" /
                    (std::to_string(c->record().id) + ".ckpt");
  CHECK(std::filesystem::exists(ckpt));
  REQUIRE(engine->DropCollection("tmp").ok());
  CHECK_FALSE(std::filesystem::exists(ckpt));
  engine.reset();
  auto reopened = OpenEngine(dir.path());
  CHECK(reopened->ListCollections().empty());
}

}  // namespace
}  // namespace vecdb

namespace vecdb {
namespace {

TEST_CASE("engine options out of range are rejected at open", "[engine]") {
  testing::TempDir dir;
  EngineOptions options;
  options.compact_fraction = 0;
  auto engine = Engine::Open(dir.path(), options);
  CHECK(engine.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(engine.status().message()),
             Catch::StartsWith("compact_fraction: must be in (0, 1]"));
  options.compact_fraction = 0.5;
  options.link_nice = -1;
  engine = Engine::Open(dir.path(), options);
  CHECK(engine.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(engine.status().message()),
             Catch::StartsWith("link_nice: must be in 0..19"));
}

}  // namespace
}  // namespace vecdb
