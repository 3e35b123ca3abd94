// Retrieve end to end over gRPC: validation, the profile requirement, the
// four modes, citations and context assembly, budgets, filters and the
// embedder cache.
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>

#include "proto/convert.h"
#include "tests/server/retrieve_corpus.h"
#include "tests/server/server_fixture.h"
#include "tests/testing/embedding_http_server.h"
#include "text/utf8.h"

namespace vecdb::testing {
namespace {

using grpc::StatusCode;

void CreateCorpus(TestServer& server, const std::string& name,
                  const IngestProfile& profile = CorpusProfile()) {
  v1::CreateCollectionRequest create;
  create.set_name(name);
  create.set_dimension(kCorpusDimension);
  create.set_metric(v1::METRIC_COSINE);
  IngestProfileToProto(profile, create.mutable_ingest());
  v1::CollectionInfo info;
  REQUIRE(VECDB_CALL(server.stub(), CreateCollection, create, info).ok());
  v1::UpsertRequest upsert;
  upsert.set_collection(name);
  for (const Point& p : CorpusPoints(profile.embedder)) {
    PointToProto(p, upsert.add_points());
  }
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert, upsert, upserted).ok());
  REQUIRE(upserted.upserted() == 5);
}

v1::RetrieveRequest Request(
    const std::string& query,
    v1::RetrieveMode mode = v1::RETRIEVE_MODE_UNSPECIFIED, uint32_t k = 10) {
  v1::RetrieveRequest request;
  request.set_collection("kb");
  request.set_query(query);
  request.set_mode(mode);
  request.set_k(k);
  return request;
}

v1::RetrieveResponse Retrieve(TestServer& server,
                              const v1::RetrieveRequest& request) {
  v1::RetrieveResponse response;
  const grpc::Status status =
      VECDB_CALL(server.stub(), Retrieve, request, response);
  INFO(status.error_code() << " " << status.error_message());
  REQUIRE(status.ok());
  return response;
}

TEST_CASE("Retrieve ranks the right document first in every mode",
          "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  struct Case {
    std::string query;
    v1::RetrieveMode mode;
    v1::RetrieveMode resolved;
    std::string doc_id;
  };
  const std::vector<Case> cases = {
      {"how often to water tomato plants", v1::RETRIEVE_MODE_DENSE,
       v1::RETRIEVE_MODE_DENSE, "garden/tomatoes.md"},
      {"rocket orbit velocity", v1::RETRIEVE_MODE_DENSE,
       v1::RETRIEVE_MODE_DENSE, "space/rockets.md"},
      {"rocket orbit", v1::RETRIEVE_MODE_TEXT, v1::RETRIEVE_MODE_TEXT,
       "space/rockets.md"},
      {"mulch soil", v1::RETRIEVE_MODE_TEXT, v1::RETRIEVE_MODE_TEXT,
       "garden/tomatoes.md"},
      {"watering tomato", v1::RETRIEVE_MODE_HYBRID, v1::RETRIEVE_MODE_HYBRID,
       "garden/tomatoes.md"},
      {"multistage rockets fuel", v1::RETRIEVE_MODE_UNSPECIFIED,
       v1::RETRIEVE_MODE_HYBRID, "space/rockets.md"},
  };
  for (const Case& c : cases) {
    INFO(c.query << " mode " << c.mode);
    v1::RetrieveResponse r = Retrieve(server, Request(c.query, c.mode, 3));
    CHECK(r.mode() == c.resolved);
    REQUIRE(r.chunks_size() >= 1);
    CHECK(r.chunks(0).doc_id() == c.doc_id);
    CHECK(r.chunks(0).rank() == 1);
    CHECK(r.chunks_size() <= 3);
    if (c.resolved == v1::RETRIEVE_MODE_TEXT) CHECK(r.embed_micros() == 0);
    if (c.resolved == v1::RETRIEVE_MODE_DENSE) {
      CHECK(r.chunks(0).distance() <
            r.chunks(r.chunks_size() - 1).distance() + 1e-6f);
    } else {
      CHECK(r.chunks(0).score() > 0);
    }
    // The first passage holds the best chunk.
    REQUIRE(r.passages_size() >= 1);
    CHECK(r.passages(0).doc_id() == c.doc_id);
    CHECK(r.chunks(0).passage() >= 1);
  }

  // Hybrid fuses by relative score unless RRF is asked for: the best chunk
  // scores up to 2 (both normalised scores 1), under RRF at most 2/61.
  v1::RetrieveRequest relative =
      Request("watering tomato", v1::RETRIEVE_MODE_HYBRID, 3);
  const v1::RetrieveResponse by_score = Retrieve(server, relative);
  REQUIRE(by_score.chunks_size() >= 1);
  CHECK(by_score.chunks(0).score() > 0.5f);
  CHECK(by_score.chunks(0).score() <= 2.0f);
  relative.mutable_hybrid()->set_fusion(v1::FUSION_RRF);
  const v1::RetrieveResponse by_rank = Retrieve(server, relative);
  REQUIRE(by_rank.chunks_size() >= 1);
  CHECK(by_rank.chunks(0).doc_id() == "garden/tomatoes.md");
  CHECK(by_rank.chunks(0).score() <= 2.0f / 61 + 1e-6f);
}

TEST_CASE("Retrieve cites lineage and merges overlapping chunks",
          "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  // k = 10 retrieves all five chunks; the default budget fits them all.
  v1::RetrieveResponse r = Retrieve(
      server, Request("tomato plant watering", v1::RETRIEVE_MODE_HYBRID));
  REQUIRE(r.chunks_size() == 5);
  CHECK_FALSE(r.truncated());

  const v1::Citation& best = r.chunks(0);
  CHECK(best.doc_id() == "garden/tomatoes.md");
  CHECK(best.chunk_id().rfind("garden/tomatoes.md#", 0) == 0);
  CHECK(best.source() == "/corpus/garden/tomatoes.md");
  CHECK(best.title() == "Growing tomatoes");
  REQUIRE(best.section_size() == 2);
  CHECK(best.section(0) == "Care");
  CHECK(best.section(1) == "Watering");
  CHECK(TomatoText().substr(best.char_start(),
                            best.char_end() - best.char_start()) ==
        best.text());
  CHECK(best.chunk_id() ==
        "garden/tomatoes.md#" + std::to_string(best.chunk_index()));
  // Lineage fields are removed from the metadata; the document's own stay.
  CHECK(best.metadata().count("doc_id") == 0);
  CHECK(best.metadata().count("char_start") == 0);
  REQUIRE(best.metadata().count("lang") == 1);
  CHECK(best.metadata().at("lang").string_value() == "en");

  // Two passages: each document's chunks overlap, so each becomes one.
  REQUIRE(r.passages_size() == 2);
  const v1::ContextPassage& tomatoes = r.passages(0);
  CHECK(tomatoes.number() == 1);
  CHECK(tomatoes.doc_id() == "garden/tomatoes.md");
  CHECK(tomatoes.char_start() == 0);
  CHECK(tomatoes.char_end() == TomatoText().size());
  CHECK(tomatoes.text() == TomatoText());
  CHECK(tomatoes.chunk_ids_size() == 3);
  CHECK(tomatoes.best_rank() == 1);
  const v1::ContextPassage& rockets = r.passages(1);
  CHECK(rockets.number() == 2);
  CHECK(rockets.text() == RocketText());
  CHECK(rockets.chunk_ids(0) == "space/rockets.md#0");
  CHECK(rockets.chunk_ids(1) == "space/rockets.md#1");

  for (const v1::Citation& c : r.chunks()) {
    CHECK(c.passage() == (c.doc_id() == "garden/tomatoes.md" ? 1u : 2u));
  }
  // Overlapping text appears once, with a header per passage.
  CHECK(r.context().find(TomatoText()) != std::string::npos);
  CHECK(r.context().find(RocketText()) != std::string::npos);
  CHECK(r.context().rfind("[1] Growing tomatoes", 0) == 0);
  CHECK(r.context().find("[2] Rocket basics") != std::string::npos);
  CHECK(r.context_chars() == text::CodePointCount(r.context()));
  CHECK(r.context().find("Growing tomatoes \u203a Care \u203a Watering\n") !=
        std::string::npos);
  CHECK(r.context_tokens() > 0);
  CHECK(r.search_micros() > 0);
}

TEST_CASE("Retrieve respects the context budgets", "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  v1::RetrieveRequest request = Request("tomato", v1::RETRIEVE_MODE_TEXT);
  request.set_max_context_chars(200);
  v1::RetrieveResponse r = Retrieve(server, request);
  CHECK(r.context_chars() <= 200);
  CHECK(r.context_chars() > 0);
  CHECK(r.truncated());
  CHECK(r.chunks_size() == 3);  // every chunk is cited, fitted or not
  int left_out = 0;
  for (const v1::Citation& c : r.chunks()) left_out += c.passage() == 0;
  CHECK(left_out >= 1);

  request.set_max_context_chars(0);
  request.set_max_context_tokens(30);
  r = Retrieve(server, request);
  CHECK(r.context_tokens() <= 30);
  CHECK(r.context_tokens() > 0);
  CHECK(r.truncated());

  // Both 0: 6000 characters, which the whole corpus fits.
  request.set_max_context_tokens(0);
  r = Retrieve(server, request);
  CHECK_FALSE(r.truncated());
  CHECK(r.context().find(TomatoText()) != std::string::npos);
}

TEST_CASE("Retrieve applies a filter on doc_id", "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  for (v1::RetrieveMode mode : {v1::RETRIEVE_MODE_DENSE, v1::RETRIEVE_MODE_TEXT,
                                v1::RETRIEVE_MODE_HYBRID}) {
    INFO("mode " << mode);
    // The query is about tomatoes, the filter allows only the rockets.
    v1::RetrieveRequest request = Request("rocket tomato plants", mode);
    v1::FieldCondition* eq = request.mutable_filter()->mutable_field();
    eq->set_field("doc_id");
    eq->set_op(v1::FIELD_OP_EQ);
    eq->add_values()->set_string_value("space/rockets.md");
    v1::RetrieveResponse r = Retrieve(server, request);
    REQUIRE(r.chunks_size() >= 1);
    for (const v1::Citation& c : r.chunks()) {
      CHECK(c.doc_id() == "space/rockets.md");
    }
    REQUIRE(r.passages_size() == 1);
    CHECK(r.passages(0).doc_id() == "space/rockets.md");
  }
}

TEST_CASE("Retrieve rejects bad requests naming the field",
          "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  server.CreateCollection("plain", 4, v1::METRIC_L2);
  v1::RetrieveResponse r;

  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, Request(""), r),
               StatusCode::INVALID_ARGUMENT, "query: must not be empty");
  CHECK_STATUS(
      VECDB_CALL(server.stub(), Retrieve, Request(std::string(4097, 'a')), r),
      StatusCode::INVALID_ARGUMENT, "query: 4097 bytes exceed the limit");
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve,
                          Request("tomato", v1::RETRIEVE_MODE_TEXT, 1001), r),
               StatusCode::INVALID_ARGUMENT, "k: must be in 1..1000, got 1001");
  CHECK_STATUS(
      VECDB_CALL(server.stub(), Retrieve,
                 Request("tomato", static_cast<v1::RetrieveMode>(9)), r),
      StatusCode::INVALID_ARGUMENT, "mode: unknown value 9");
  v1::RetrieveRequest no_collection = Request("tomato");
  no_collection.clear_collection();
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, no_collection, r),
               StatusCode::INVALID_ARGUMENT, "collection: must not be empty");
  v1::RetrieveRequest big_ef = Request("tomato");
  big_ef.set_ef(5000);
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, big_ef, r),
               StatusCode::INVALID_ARGUMENT, "ef: ");
  v1::RetrieveRequest big_budget = Request("tomato");
  big_budget.set_max_context_chars(kMaxContextChars + 1);
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, big_budget, r),
               StatusCode::INVALID_ARGUMENT, "max_context_chars: ");
  v1::RetrieveRequest bad_filter = Request("tomato");
  bad_filter.mutable_filter()->mutable_field()->set_field("doc_id");
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, bad_filter, r),
               StatusCode::INVALID_ARGUMENT, "filter");
  v1::RetrieveRequest bad_hybrid = Request("tomato", v1::RETRIEVE_MODE_HYBRID);
  bad_hybrid.mutable_hybrid()->set_rrf_k(-1);
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, bad_hybrid, r),
               StatusCode::INVALID_ARGUMENT, "hybrid.rrf_k");
  v1::RetrieveRequest bad_fusion = Request("tomato", v1::RETRIEVE_MODE_HYBRID);
  bad_fusion.mutable_hybrid()->set_fusion(static_cast<v1::Fusion>(7));
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, bad_fusion, r),
               StatusCode::INVALID_ARGUMENT, "hybrid.fusion: unknown fusion 7");

  // No words: text search is impossible, and the hash embedder finds no
  // features either.
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve,
                          Request("?!", v1::RETRIEVE_MODE_TEXT), r),
               StatusCode::INVALID_ARGUMENT, "query: has no words");
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, Request("?!"), r),
               StatusCode::INVALID_ARGUMENT, "query: no features");

  v1::RetrieveRequest plain = Request("tomato");
  plain.set_collection("plain");
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, plain, r),
               StatusCode::FAILED_PRECONDITION,
               "collection 'plain' has no ingest profile: ingest it with "
               "vecdb-ingest");
  plain.set_collection("missing");
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, plain, r),
               StatusCode::NOT_FOUND, "missing");
}

TEST_CASE("Retrieve cites a point without lineage as its own document",
          "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  auto embedder = embed::MakeEmbedder(CorpusProfile().embedder);
  REQUIRE(embedder.ok());
  const std::string text = "Basil grows well next to tomatoes.";
  auto vectors = (*embedder)->Embed({text});
  REQUIRE(vectors.ok());
  v1::Point point = MakePoint("note-1", (*vectors)[0]);
  point.set_document(text);
  (*point.mutable_metadata())["title"].set_string_value("Companion planting");
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert, MakeUpsert("kb", {point}), upserted)
              .ok());

  v1::RetrieveResponse r =
      Retrieve(server, Request("basil", v1::RETRIEVE_MODE_TEXT));
  REQUIRE(r.chunks_size() == 1);
  CHECK(r.chunks(0).chunk_id() == "note-1");
  CHECK(r.chunks(0).doc_id() == "note-1");
  CHECK(r.chunks(0).text() == text);
  CHECK(r.chunks(0).title() == "Companion planting");
  CHECK(r.chunks(0).char_start() == 0);
  CHECK(r.chunks(0).char_end() == text.size());
  CHECK(r.chunks(0).passage() == 1);
  REQUIRE(r.passages_size() == 1);
  CHECK(r.passages(0).text() == text);
  CHECK(r.context() == "[1] Companion planting\n" + text);
}

// Creates collection "kb" (4-d) whose recorded embedder is openai with
// `parameters`.
void CreateOpenAiCollection(TestServer& server, SpecParameters parameters) {
  IngestProfile profile;
  profile.embedder = {.name = "openai",
                      .model = "m",
                      .dimension = 4,
                      .parameters = std::move(parameters)};
  profile.chunker.name = "recursive";
  v1::CreateCollectionRequest create;
  create.set_name("kb");
  create.set_dimension(4);
  create.set_metric(v1::METRIC_COSINE);
  IngestProfileToProto(profile, create.mutable_ingest());
  v1::CollectionInfo info;
  REQUIRE(VECDB_CALL(server.stub(), CreateCollection, create, info).ok());
}

TEST_CASE("Retrieve bounds the retries of a recorded openai embedder",
          "[server][retrieve]") {
  EmbeddingHttpServer endpoint(
      [](const httplib::Request&, httplib::Response& response, int) {
        response.status = 503;
        response.set_content(R"({"error": "overloaded"})", "application/json");
      });
  TestServer server;
  // Transport settings fit for a batch job, recorded with the collection:
  // followed by the query embedding, they would hold a server thread for
  // most of an hour.
  CreateOpenAiCollection(server, {{"base_url", endpoint.base_url()},
                                  {"max_retries", "100"},
                                  {"backoff_ms", "30000"},
                                  {"timeout_ms", "3600000"}});

  const auto start = std::chrono::steady_clock::now();
  v1::RetrieveResponse r;
  CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve,
                          Request("tomato", v1::RETRIEVE_MODE_DENSE), r),
               StatusCode::UNAVAILABLE, "gave up after 3 attempts");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK(endpoint.calls() == 3);
}

// A collection whose recorded openai embedder points at `base_url` with its
// key in $VECDB_TEST_RETRIEVE_KEY.
void CreateKeyedCollection(TestServer& server, const std::string& base_url) {
  CreateOpenAiCollection(server, {{"base_url", base_url},
                                  {"api_key_env", "VECDB_TEST_RETRIEVE_KEY"}});
}

TEST_CASE("Retrieve sends a key from the server's environment only to "
          "allowed endpoints",
          "[server][retrieve]") {
  EmbeddingHttpServer endpoint(
      [](const httplib::Request&, httplib::Response& response, int) {
        response.set_content(
            R"({"data": [{"index": 0, "embedding": [1, 0, 0, 0]}]})",
            "application/json");
      });
  const v1::RetrieveRequest request =
      Request("tomato", v1::RETRIEVE_MODE_DENSE);
  v1::RetrieveResponse r;
  setenv("VECDB_TEST_RETRIEVE_KEY", "secret-value", 1);
  {
    // A client-chosen endpoint, the key set here: refused, nothing sent.
    TestServer server;
    CreateKeyedCollection(server, endpoint.base_url());
    CHECK_STATUS(VECDB_CALL(server.stub(), Retrieve, request, r),
                 StatusCode::FAILED_PRECONDITION,
                 "with the key in $VECDB_TEST_RETRIEVE_KEY, and this server "
                 "sends keys only to endpoints starting with one of "
                 "[https://api.openai.com/]");
    CHECK(endpoint.calls() == 0);
  }
  {
    // The operator allows the endpoint: the key goes with the request.
    TestServer server({.key_url_prefixes = {"http://127.0.0.1:"}});
    CreateKeyedCollection(server, endpoint.base_url());
    CHECK(VECDB_CALL(server.stub(), Retrieve, request, r).ok());
    REQUIRE(endpoint.calls() == 1);
    CHECK(endpoint.auths().back() == "Bearer secret-value");
  }
  unsetenv("VECDB_TEST_RETRIEVE_KEY");
  {
    // No key on this server: nothing to leak, any endpoint may be used.
    TestServer server;
    CreateKeyedCollection(server, endpoint.base_url());
    CHECK(VECDB_CALL(server.stub(), Retrieve, request, r).ok());
    REQUIRE(endpoint.calls() == 2);
    CHECK(endpoint.auths().back().empty());
  }
}

TEST_CASE("A recreated collection gets a new embedder", "[server][retrieve]") {
  TestServer server;
  CreateCorpus(server, "kb");
  const std::string chunk = RocketText().substr(0, 140);
  // The exact text of a chunk embeds to its own vector: distance ~0.
  v1::RetrieveResponse r =
      Retrieve(server, Request(chunk, v1::RETRIEVE_MODE_DENSE, 1));
  REQUIRE(r.chunks_size() == 1);
  CHECK(r.chunks(0).chunk_id() == "space/rockets.md#0");
  CHECK(r.chunks(0).distance() < 1e-4f);

  v1::DropCollectionRequest drop;
  drop.set_collection("kb");
  v1::DropCollectionResponse dropped;
  REQUIRE(VECDB_CALL(server.stub(), DropCollection, drop, dropped).ok());
  IngestProfile seeded = CorpusProfile();
  seeded.embedder.parameters = {{"seed", "7"}, {"ngram_min", "2"}};
  CreateCorpus(server, "kb", seeded);
  r = Retrieve(server, Request(chunk, v1::RETRIEVE_MODE_DENSE, 1));
  REQUIRE(r.chunks_size() == 1);
  CHECK(r.chunks(0).chunk_id() == "space/rockets.md#0");
  CHECK(r.chunks(0).distance() < 1e-4f);
}

}  // namespace
}  // namespace vecdb::testing
