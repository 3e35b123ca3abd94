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

TEST_CASE("queries run concurrently with upserts, deletes and checkpoints",
          "[concurrency]") {
  TempDir dir;
  EngineOptions options;
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
      UpsertAll(*c, MakePoints(vectors, 1000, 3000), 250);
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
  // Deleted slots are reused: the graph holds at most the peak live count.
  CHECK(info.index_slots <= 3000);
}

TEST_CASE("filtered, text and hybrid queries run concurrently with writes",
          "[concurrency]") {
  TempDir dir;
  EngineOptions options;
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
      UpsertAll(*c, MakePoints(vectors, 1000, 2000), 250);
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
