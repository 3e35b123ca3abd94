// The openai embedder against a real HTTP server on 127.0.0.1: batching,
// auth, dimension learning, retries, refusals, timeouts and malformed
// replies.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "embed/embedder.h"
#include "tests/testing/embedding_http_server.h"

namespace vecdb::embed {
namespace {

using Json = nlohmann::json;

using TestServer = testing::EmbeddingHttpServer;

// The vector the test server gives `text`: its length, then 1, 2, 3...
std::vector<float> FakeVector(const std::string& text, size_t dimension) {
  std::vector<float> vector(dimension);
  vector[0] = static_cast<float>(text.size());
  for (size_t i = 1; i < dimension; ++i) vector[i] = static_cast<float>(i);
  return vector;
}

// A good reply to `request`, its items in reverse order (the embedder must
// sort them by "index").
void Reply(const httplib::Request& request, httplib::Response& response,
           size_t dimension) {
  Json body = Json::parse(request.body);
  const Json& input = body["input"];
  Json data = Json::array();
  for (size_t i = input.size(); i-- > 0;) {
    data.push_back(
        {{"object", "embedding"},
         {"index", i},
         {"embedding", FakeVector(input[i].get<std::string>(), dimension)}});
  }
  response.set_content(Json{{"object", "list"}, {"data", data}}.dump(),
                       "application/json");
}

TestServer::Handler Good(size_t dimension) {
  return
      [dimension](const httplib::Request& request, httplib::Response& response,
                  int) { Reply(request, response, dimension); };
}

EmbedderSpec Spec(const TestServer& server, SpecParameters extra = {},
                  uint32_t dimension = 0) {
  SpecParameters parameters = {{"base_url", server.base_url()},
                               {"api_key_env", "VECDB_EMBED_TEST_KEY"},
                               {"backoff_ms", "1"},
                               {"max_retries", "2"},
                               {"timeout_ms", "5000"}};
  for (auto& [name, value] : extra) parameters[name] = value;
  return {.name = "openai",
          .model = "test-model",
          .dimension = dimension,
          .parameters = parameters};
}

std::unique_ptr<Embedder> MustMake(const EmbedderSpec& spec) {
  auto embedder = MakeEmbedder(spec);
  REQUIRE(embedder.ok());
  return std::move(embedder).value();
}

std::vector<std::string> Texts(size_t count) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < count; ++i) {
    texts.push_back(std::string(i + 1, 'a' + i % 26));
  }
  return texts;
}

TEST_CASE("openai embeds in batches with model and key", "[embed][openai]") {
  setenv("VECDB_EMBED_TEST_KEY", "sk-test-123", 1);
  TestServer server(Good(4));
  auto embedder = MustMake(Spec(server, {{"batch_size", "3"}}));
  CHECK(embedder->dimension() == 0);
  CHECK(embedder->spec().parameters.at("batch_size") == "3");

  auto vectors = embedder->Embed(Texts(7));
  REQUIRE(vectors.ok());
  REQUIRE(vectors->size() == 7);
  for (size_t i = 0; i < 7; ++i) {
    CHECK((*vectors)[i] == FakeVector(Texts(7)[i], 4));
  }
  // The dimension was learnt from the first reply.
  CHECK(embedder->dimension() == 4);
  CHECK(embedder->spec().dimension == 4);

  std::vector<Json> bodies = server.bodies();
  REQUIRE(bodies.size() == 3);
  CHECK(bodies[0]["input"].size() == 3);
  CHECK(bodies[1]["input"].size() == 3);
  CHECK(bodies[2]["input"].size() == 1);
  CHECK(bodies[2]["input"][0] == "ggggggg");
  for (const Json& body : bodies) {
    CHECK(body["model"] == "test-model");
    CHECK_FALSE(body.contains("dimensions"));
  }
  CHECK(server.auths() == std::vector<std::string>(3, "Bearer sk-test-123"));
  unsetenv("VECDB_EMBED_TEST_KEY");

  auto empty = embedder->Embed({});
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  CHECK(server.calls() == 3);
}

TEST_CASE(
    "openai sends no key when its variable is unset and can send "
    "dimensions",
    "[embed][openai]") {
  unsetenv("VECDB_EMBED_TEST_KEY");
  TestServer server(Good(8));
  auto embedder = MustMake(Spec(server, {{"dimensions", "yes"}}, 8));
  CHECK(embedder->spec().parameters.at("dimensions") == "true");
  REQUIRE(embedder->Embed({"x"}).ok());
  CHECK(server.auths() == std::vector<std::string>{""});
  CHECK(server.bodies()[0]["dimensions"] == 8);
}

TEST_CASE("openai rejects a reply of another length than the dimension",
          "[embed][openai]") {
  TestServer server(Good(12));
  auto embedder = MustMake(Spec(server, {}, 768));
  auto vectors = embedder->Embed({"a", "b"});
  CHECK(vectors.status().code() == absl::StatusCode::kInternal);
  CHECK_THAT(std::string(vectors.status().message()),
             Catch::Contains("reply: data[0].embedding: expected 768 "
                             "numbers, got 12"));
}

TEST_CASE("openai retries 429 and honours Retry-After", "[embed][openai]") {
  std::string retry_after = GENERATE(std::string("0"), std::string("1"));
  TestServer server([&](const httplib::Request& request,
                        httplib::Response& response, int call) {
    if (call == 0) {
      response.status = 429;
      response.set_header("Retry-After", retry_after);
      response.set_content(R"({"error":{"message":"slow down"}})",
                           "application/json");
      return;
    }
    Reply(request, response, 3);
  });
  // The backoff would be at most 1 ms: a wait near a second is Retry-After.
  auto embedder = MustMake(Spec(server));
  auto start = std::chrono::steady_clock::now();
  auto vectors = embedder->Embed({"a"});
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  REQUIRE(vectors.ok());
  CHECK(server.calls() == 2);
  if (retry_after == "1") {
    CHECK(seconds >= 0.9);
  } else {
    CHECK(seconds < 0.9);
  }
}

TEST_CASE("openai retries 500 until success", "[embed][openai]") {
  TestServer server([](const httplib::Request& request,
                       httplib::Response& response, int call) {
    if (call < 2) {
      response.status = 500;
      response.set_content("oops", "text/plain");
      return;
    }
    Reply(request, response, 3);
  });
  auto embedder = MustMake(Spec(server));
  auto vectors = embedder->Embed({"a", "b"});
  REQUIRE(vectors.ok());
  CHECK(vectors->size() == 2);
  CHECK(server.calls() == 3);
}

TEST_CASE("openai gives up on 5xx after max_retries + 1 attempts",
          "[embed][openai]") {
  TestServer server([](const httplib::Request&, httplib::Response& response,
                       int) {
    response.status = 503;
    response.set_content(R"({"error":"model is loading"})", "application/json");
  });
  auto embedder = MustMake(Spec(server, {{"max_retries", "3"}}));
  auto vectors = embedder->Embed({"a"});
  CHECK(vectors.status().code() == absl::StatusCode::kUnavailable);
  std::string message(vectors.status().message());
  CHECK_THAT(message, Catch::Contains("after 4 attempts"));
  CHECK_THAT(message, Catch::Contains("HTTP 503"));
  CHECK_THAT(message, Catch::Contains("model is loading"));
  CHECK_THAT(message, Catch::Contains(server.base_url() + "/embeddings"));
  CHECK(server.calls() == 4);
}

TEST_CASE("openai does not retry 4xx and shows the server's message",
          "[embed][openai]") {
  setenv("VECDB_EMBED_TEST_KEY", "sk-secret-999", 1);
  TestServer server([](const httplib::Request&, httplib::Response& response,
                       int) {
    response.status = 400;
    response.set_content(
        R"({"error":{"message":"model test-model not found; key sk-secret-999"}})",
        "application/json");
  });
  auto embedder = MustMake(Spec(server));
  unsetenv("VECDB_EMBED_TEST_KEY");
  auto vectors = embedder->Embed({"a"});
  CHECK(vectors.status().code() == absl::StatusCode::kInvalidArgument);
  std::string message(vectors.status().message());
  CHECK_THAT(message, Catch::Contains("HTTP 400"));
  CHECK_THAT(message, Catch::Contains("model test-model not found"));
  // The key never shows, even when the server echoes it.
  CHECK_THAT(message, !Catch::Contains("sk-secret-999"));
  CHECK(server.calls() == 1);
}

TEST_CASE("openai refused key is FailedPrecondition", "[embed][openai]") {
  TestServer server(
      [](const httplib::Request&, httplib::Response& response, int) {
        response.status = 401;
        response.set_content("bad key", "text/plain");
      });
  auto vectors = MustMake(Spec(server))->Embed({"a"});
  CHECK(vectors.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(vectors.status().message()),
             Catch::Contains("$VECDB_EMBED_TEST_KEY"));
  CHECK(server.calls() == 1);
}

TEST_CASE("openai request past timeout_ms is DeadlineExceeded",
          "[embed][openai]") {
  TestServer server(
      [](const httplib::Request& request, httplib::Response& response, int) {
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        Reply(request, response, 3);
      });
  auto embedder = MustMake(Spec(server, {{"timeout_ms", "150"}}));
  auto start = std::chrono::steady_clock::now();
  auto vectors = embedder->Embed({"a"});
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  CHECK(vectors.status().code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(seconds < 0.5);
  CHECK(server.calls() == 1);
}

TEST_CASE("openai reports malformed replies", "[embed][openai]") {
  struct Case {
    std::string reply;
    std::string error;
  };
  // Two inputs, dimension 2.
  Case c = GENERATE(
      Case{"<html>", "reply: not JSON"},
      Case{R"({"object":"list"})", "reply: no \"data\" array"},
      Case{R"([1,2])", "reply: no \"data\" array"},
      Case{R"({"data":[{"index":0,"embedding":[1,2]}]})",
           "reply: 1 embeddings for 2 inputs"},
      Case{R"({"data":[{"index":0,"embedding":[1,2]},
                       {"index":1,"embedding":[1,2,3]}]})",
           "reply: data[1].embedding: expected 2 numbers, got 3"},
      Case{R"({"data":[{"index":0,"embedding":[1,2]},
                       {"index":1,"embedding":[1,"x"]}]})",
           "reply: data[1].embedding[1]: not a number"},
      Case{R"({"data":[{"index":0,"embedding":[1,2]},
                       {"index":1,"embedding":"AAAA"}]})",
           "reply: data[1].embedding: expected an array of numbers"},
      Case{R"({"data":[{"index":0,"embedding":[1,2]},
                       {"index":0,"embedding":[1,2]}]})",
           "reply: data[1].index: 0 given twice"},
      Case{R"({"data":[{"index":0,"embedding":[1,2]},
                       {"index":5,"embedding":[1,2]}]})",
           "reply: data[1].index: expected a number below 2, got 5"},
      Case{R"({"data":[{"index":0,"embedding":[]},
                       {"index":1,"embedding":[]}]})",
           "reply: data[0].embedding: expected 1 to 4096 numbers, got 0"});
  TestServer server(
      [&](const httplib::Request&, httplib::Response& response, int) {
        response.set_content(c.reply, "application/json");
      });
  auto embedder = MustMake(Spec(server));
  auto vectors = embedder->Embed({"a", "b"});
  INFO(c.reply);
  CHECK(vectors.status().code() == absl::StatusCode::kInternal);
  CHECK_THAT(std::string(vectors.status().message()), Catch::Contains(c.error));
  // A malformed reply is not retried, and nothing was learnt from it.
  CHECK(server.calls() == 1);
  CHECK(embedder->dimension() == 0);
}

TEST_CASE("openai connection refused is Unavailable after retries",
          "[embed][openai]") {
  std::string base_url;
  {
    // A port that was just free: bound, then closed.
    TestServer closed(Good(2));
    base_url = closed.base_url();
  }
  auto embedder = MustMake(
      {.name = "openai",
       .model = "m",
       .parameters = {
           {"base_url", base_url}, {"backoff_ms", "1"}, {"max_retries", "2"}}});
  auto vectors = embedder->Embed({"a"});
  CHECK(vectors.status().code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(vectors.status().message()),
             Catch::Contains("after 3 attempts") &&
                 Catch::Contains(base_url + "/embeddings"));
}

TEST_CASE("openai spec checks", "[embed][openai]") {
  auto missing = MakeEmbedder({.name = "openai"});
  CHECK(missing.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(missing.status().message()),
             Catch::Contains("model is required"));

  auto bad = [](SpecParameters parameters, uint32_t dimension = 0) {
    return MakeEmbedder({.name = "openai",
                         .model = "m",
                         .dimension = dimension,
                         .parameters = parameters})
        .status()
        .code();
  };
  const auto kBad = absl::StatusCode::kInvalidArgument;
  CHECK(bad({{"batch_size", "0"}}) == kBad);
  CHECK(bad({{"timeout_ms", "soon"}}) == kBad);
  CHECK(bad({{"dimensions", "maybe"}}, 8) == kBad);
  CHECK(bad({{"dimensions", "true"}}) == kBad);  // No dimension to send.
  CHECK(bad({{"base_url", "localhost:8080"}}) == kBad);
  CHECK(bad({{"api_key", "sk-oops"}}) == kBad);

  auto embedder = MakeEmbedder({.name = "openai", .model = "m"});
  REQUIRE(embedder.ok());
  CHECK((*embedder)->spec().parameters ==
        SpecParameters{{"api_key_env", "OPENAI_API_KEY"},
                       {"backoff_ms", "500"},
                       {"base_url", "https://api.openai.com/v1"},
                       {"batch_size", "64"},
                       {"dimensions", "false"},
                       {"max_retries", "5"},
                       {"timeout_ms", "30000"}});
  auto empty = (*embedder)->Embed({"a", ""});
  CHECK(empty.status().code() == kBad);
  CHECK_THAT(std::string(empty.status().message()),
             Catch::Contains("texts[1]: empty"));
}

TEST_CASE("openai Embed is safe from several threads", "[embed][openai]") {
  TestServer server(Good(5));
  auto embedder = MustMake(Spec(server, {{"batch_size", "2"}}));
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto texts = Texts(9);
      auto vectors = embedder->Embed(texts);
      bool good = vectors.ok() && vectors->size() == 9;
      for (size_t i = 0; good && i < 9; ++i) {
        good = (*vectors)[i] == FakeVector(texts[i], 5);
      }
      ok[t] = good;
      (void)embedder->dimension();
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == std::vector<int>{1, 1, 1, 1});
  CHECK(embedder->dimension() == 5);
  CHECK(server.calls() == 4 * 5);
}

}  // namespace
}  // namespace vecdb::embed
