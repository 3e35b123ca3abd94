// Transport limits and concurrent clients.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

TEST_CASE("A message over max_message_bytes is RESOURCE_EXHAUSTED",
          "[server]") {
  TempDir dir;
  auto engine = Engine::Open(dir.path(), {.sync_writes = false});
  REQUIRE(engine.ok());
  auto server = StartServer(engine->get(), {.listen_address = "127.0.0.1:0",
                                            .max_message_bytes = 4096});
  REQUIRE(server.ok());
  auto stub = v1::VectorDB::NewStub(grpc::CreateChannel(
      (*server)->address(), grpc::InsecureChannelCredentials()));
  v1::CreateCollectionRequest create;
  create.set_name("c");
  create.set_dimension(2000);
  create.set_metric(v1::METRIC_L2);
  v1::CollectionInfo info;
  REQUIRE(VECDB_CALL(*stub, CreateCollection, create, info).ok());

  v1::UpsertResponse upserted;
  const std::vector<float> big(2000, 1.0f);  // 8000 bytes
  CHECK(VECDB_CALL(*stub, Upsert, MakeUpsert("c", {MakePoint("a", big)}),
                   upserted)
            .error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  v1::CountRequest count;
  count.set_collection("c");
  v1::CountResponse counted;
  REQUIRE(VECDB_CALL(*stub, Count, count, counted).ok());
  CHECK(counted.count() == 0);

  (*server)->Shutdown(std::chrono::seconds(1));
  CHECK((*engine)->Close().ok());
}

TEST_CASE("Concurrent clients upsert and query", "[server]") {
  TestServer server;
  server.CreateCollection("c", 8, v1::METRIC_L2);
  constexpr int kWriters = 3;
  constexpr int kBatches = 10;
  constexpr int kBatchSize = 20;
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto stub = v1::VectorDB::NewStub(server.channel());
      const auto vectors = RandomVectors(kBatches * kBatchSize, 8, 100 + w);
      for (int b = 0; b < kBatches; ++b) {
        std::vector<v1::Point> points;
        for (int i = 0; i < kBatchSize; ++i) {
          const int n = b * kBatchSize + i;
          points.push_back(MakePoint(
              "w" + std::to_string(w) + "-" + std::to_string(n), vectors[n]));
        }
        v1::UpsertResponse upserted;
        if (!VECDB_CALL(*stub, Upsert, MakeUpsert("c", points), upserted)
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  std::thread reader([&] {
    auto stub = v1::VectorDB::NewStub(server.channel());
    const auto queries = RandomVectors(4, 8, 9);
    while (writing) {
      v1::QueryRequest query;
      query.set_collection("c");
      query.set_k(5);
      for (const auto& q : queries) {
        query.add_queries()->mutable_values()->Add(q.begin(), q.end());
      }
      v1::QueryResponse response;
      const grpc::Status status = VECDB_CALL(*stub, Query, query, response);
      if (!status.ok() || response.results_size() != 4) ++failures;
    }
  });
  for (auto& t : threads) t.join();
  writing = false;
  reader.join();
  CHECK(failures == 0);
  CHECK(server.Count("c") == kWriters * kBatches * kBatchSize);
}

}  // namespace
}  // namespace vecdb::testing
