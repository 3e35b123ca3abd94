// Helpers for engine tests: deterministic points and opening engines.
#ifndef VECDB_TESTS_COLLECTION_ENGINE_FIXTURE_H_
#define VECDB_TESTS_COLLECTION_ENGINE_FIXTURE_H_

#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "collection/engine.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {

inline std::unique_ptr<Engine> OpenEngine(const std::string& dir,
                                          EngineOptions options = {}) {
  auto engine = Engine::Open(dir, options);
  REQUIRE(engine.ok());
  return std::move(engine).value();
}

// Options under which checkpoints happen only when a test asks
// (Engine::CheckpointAll): not on close, not after N operations.
inline EngineOptions NoAutomaticCheckpoints() {
  EngineOptions options;
  options.checkpoint_on_close = false;
  options.checkpoint_every_ops = 0;
  return options;
}

inline std::shared_ptr<Collection> Create(Engine& engine,
                                          const std::string& name,
                                          uint32_t dim,
                                          Metric metric = Metric::kL2) {
  auto c = engine.CreateCollection(
      {.name = name, .dimension = dim, .metric = metric, .hnsw = {}});
  REQUIRE(c.ok());
  return *c;
}

// Points "p<i>" for i in [begin, end) with the given vectors, metadata
// {"i": i, "tag": "t<i%3>"} and document "doc <i>".
inline std::vector<Point> MakePoints(
    const std::vector<std::vector<float>>& vectors, size_t begin, size_t end) {
  std::vector<Point> points;
  for (size_t i = begin; i < end; ++i) {
    Point p;
    p.id = "p" + std::to_string(i);
    p.vector = vectors[i];
    p.metadata["i"] = static_cast<int64_t>(i);
    p.metadata["tag"] = "t" + std::to_string(i % 3);
    p.document = "doc " + std::to_string(i);
    points.push_back(std::move(p));
  }
  return points;
}

inline void UpsertAll(Collection& c, std::vector<Point> points,
                      size_t batch = 500) {
  for (size_t i = 0; i < points.size(); i += batch) {
    std::vector<Point> part(
        points.begin() + i,
        points.begin() + std::min(points.size(), i + batch));
    REQUIRE(c.Upsert(std::move(part)).ok());
  }
}

// UpsertAll for worker threads, where Catch2 assertions are not safe:
// counts the failed upserts in `errors`.
inline void UpsertAllCounting(Collection& c, std::vector<Point> points,
                              size_t batch, std::atomic<int>& errors) {
  for (size_t i = 0; i < points.size(); i += batch) {
    std::vector<Point> part(
        points.begin() + i,
        points.begin() + std::min(points.size(), i + batch));
    if (!c.Upsert(std::move(part)).ok()) ++errors;
  }
}

// The first hit's id for each query (k = 1).
inline std::string Nearest(Collection& c, const std::vector<float>& q) {
  auto r = c.Query({q}, {.k = 1});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  REQUIRE((*r)[0].size() == 1);
  return (*r)[0][0].point.id;
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_COLLECTION_ENGINE_FIXTURE_H_
