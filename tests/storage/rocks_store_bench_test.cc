// Throughput of RocksStore::Commit for 1000-point batches of 128-d vectors,
// the shape of a bulk upsert. Prints points/s; asserts only a floor far
// below the expected rate so that it is stable on a loaded machine.
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <string>

#include "storage/rocks_store.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

double CommitRate(bool sync, size_t total, size_t batch_size) {
  testing::TempDir dir;
  auto store = RocksStore::Open(dir.path(), {.sync_writes = sync});
  REQUIRE(store.ok());
  CollectionRecord record;
  record.name = "bench";
  record.dimension = 128;
  auto created = (*store)->CreateCollection(record);
  REQUIRE(created.ok());
  auto vectors = testing::RandomVectors(batch_size, 128, 7);

  auto start = std::chrono::steady_clock::now();
  uint64_t label = 1;
  for (size_t done = 0; done < total; done += batch_size) {
    PointWriteBatch batch;
    std::vector<Op> ops;
    ops.reserve(batch_size);
    for (size_t i = 0; i < batch_size; ++i, ++label) {
      StoredPoint p;
      p.label = label;
      p.vector = vectors[i];
      p.metadata["source"] = std::string("bench");
      std::string id = "point-" + std::to_string(label);
      batch.PutPoint(id, p);
      ops.push_back({OpKind::kUpsert, label, std::move(id)});
    }
    batch.SetOps(done / batch_size + 1, std::move(ops));
    batch.SetCounters({done / batch_size + 1, label, label - 1});
    REQUIRE((*store)->Commit(created->id, batch).ok());
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return total / seconds;
}

TEST_CASE("Commit throughput of 1000-point batches", "[storage][.slow]") {
  for (bool sync : {false, true}) {
    double rate = CommitRate(sync, 100000, 1000);
    std::cout << "commit 100k x 128-d in batches of 1000, sync="
              << (sync ? "on" : "off") << ": " << static_cast<long>(rate)
              << " points/s (encode + commit)\n";
    CHECK(rate > 20000);
  }
}

}  // namespace
}  // namespace vecdb
