// Ingest profiles through the collection RPCs: recorded by CreateCollection,
// returned by GetCollection and ListCollections, validated field by field.
#include <catch2/catch.hpp>

#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

using grpc::StatusCode;

v1::CreateCollectionRequest CreateWithProfile(const std::string& name,
                                              uint32_t dimension,
                                              uint32_t embedder_dimension) {
  v1::CreateCollectionRequest request;
  request.set_name(name);
  request.set_dimension(dimension);
  request.set_metric(v1::METRIC_COSINE);
  v1::EmbedderSpec* embedder = request.mutable_ingest()->mutable_embedder();
  embedder->set_name("hash");
  embedder->set_dimension(embedder_dimension);
  (*embedder->mutable_parameters())["ngram_min"] = "3";
  v1::ChunkerSpec* chunker = request.mutable_ingest()->mutable_chunker();
  chunker->set_name("recursive");
  (*chunker->mutable_parameters())["target_tokens"] = "128";
  return request;
}

TEST_CASE("CreateCollection records the ingest profile", "[server][profile]") {
  TestServer server;
  v1::CollectionInfo info;
  REQUIRE(VECDB_CALL(server.stub(), CreateCollection,
                     CreateWithProfile("kb", 64, 64), info)
              .ok());
  REQUIRE(info.has_ingest());
  CHECK(info.ingest().embedder().name() == "hash");
  CHECK(info.ingest().embedder().dimension() == 64);
  CHECK(info.ingest().embedder().parameters().at("ngram_min") == "3");
  CHECK(info.ingest().chunker().name() == "recursive");
  CHECK(info.ingest().chunker().parameters().at("target_tokens") == "128");

  server.CreateCollection("plain", 4, v1::METRIC_L2);

  v1::GetCollectionRequest get;
  get.set_collection("kb");
  v1::CollectionInfo got;
  REQUIRE(VECDB_CALL(server.stub(), GetCollection, get, got).ok());
  CHECK(got.ingest().SerializeAsString() == info.ingest().SerializeAsString());

  get.set_collection("plain");
  REQUIRE(VECDB_CALL(server.stub(), GetCollection, get, got).ok());
  CHECK_FALSE(got.has_ingest());

  v1::ListCollectionsResponse list;
  REQUIRE(VECDB_CALL(server.stub(), ListCollections,
                     v1::ListCollectionsRequest(), list)
              .ok());
  REQUIRE(list.collections_size() == 2);
  CHECK(list.collections(0).ingest().embedder().name() == "hash");
  CHECK_FALSE(list.collections(1).has_ingest());
}

TEST_CASE("Bad ingest profiles are INVALID_ARGUMENT naming the field",
          "[server][profile]") {
  TestServer server;
  v1::CollectionInfo info;
  CHECK_STATUS(VECDB_CALL(server.stub(), CreateCollection,
                          CreateWithProfile("kb", 768, 384), info),
               StatusCode::INVALID_ARGUMENT,
               "ingest.embedder.dimension: 384 differs from the collection's "
               "dimension 768");

  v1::CreateCollectionRequest no_name = CreateWithProfile("kb", 64, 64);
  no_name.mutable_ingest()->mutable_embedder()->clear_name();
  CHECK_STATUS(VECDB_CALL(server.stub(), CreateCollection, no_name, info),
               StatusCode::INVALID_ARGUMENT, "ingest.embedder.name: ");

  v1::CreateCollectionRequest no_chunker = CreateWithProfile("kb", 64, 64);
  no_chunker.mutable_ingest()->mutable_chunker()->clear_name();
  CHECK_STATUS(VECDB_CALL(server.stub(), CreateCollection, no_chunker, info),
               StatusCode::INVALID_ARGUMENT, "ingest.chunker.name: ");

  v1::CreateCollectionRequest long_value = CreateWithProfile("kb", 64, 64);
  (*long_value.mutable_ingest()
        ->mutable_embedder()
        ->mutable_parameters())["base_url"] = std::string(1025, 'x');
  CHECK_STATUS(VECDB_CALL(server.stub(), CreateCollection, long_value, info),
               StatusCode::INVALID_ARGUMENT,
               "ingest.embedder.parameters[\"base_url\"]: value of 1025");

  // Nothing was created by the failed calls.
  v1::ListCollectionsResponse list;
  REQUIRE(VECDB_CALL(server.stub(), ListCollections,
                     v1::ListCollectionsRequest(), list)
              .ok());
  CHECK(list.collections_size() == 0);

  // An ingest message with nothing set is the same as none.
  v1::CreateCollectionRequest empty = CreateWithProfile("kb", 64, 64);
  empty.mutable_ingest()->Clear();
  REQUIRE(VECDB_CALL(server.stub(), CreateCollection, empty, info).ok());
  CHECK_FALSE(info.has_ingest());
}

}  // namespace
}  // namespace vecdb::testing
