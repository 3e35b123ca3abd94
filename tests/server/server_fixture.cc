#include "tests/server/server_fixture.h"

#include <catch2/catch.hpp>

namespace vecdb::testing {

TestServer::TestServer(EmbedderKeyPolicy embedder_keys) {
  // Tests need no power-loss durability; skipping fsync keeps them fast.
  auto engine = Engine::Open(dir_.path(), {.sync_writes = false});
  REQUIRE(engine.ok());
  engine_ = std::move(*engine);
  auto server = StartServer(engine_.get(), {.listen_address = "127.0.0.1:0",
                                            .max_batch = kTestMaxBatch,
                                            .max_threads = 8,
                                            .embedder_keys = embedder_keys});
  REQUIRE(server.ok());
  server_ = std::move(*server);
  REQUIRE(server_->port() > 0);
  channel_ = grpc::CreateChannel(server_->address(),
                                 grpc::InsecureChannelCredentials());
  stub_ = v1::VectorDB::NewStub(channel_);
}

TestServer::~TestServer() {
  stub_.reset();
  channel_.reset();
  server_->Shutdown(std::chrono::seconds(5));
  server_.reset();
  (void)engine_->Close();
}

void TestServer::CreateCollection(const std::string& name, uint32_t dimension,
                                  v1::Metric metric) {
  v1::CreateCollectionRequest request;
  request.set_name(name);
  request.set_dimension(dimension);
  request.set_metric(metric);
  v1::CollectionInfo info;
  const grpc::Status status =
      VECDB_CALL(*stub_, CreateCollection, request, info);
  INFO(status.error_message());
  REQUIRE(status.ok());
}

uint64_t TestServer::Count(const std::string& name) {
  v1::CountRequest request;
  request.set_collection(name);
  v1::CountResponse response;
  const grpc::Status status = VECDB_CALL(*stub_, Count, request, response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return response.count();
}

v1::Point MakePoint(const std::string& id, const std::vector<float>& vector) {
  v1::Point point;
  point.set_id(id);
  point.mutable_vector()->Add(vector.begin(), vector.end());
  return point;
}

v1::UpsertRequest MakeUpsert(const std::string& collection,
                             const std::vector<v1::Point>& points) {
  v1::UpsertRequest request;
  request.set_collection(collection);
  for (const v1::Point& point : points) *request.add_points() = point;
  return request;
}

}  // namespace vecdb::testing
