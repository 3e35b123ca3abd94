// The client's ingest-profile and Retrieve calls against a real server.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "clients/cpp/vecdb_client.h"
#include "tests/clients/test_server.h"

namespace vecdb {
namespace {

using testing::TestServer;

std::unique_ptr<Client> ConnectTo(const TestServer& server) {
  auto client = Client::Connect(server.address());
  REQUIRE(client.ok());
  return *std::move(client);
}

IngestProfile HashProfile(uint32_t dimension) {
  IngestProfile p;
  p.embedder = {"hash", "", dimension, {{"ngram_min", "3"}}};
  p.chunker = {"recursive", {{"target_tokens", "64"}}};
  return p;
}

TEST_CASE("CreateCollection with an ingest profile round trips it",
          "[client][profile]") {
  TestServer server;
  auto client = ConnectTo(server);
  auto created = client->CreateCollection("kb", 64, Metric::kCosine, {},
                                          HashProfile(64));
  REQUIRE(created.ok());
  CHECK(created->ingest == HashProfile(64));
  REQUIRE(client->CreateCollection("plain", 4, Metric::kL2).ok());

  auto got = client->GetCollection("kb");
  REQUIRE(got.ok());
  CHECK(got->ingest == HashProfile(64));
  auto list = client->ListCollections();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].ingest == HashProfile(64));
  CHECK((*list)[1].ingest.empty());

  auto mismatch = client->CreateCollection("kb2", 768, Metric::kCosine, {},
                                           HashProfile(384));
  CHECK(mismatch.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(mismatch.status().message() ==
        "ingest.embedder.dimension: 384 differs from the collection's "
        "dimension 768");
  IngestProfile unnamed = HashProfile(64);
  unnamed.embedder.name.clear();
  auto no_name =
      client->CreateCollection("kb3", 64, Metric::kCosine, {}, unnamed);
  CHECK(no_name.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(no_name.status().message()),
             Catch::StartsWith("ingest.embedder.name: "));
}

}  // namespace
}  // namespace vecdb
