// Queries concurrent with writes. Run under ThreadSanitizer in CI
// (VECDB_SANITIZER=thread) to prove the absence of data races.
#include <atomic>
#include <catch2/catch.hpp>
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
using testing::UpsertAllCounting;

TEST_CASE("queries run concurrently with upserts, deletes and checkpoints",
          "[concurrency]") {
  TempDir dir;
  EngineOptions options;
  // The readers spin without pause: writers take an equal CPU share so
  // that the test ends in bounded time (under ThreadSanitizer too).
  options.link_nice = 0;
  options.sync_writes = false;
  options.checkpoint_every_ops = 500;
  auto engine = OpenEngine(dir.path(), options);
  auto c = Create(*engine, "c", 16);
  auto vectors = RandomVectors(3000, 16, 13);
  // 1000 points that stay put: every query must find k results.
  UpsertAll(*c, MakePoints(vectors, 0, 1000));

  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::atomic<int> queries{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      size_t i = t;
      while (!stop.load()) {
        const size_t ef = 10 + (i % 5) * 30;  // different ef per query
        auto r = c->Query({vectors[i % 1000]},
                          {.k = 10, .ef = static_cast<uint32_t>(ef),
                           .include = {.metadata = true}});
        if (!r.ok()) {
          UNSCOPED_INFO(r.status().ToString());
          ++errors;
        } else if ((*r)[0].size() != 10) {
          UNSCOPED_INFO("short result: " << (*r)[0].size());
          ++errors;
        }
        ++queries;
        i += 3;
      }
    });
  }
  std::thread writer([&] {
    for (int round = 0; round < 10; ++round) {
      UpsertAllCounting(*c, MakePoints(vectors, 1000, 3000), 250, errors);
      std::vector<std::string> ids;
      for (size_t i = 1000 + round; i < 3000; i += 2) {
        ids.push_back("p" + std::to_string(i));
      }
      if (!c->Delete(ids).ok()) ++errors;
    }
    stop.store(true);
  });
  std::thread checkpointer([&] {
    while (!stop.load()) {
      if (!engine->CheckpointAll().ok()) ++errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  writer.join();
  checkpointer.join();
  for (auto& r : readers) r.join();
  CHECK(errors.load() == 0);
  CHECK(queries.load() > 0);
  auto info = c->Info();
  CHECK(info.count == c->Count());
  // Compaction reclaims the deleted slots: the graph holds the live points.
  REQUIRE(engine->MaintainAll().ok());
  info = c->Info();
  CHECK(info.index_slots == info.count);
}

TEST_CASE("queries run while several writers replace vectors and the graph "
          "is compacted",
          "[concurrency]") {
  TempDir dir;
  EngineOptions options;
  // The readers spin without pause: writers take an equal CPU share so
  // that the test ends in bounded time (under ThreadSanitizer too).
  options.link_nice = 0;
  options.sync_writes = false;
  options.compact_fraction = 0.3;
  auto engine = OpenEngine(dir.path(), options);
  auto c = Create(*engine, "c", 16);
  auto vectors = RandomVectors(2000, 16, 17);
  // p0..p499 stay put; p500..p999 are replaced again and again.
  UpsertAll(*c, MakePoints(vectors, 0, 1000));

  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::atomic<int> queries{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      size_t i = t;
      while (!stop.load()) {
        QueryOptions options{.k = 10};
        if (i % 4 == 0) {
          options.filter = FieldFilter("i", FieldOp::kLt, {int64_t{500}});
        }
        auto r = c->Query({vectors[i % 500]}, options);
        if (!r.ok()) {
          UNSCOPED_INFO(r.status().ToString());
          ++errors;
        } else if ((*r)[0].size() != 10) {
          UNSCOPED_INFO("short result: " << (*r)[0].size());
          ++errors;
        } else if ((*r)[0][0].point.id != "p" + std::to_string(i % 500)) {
          // A point that never moves is always its own nearest neighbour.
          UNSCOPED_INFO("nearest of p" << i % 500 << ": "
                                       << (*r)[0][0].point.id);
          ++errors;
        }
        ++queries;
        i += 2;
      }
    });
  }
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t) {
    writers.emplace_back([&, t] {
      for (int round = 0; round < 6; ++round) {
        std::vector<Point> moved = MakePoints(vectors, 1000, 1250);
        for (size_t i = 0; i < moved.size(); ++i) {
          const size_t id = 500 + t * 250 + i;
          moved[i].id = "p" + std::to_string(id);
          moved[i].metadata["i"] = static_cast<int64_t>(id);
          moved[i].vector = vectors[1000 + (id + round * 31) % 1000];
        }
        UpsertAllCounting(*c, moved, 25, errors);
      }
    });
  }
  std::thread maintainer([&] {
    while (!stop.load()) {
      if (!engine->MaintainAll().ok()) ++errors;
      if (!engine->CheckpointAll().ok()) ++errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  for (auto& w : writers) w.join();
  stop.store(true);
  maintainer.join();
  for (auto& r : readers) r.join();
  CHECK(errors.load() == 0);
  CHECK(queries.load() > 0);
  CHECK(c->Count() == 1000);
  REQUIRE(engine->MaintainAll().ok());
  CollectionInfo info = c->Info();
  CHECK(info.compactions >= 1);
  // Maintenance leaves less than compact_fraction of the slots dead.
  CHECK(static_cast<double>(info.index_slots - info.count) <
        0.3 * static_cast<double>(info.index_slots));
  // With the writers gone, a compaction reclaims every dead slot.
  REQUIRE(c->Maintain(0.01).ok());
  info = c->Info();
  CHECK(info.index_slots == info.count);
  // Every replaced point is found at its last place.
  for (size_t id = 500; id < 1000; id += 23) {
    CHECK(testing::Nearest(*c, vectors[1000 + (id + 5 * 31) % 1000]) ==
          "p" + std::to_string(id));
  }
}

TEST_CASE("filtered, text and hybrid queries run concurrently with writes",
          "[concurrency]") {
  TempDir dir;
  EngineOptions options;
  // The readers spin without pause: writers take an equal CPU share so
  // that the test ends in bounded time (under ThreadSanitizer too).
  options.link_nice = 0;
  options.sync_writes = false;
  auto engine = OpenEngine(dir.path(), options);
  auto c = Create(*engine, "c", 16);
  auto vectors = RandomVectors(2000, 16, 17);
  // Points 0..999 stay: tag t0 holds every third of them, and their
  // documents "doc <i>" all hold the word "doc".
  UpsertAll(*c, MakePoints(vectors, 0, 1000));
  const Filter t0 = FieldFilter("tag", FieldOp::kEq, {std::string("t0")});
  const Filter stable = FieldFilter("i", FieldOp::kLt, {int64_t{1000}});

  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::atomic<int> queries{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      size_t i = t;
      while (!stop.load()) {
        const std::vector<float>& v = vectors[i % 1000];
        absl::StatusOr<std::vector<QueryResult>> r;
        switch (i % 3) {
          case 0:  // filtered vector query over stable points
            r = c->Search({v}, {},
                          {.k = 10,
                           .include = {.metadata = true},
                           .filter = AndFilter({t0, stable}),
                           .explain = true});
            break;
          case 1:  // text
            r = c->Search({}, {"doc"}, {.k = 10, .filter = stable});
            break;
          default:  // hybrid
            r = c->Search({v}, {"doc"}, {.k = 10, .filter = stable});
            break;
        }
        if (!r.ok()) {
          UNSCOPED_INFO(r.status().ToString());
          ++errors;
        } else if ((*r)[0].hits.size() != 10) {
          UNSCOPED_INFO("short result: " << (*r)[0].hits.size());
          ++errors;
        }
        if (auto n = c->Count(t0); !n.ok() || *n < 334) ++errors;
        ++queries;
        i += 3;
      }
    });
  }
  std::thread writer([&] {
    for (int round = 0; round < 6; ++round) {
      UpsertAllCounting(*c, MakePoints(vectors, 1000, 2000), 250, errors);
      const Filter doomed =
          AndFilter({FieldFilter("i", FieldOp::kGte, {int64_t{1000}}),
                     FieldFilter("tag", FieldOp::kEq,
                                 {std::string("t") + std::to_string(round % 3)})});
      if (!c->Delete({}, &doomed).ok()) ++errors;
    }
    stop.store(true);
  });
  writer.join();
  for (auto& r : readers) r.join();
  CHECK(errors.load() == 0);
  CHECK(queries.load() > 0);
}

}  // namespace
}  // namespace vecdb
