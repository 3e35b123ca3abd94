// Collection RPCs end to end: create, get, list, drop, and their errors.
#include <catch2/catch.hpp>

#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

using grpc::StatusCode;

v1::CreateCollectionRequest Create(const std::string& name, uint32_t dimension,
                                   v1::Metric metric) {
  v1::CreateCollectionRequest request;
  request.set_name(name);
  request.set_dimension(dimension);
  request.set_metric(metric);
  return request;
}

TEST_CASE("Create, get, list and drop collections", "[server]") {
  TestServer server;
  v1::CollectionInfo info;
  v1::CreateCollectionRequest request = Create("docs", 8, v1::METRIC_COSINE);
  request.mutable_hnsw()->set_m(8);
  REQUIRE(VECDB_CALL(server.stub(), CreateCollection, request, info).ok());
  CHECK(info.name() == "docs");
  CHECK(info.dimension() == 8);
  CHECK(info.metric() == v1::METRIC_COSINE);
  CHECK(info.hnsw().m() == 8);
  CHECK(info.hnsw().ef_construction() == 200);
  CHECK(info.hnsw().ef_search() == 64);
  CHECK(info.count() == 0);
  CHECK(info.created_unix_ms() > 0);

  REQUIRE(VECDB_CALL(server.stub(), CreateCollection,
                     Create("alpha", 3, v1::METRIC_L2), info)
              .ok());

  v1::GetCollectionRequest get;
  get.set_collection("alpha");
  REQUIRE(VECDB_CALL(server.stub(), GetCollection, get, info).ok());
  CHECK(info.name() == "alpha");
  CHECK(info.dimension() == 3);
  CHECK(info.metric() == v1::METRIC_L2);

  v1::ListCollectionsResponse list;
  REQUIRE(VECDB_CALL(server.stub(), ListCollections,
                     v1::ListCollectionsRequest(), list)
              .ok());
  REQUIRE(list.collections_size() == 2);
  CHECK(list.collections(0).name() == "alpha");
  CHECK(list.collections(1).name() == "docs");

  v1::DropCollectionRequest drop;
  drop.set_collection("alpha");
  v1::DropCollectionResponse dropped;
  REQUIRE(VECDB_CALL(server.stub(), DropCollection, drop, dropped).ok());
  CHECK_STATUS(VECDB_CALL(server.stub(), GetCollection, get, info),
               StatusCode::NOT_FOUND, "alpha");
  CHECK_STATUS(VECDB_CALL(server.stub(), DropCollection, drop, dropped),
               StatusCode::NOT_FOUND, "alpha");
  REQUIRE(VECDB_CALL(server.stub(), ListCollections,
                     v1::ListCollectionsRequest(), list)
              .ok());
  REQUIRE(list.collections_size() == 1);
  CHECK(list.collections(0).name() == "docs");
}

TEST_CASE("CollectionInfo reports count and sequence", "[server]") {
  TestServer server;
  server.CreateCollection("c", 2, v1::METRIC_L2);
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(
              server.stub(), Upsert,
              MakeUpsert("c", {MakePoint("a", {1, 2}), MakePoint("b", {3, 4})}),
              upserted)
              .ok());
  CHECK(upserted.upserted() == 2);
  CHECK(upserted.sequence() > 0);
  v1::GetCollectionRequest get;
  get.set_collection("c");
  v1::CollectionInfo info;
  REQUIRE(VECDB_CALL(server.stub(), GetCollection, get, info).ok());
  CHECK(info.count() == 2);
  CHECK(info.last_sequence() == upserted.sequence());
  CHECK(info.index_slots() >= 2);
}

TEST_CASE("CreateCollection rejects bad input with the field named",
          "[server]") {
  TestServer server;
  server.CreateCollection("taken", 4, v1::METRIC_L2);
  v1::CollectionInfo info;
  auto create = [&](const v1::CreateCollectionRequest& request) {
    return VECDB_CALL(server.stub(), CreateCollection, request, info);
  };

  CHECK_STATUS(create(Create("taken", 4, v1::METRIC_L2)),
               StatusCode::ALREADY_EXISTS, "taken");
  CHECK_STATUS(create(Create("bad name!", 4, v1::METRIC_L2)),
               StatusCode::INVALID_ARGUMENT, "name: ");
  CHECK_STATUS(create(Create("_hidden", 4, v1::METRIC_L2)),
               StatusCode::INVALID_ARGUMENT, "name: ");
  CHECK_STATUS(create(Create("", 4, v1::METRIC_L2)),
               StatusCode::INVALID_ARGUMENT, "name: ");
  CHECK_STATUS(create(Create(std::string(65, 'a'), 4, v1::METRIC_L2)),
               StatusCode::INVALID_ARGUMENT, "name: ");
  CHECK_STATUS(create(Create("zero", 0, v1::METRIC_L2)),
               StatusCode::INVALID_ARGUMENT,
               "dimension: must be in 1..4096, got 0");
  CHECK_STATUS(create(Create("huge", 4097, v1::METRIC_L2)),
               StatusCode::INVALID_ARGUMENT,
               "dimension: must be in 1..4096, got 4097");
  CHECK_STATUS(create(Create("nometric", 4, v1::METRIC_UNSPECIFIED)),
               StatusCode::INVALID_ARGUMENT, "metric: must be set");
  v1::CreateCollectionRequest bad_m = Create("badm", 4, v1::METRIC_L2);
  bad_m.mutable_hnsw()->set_m(1);
  CHECK_STATUS(create(bad_m), StatusCode::INVALID_ARGUMENT, "hnsw.m");

  v1::ListCollectionsResponse list;
  REQUIRE(VECDB_CALL(server.stub(), ListCollections,
                     v1::ListCollectionsRequest(), list)
              .ok());
  REQUIRE(list.collections_size() == 1);
  CHECK(list.collections(0).name() == "taken");
}

}  // namespace
}  // namespace vecdb::testing
