// MakeEmbedder's dispatch, CheckSameEmbedder and DescribeEmbedder.
#include "embed/embedder.h"

#include <catch2/catch.hpp>
#include <string>

namespace vecdb::embed {
namespace {

const EmbedderSpec kHash = {
    .name = "hash",
    .dimension = 768,
    .parameters = {{"ngram_min", "3"}, {"ngram_max", "5"}, {"seed", "0"}}};

const EmbedderSpec kOpenAi = {
    .name = "openai",
    .model = "nomic-embed-text",
    .dimension = 768,
    .parameters = {{"base_url", "http://localhost:11434/v1"},
                   {"batch_size", "32"}}};

TEST_CASE("MakeEmbedder refuses unknown names", "[embed]") {
  auto unknown = MakeEmbedder({.name = "word2vec"});
  CHECK(unknown.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(unknown.status().message()),
             Catch::Contains("unknown embedder \"word2vec\""));
  CHECK(MakeEmbedder({}).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("DescribeEmbedder gives one line without secrets", "[embed]") {
  CHECK(DescribeEmbedder(kHash) == "hash (dimension 768, ngram 3-5, seed 0)");
  // Defaults are filled in before describing.
  CHECK(DescribeEmbedder({.name = "hash"}) ==
        "hash (dimension 768, ngram 3-5, seed 0)");
  CHECK(DescribeEmbedder(kOpenAi) ==
        "openai model nomic-embed-text (dimension 768)");
  CHECK(DescribeEmbedder({.name = "openai", .model = "m"}) ==
        "openai model m (dimension from the first reply)");
  CHECK(DescribeEmbedder({.name = "openai",
                          .model = "m",
                          .dimension = 256,
                          .parameters = {{"dimensions", "true"}}}) ==
        "openai model m (dimension 256, dimensions sent)");
  CHECK(DescribeEmbedder({}) == "(none)");
}

TEST_CASE("CheckSameEmbedder accepts the same embedder", "[embed]") {
  CHECK(CheckSameEmbedder(kHash, kHash).ok());
  // Defaults left out compare equal to the recorded full spec.
  CHECK(CheckSameEmbedder(kHash, {.name = "hash"}).ok());
  CHECK(CheckSameEmbedder(kOpenAi, kOpenAi).ok());

  // Transport settings may differ.
  EmbedderSpec moved = kOpenAi;
  moved.parameters = {{"base_url", "https://embed.example/v1/"},
                      {"api_key_env", "OTHER_KEY"},
                      {"batch_size", "8"},
                      {"timeout_ms", "1000"},
                      {"max_retries", "0"},
                      {"backoff_ms", "1"}};
  CHECK(CheckSameEmbedder(kOpenAi, moved).ok());

  // A run that will learn its dimension matches any recorded one.
  EmbedderSpec learning = kOpenAi;
  learning.dimension = 0;
  CHECK(CheckSameEmbedder(kOpenAi, learning).ok());
}

TEST_CASE("CheckSameEmbedder names both embedders when they differ",
          "[embed]") {
  auto check = [](const EmbedderSpec& recorded, const EmbedderSpec& requested) {
    absl::Status status = CheckSameEmbedder(recorded, requested);
    CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
    CHECK_THAT(
        std::string(status.message()),
        Catch::Contains("collection was built with embedder " +
                        DescribeEmbedder(recorded)) &&
            Catch::Contains("this run uses " + DescribeEmbedder(requested)));
    return std::string(status.message());
  };
  CHECK(check(kHash, kOpenAi) ==
        "collection was built with embedder hash (dimension 768, ngram "
        "3-5, seed 0); this run uses openai model nomic-embed-text "
        "(dimension 768)");
  check(kHash, {.name = "hash", .dimension = 512});
  check(kHash, {.name = "hash", .parameters = {{"ngram_max", "4"}}});
  check(kHash, {.name = "hash", .parameters = {{"seed", "1"}}});

  EmbedderSpec other_model = kOpenAi;
  other_model.model = "mxbai-embed-large";
  check(kOpenAi, other_model);
  EmbedderSpec other_dimension = kOpenAi;
  other_dimension.dimension = 1024;
  check(kOpenAi, other_dimension);
  EmbedderSpec shortened = kOpenAi;
  shortened.parameters["dimensions"] = "true";
  check(kOpenAi, shortened);

  absl::Status none = CheckSameEmbedder({}, kHash);
  CHECK(none.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(none.message()),
             Catch::Contains("collection records no embedder"));
}

}  // namespace
}  // namespace vecdb::embed
