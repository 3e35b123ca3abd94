// vecdb-ingest and Retrieve with the openai embedder, against a real HTTP
// server on 127.0.0.1 that speaks the OpenAI embeddings API (its vectors
// come from the hash embedder, so that similar texts are close): the
// dimension is learned, the API key travels in the header and is never
// recorded, a document the endpoint keeps failing fails alone, a different
// model is refused, and the server embeds Retrieve's query at the same
// endpoint.
#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "clients/cpp/vecdb_client.h"
#include "embed/embedder.h"
#include "tests/clients/test_server.h"
#include "tests/ingest/ingest_test_util.h"
#include "tests/testing/embedding_http_server.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest::testing {
namespace {

using Json = nlohmann::json;
using vecdb::testing::EmbeddingHttpServer;
using vecdb::testing::TempDir;
using vecdb::testing::TestServer;

constexpr char kKeyEnv[] = "VECDB_TEST_OPENAI_KEY";
constexpr char kKey[] = "sk-test-not-a-real-key";

// Replies like an OpenAI-compatible endpoint with 64-d hash embeddings; an
// input containing "POISON" gets HTTP 500 for its whole request.
EmbeddingHttpServer::Handler LocalModel() {
  auto embedder = embed::MakeEmbedder({.name = "hash", .dimension = 64});
  REQUIRE(embedder.ok());
  std::shared_ptr<embed::Embedder> model = *std::move(embedder);
  return [model](const httplib::Request& request, httplib::Response& response,
                 int) {
    const Json body = Json::parse(request.body);
    std::vector<std::string> inputs = body.at("input");
    for (const std::string& input : inputs) {
      if (input.find("POISON") != std::string::npos) {
        response.status = 500;
        response.set_content(R"({"error": {"message": "model crashed"}})",
                             "application/json");
        return;
      }
    }
    auto vectors = model->Embed(inputs);
    REQUIRE(vectors.ok());
    Json data = Json::array();
    for (size_t i = 0; i < vectors->size(); ++i) {
      data.push_back({{"object", "embedding"},
                      {"index", i},
                      {"embedding", (*vectors)[i]}});
    }
    response.set_content(
        Json{{"object", "list"}, {"data", data}, {"model", body["model"]}}
            .dump(),
        "application/json");
  };
}

std::vector<std::string> SyncArgs(const std::string& server,
                                  const std::string& base_url,
                                  const std::string& model,
                                  const std::string& dir) {
  return {"sync",          "--collection",   "docs",
          "--server",      server,           "--embedder",
          "openai",        "--model",        model,
          "--base-url",    base_url,         "--api-key-env",
          kKeyEnv,         "--embed-param",  "max_retries=1",
          "--embed-param", "backoff_ms=1",   "--json",
          dir};
}

TEST_CASE("vecdb-ingest and Retrieve through an OpenAI-compatible endpoint",
          "[ingest][openai]") {
  setenv(kKeyEnv, kKey, 1);
  EmbeddingHttpServer endpoint(LocalModel());
  // The operator lets Retrieve send the key to the local endpoint.
  ServerOptions server_options;
  server_options.embedder_keys.key_url_prefixes = {"http://127.0.0.1:"};
  TestServer server(server_options);
  auto client = Client::Connect(server.address());
  REQUIRE(client.ok());
  TempDir docs;
  WriteFile(docs.path() + "/tomatoes.txt",
            "Tomato plants need deep watering two or three times a week, "
            "more often in hot weather. Mulch keeps the soil moist.");
  WriteFile(docs.path() + "/rockets.txt",
            "Multistage rockets drop empty tanks to reach orbital velocity "
            "with less fuel.");
  WriteFile(docs.path() + "/poison.txt", "POISON: this text breaks the model.");

  // The poisoned document fails alone (exit 1); the others are indexed.
  ProcessResult first = RunIngest(
      SyncArgs(server.address(), endpoint.base_url(), "local-embed",
               docs.path()));
  INFO(first.out << first.err);
  CHECK(first.exit_code == 1);
  JsonRun run = ParseJsonRun(first.out);
  CHECK(run.outcomes["tomatoes.txt"] == "indexed");
  CHECK(run.outcomes["rockets.txt"] == "indexed");
  CHECK(run.outcomes["poison.txt"] == "failed");
  CHECK_THAT(run.errors["poison.txt"], Catch::Contains("500"));

  // The collection learned the dimension and records the endpoint and the
  // NAME of the key's variable, never the key.
  auto info = (*client)->GetCollection("docs");
  REQUIRE(info.ok());
  CHECK(info->dimension == 64);
  CHECK(info->ingest.embedder.name == "openai");
  CHECK(info->ingest.embedder.model == "local-embed");
  CHECK(info->ingest.embedder.parameters.at("base_url") == endpoint.base_url());
  CHECK(info->ingest.embedder.parameters.at("api_key_env") == kKeyEnv);
  for (const auto& [key, value] : info->ingest.embedder.parameters) {
    CHECK(value.find(kKey) == std::string::npos);
  }
  for (const std::string& auth : endpoint.auths()) {
    CHECK(auth == std::string("Bearer ") + kKey);
  }

  // Retrieve embeds the query at the same endpoint.
  const int calls_before = endpoint.calls();
  client::RetrieveOptions options;
  options.mode = client::RetrieveMode::kDense;
  options.k = 2;
  auto retrieved = (*client)->Retrieve(
      "docs", "how often should I water tomato plants", options);
  REQUIRE(retrieved.ok());
  REQUIRE(!retrieved->chunks.empty());
  CHECK(retrieved->chunks[0].doc_id == "tomatoes.txt");
  CHECK(endpoint.calls() == calls_before + 1);
  CHECK(endpoint.bodies().back()["input"][0] ==
        "how often should I water tomato plants");

  // Another model is refused before anything is written.
  const uint64_t sequence = info->last_sequence;
  ProcessResult other = RunIngest(
      SyncArgs(server.address(), endpoint.base_url(), "other-model",
               docs.path()));
  CHECK(other.exit_code == 2);
  CHECK_THAT(other.out + other.err, Catch::Contains("other-model"));
  CHECK((*client)->GetCollection("docs")->last_sequence == sequence);

  // Once the document is fixed, the next run indexes it and skips the rest.
  WriteFile(docs.path() + "/poison.txt", "An antidote: this text is fine.");
  ProcessResult fixed = RunIngest(
      SyncArgs(server.address(), endpoint.base_url(), "local-embed",
               docs.path()));
  INFO(fixed.out << fixed.err);
  CHECK(fixed.exit_code == 0);
  run = ParseJsonRun(fixed.out);
  CHECK(run.outcomes["poison.txt"] == "indexed");
  CHECK(run.outcomes["tomatoes.txt"] == "unchanged");
  CHECK(run.outcomes["rockets.txt"] == "unchanged");
  CHECK(*(*client)->Count("docs") == 3);
  unsetenv(kKeyEnv);
}

}  // namespace
}  // namespace vecdb::ingest::testing
