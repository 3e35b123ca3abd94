// The client's ingest-profile and Retrieve calls against a real server.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "clients/cpp/vecdb_client.h"
#include "tests/clients/test_server.h"
#include "tests/server/retrieve_corpus.h"

namespace vecdb {
namespace {

using client::Citation;
using client::RetrieveMode;
using client::RetrieveOptions;
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
  auto created =
      client->CreateCollection("kb", 64, Metric::kCosine, {}, HashProfile(64));
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

void LoadCorpus(Client& client) {
  REQUIRE(client
              .CreateCollection("kb", testing::kCorpusDimension,
                                Metric::kCosine, {}, testing::CorpusProfile())
              .ok());
  auto upserted = client.Upsert("kb", testing::CorpusPoints());
  REQUIRE(upserted.ok());
  REQUIRE(upserted->upserted == 5);
}

TEST_CASE("Retrieve returns citations, passages and the context",
          "[client][retrieve]") {
  TestServer server;
  auto client = ConnectTo(server);
  LoadCorpus(*client);

  auto r = client->Retrieve("kb", "how do rockets reach orbit");
  REQUIRE(r.ok());
  CHECK(r->mode == RetrieveMode::kHybrid);
  REQUIRE(r->chunks.size() == 5);
  const Citation& best = r->chunks[0];
  CHECK(best.doc_id == "space/rockets.md");
  CHECK(best.rank == 1);
  CHECK(best.score > 0);
  CHECK(best.title == "Rocket basics");
  CHECK(best.source == "/corpus/space/rockets.md");
  CHECK(best.passage == 1);
  CHECK(best.metadata.at("lang") == MetadataValue(std::string("en")));
  CHECK(best.metadata.count("doc_id") == 0);
  REQUIRE(r->passages.size() == 2);
  CHECK(r->passages[0].doc_id == "space/rockets.md");
  CHECK(r->passages[0].text == testing::RocketText());
  CHECK(r->passages[0].chunk_ids ==
        std::vector<std::string>{"space/rockets.md#0", "space/rockets.md#1"});
  CHECK(r->passages[1].section == std::vector<std::string>{"Care", "Watering"});
  CHECK(r->context.rfind("[1] Rocket basics\n", 0) == 0);
  CHECK_FALSE(r->truncated);
  CHECK(r->context_tokens > 0);

  RetrieveOptions options;
  options.k = 2;
  options.mode = RetrieveMode::kText;
  options.max_context_chars = 150;
  r = client->Retrieve("kb", "tomato", options);
  REQUIRE(r.ok());
  CHECK(r->mode == RetrieveMode::kText);
  CHECK(r->chunks.size() == 2);
  CHECK(r->context_chars <= 150);
  CHECK(r->truncated);
  CHECK(r->embed_micros == 0);

  options = RetrieveOptions();
  options.mode = RetrieveMode::kDense;
  options.filter =
      FieldFilter("doc_id", FieldOp::kEq, {std::string("garden/tomatoes.md")});
  r = client->Retrieve("kb", "rocket orbit", options);
  REQUIRE(r.ok());
  CHECK(r->mode == RetrieveMode::kDense);
  REQUIRE(r->chunks.size() == 3);
  for (const Citation& c : r->chunks) {
    CHECK(c.doc_id == "garden/tomatoes.md");
  }
}

TEST_CASE("Retrieve errors carry the server's code and field",
          "[client][retrieve]") {
  TestServer server;
  auto client = ConnectTo(server);
  LoadCorpus(*client);
  REQUIRE(client->CreateCollection("plain", 4, Metric::kL2).ok());

  auto empty = client->Retrieve("kb", "");
  CHECK(empty.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(empty.status().message() == "query: must not be empty");
  RetrieveOptions big_k;
  big_k.k = 5000;
  auto k = client->Retrieve("kb", "tomato", big_k);
  CHECK(k.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(k.status().message()), Catch::StartsWith("k: "));
  RetrieveOptions bad_mode;
  bad_mode.mode = static_cast<RetrieveMode>(7);
  auto mode = client->Retrieve("kb", "tomato", bad_mode);
  CHECK(mode.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(mode.status().message() == "mode: unknown value 7");
  auto plain = client->Retrieve("plain", "tomato");
  CHECK(plain.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(plain.status().message()),
             Catch::Contains("has no ingest profile"));
  CHECK(client->Retrieve("missing", "tomato").status().code() ==
        absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vecdb
