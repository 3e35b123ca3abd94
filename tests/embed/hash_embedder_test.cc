// The hash embedder: spec defaults and checks, determinism, normalisation,
// similarity, the no-feature error, thread safety and throughput.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "embed/embedder.h"
#include "tests/testing/ir_eval.h"
#include "tests/testing/test_data.h"

namespace vecdb::embed {
namespace {

std::unique_ptr<Embedder> MustMake(const EmbedderSpec& spec) {
  auto embedder = MakeEmbedder(spec);
  REQUIRE(embedder.ok());
  return std::move(embedder).value();
}

std::vector<float> MustEmbed(Embedder& embedder, const std::string& text) {
  auto vectors = embedder.Embed({text});
  REQUIRE(vectors.ok());
  REQUIRE(vectors->size() == 1);
  return (*vectors)[0];
}

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
  return sum;
}

absl::StatusCode MakeCode(const EmbedderSpec& spec) {
  return MakeEmbedder(spec).status().code();
}

TEST_CASE("hash spec lists every parameter with its default", "[embed]") {
  auto embedder = MustMake({.name = "hash"});
  const EmbedderSpec& spec = embedder->spec();
  CHECK(spec.name == "hash");
  CHECK(spec.model.empty());
  CHECK(spec.dimension == 768);
  CHECK(embedder->dimension() == 768);
  CHECK(spec.parameters ==
        SpecParameters{{"ngram_max", "5"}, {"ngram_min", "3"}, {"seed", "0"}});

  auto custom =
      MustMake({.name = "hash",
                .dimension = 64,
                .parameters = {
                    {"ngram_min", "02"}, {"ngram_max", "4"}, {"seed", "42"}}});
  CHECK(custom->dimension() == 64);
  CHECK(custom->spec().parameters ==
        SpecParameters{{"ngram_max", "4"}, {"ngram_min", "2"}, {"seed", "42"}});
  CHECK(MustEmbed(*custom, "hello").size() == 64);
}

TEST_CASE("hash spec rejects bad parameters", "[embed]") {
  const auto kBad = absl::StatusCode::kInvalidArgument;
  CHECK(MakeCode({.name = "hash", .parameters = {{"ngram_min", "0"}}}) == kBad);
  CHECK(MakeCode({.name = "hash", .parameters = {{"ngram_min", "x"}}}) == kBad);
  CHECK(MakeCode({.name = "hash", .parameters = {{"ngram_min", "-1"}}}) ==
        kBad);
  CHECK(MakeCode({.name = "hash", .parameters = {{"seed", ""}}}) == kBad);
  CHECK(MakeCode({.name = "hash", .dimension = 100000}) == kBad);
  CHECK(MakeCode({.name = "hash", .model = "m"}) == kBad);

  auto order = MakeEmbedder(
      {.name = "hash", .parameters = {{"ngram_min", "5"}, {"ngram_max", "3"}}});
  CHECK(order.status().code() == kBad);
  CHECK_THAT(std::string(order.status().message()),
             Catch::Contains("ngram_min (5) must not exceed ngram_max (3)"));

  auto unknown = MakeEmbedder({.name = "hash", .parameters = {{"ngram", "3"}}});
  CHECK(unknown.status().code() == kBad);
  CHECK_THAT(std::string(unknown.status().message()),
             Catch::Contains("unknown parameter \"ngram\""));
}

TEST_CASE("hash vectors are unit length and deterministic", "[embed]") {
  auto a = MustMake({.name = "hash"});
  auto b = MustMake({.name = "hash"});
  const std::string text =
      "The quick brown fox jumps over the lazy dog; the dog sleeps.";
  std::vector<float> va = MustEmbed(*a, text);
  CHECK(va == MustEmbed(*b, text));
  CHECK(va == MustEmbed(*a, text));
  CHECK(Dot(va, va) == Approx(1.0).epsilon(1e-5));

  // Case and Unicode normal form do not matter: the tokens are the same.
  CHECK(MustEmbed(*a, "HELLO World") == MustEmbed(*a, "hello world"));
  CHECK(MustEmbed(*a, "ｈｅｌｌｏ") == MustEmbed(*a, "hello"));

  // Another seed spreads the same features differently.
  auto seeded = MustMake({.name = "hash", .parameters = {{"seed", "7"}}});
  std::vector<float> vs = MustEmbed(*seeded, text);
  CHECK(vs != va);
  CHECK(Dot(vs, va) < 0.5);
}

TEST_CASE("hash vectors do not change across versions and machines",
          "[embed]") {
  // The hash is spelled out in hash_embedder.cc (FNV-1a + murmur3 mix), not
  // std::hash; a collection's vectors must stay comparable with new
  // queries, so these values are pinned.
  auto embedder = MustMake({.name = "hash", .dimension = 16});
  std::vector<float> v = MustEmbed(*embedder, "vector database");
  const std::vector<float> pinned = {
      0,      0,     -0.186, 0, -0.186, 0.186,  0.557,  0.186,
      -0.371, 0.371, 0.186,  0, -0.371, -0.186, -0.186, -0.186};
  REQUIRE(v.size() == pinned.size());
  for (size_t i = 0; i < v.size(); ++i) {
    INFO("component " << i);
    CHECK(v[i] == Approx(pinned[i]).margin(0.001));
  }
}

TEST_CASE("hash similar texts are closer than unrelated ones", "[embed]") {
  auto embedder = MustMake({.name = "hash"});
  auto v = embedder->Embed({"the patient suffered a heart attack",
                            "heart attacks in older patients",
                            "stock market prices fell sharply today", "cells",
                            "cell", "carburettor"});
  REQUIRE(v.ok());
  const auto& e = *v;
  CHECK(Dot(e[0], e[1]) > Dot(e[0], e[2]) + 0.1);
  CHECK(Dot(e[1], e[0]) > Dot(e[1], e[2]) + 0.1);
  // Character n-grams bring inflected forms together.
  CHECK(Dot(e[3], e[4]) > 0.2);
  CHECK(Dot(e[3], e[4]) > Dot(e[3], e[5]) + 0.2);
}

TEST_CASE("hash refuses text without features", "[embed]") {
  auto embedder = MustMake({.name = "hash"});
  for (const std::string& bad : {std::string(""), std::string(" .,;!? -- ")}) {
    auto v = embedder->Embed({"fine text", "more", bad});
    CHECK(v.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(v.status().message()),
               Catch::Contains("texts[2]: no features"));
  }
  auto none = embedder->Embed({});
  REQUIRE(none.ok());
  CHECK(none->empty());
}

std::vector<std::string> Chunks(size_t count, size_t words) {
  const std::vector<std::string> vocabulary = {
      "retrieval", "augmented",   "generation", "vector",  "database",
      "the",       "of",          "embedding",  "index",   "search",
      "patients",  "clinical",    "trial",      "results", "showed",
      "a",         "significant", "reduction",  "in",      "mortality",
      "hospital",  "treatment",   "group",      "control", "analysis"};
  std::vector<std::string> chunks;
  uint64_t state = 12345;
  for (size_t c = 0; c < count; ++c) {
    std::string chunk;
    for (size_t w = 0; w < words; ++w) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      chunk += vocabulary[(state >> 33) % vocabulary.size()];
      chunk += (w % 17 == 16) ? ". " : " ";
    }
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

TEST_CASE("hash Embed is safe from several threads", "[embed]") {
  auto embedder = MustMake({.name = "hash"});
  std::vector<std::string> chunks = Chunks(50, 40);
  auto expected = embedder->Embed(chunks);
  REQUIRE(expected.ok());
  std::vector<int> same(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto got = embedder->Embed(chunks);
      same[t] = got.ok() && *got == *expected;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(same == std::vector<int>{1, 1, 1, 1});
}

// 200-word chunks of MED's abstracts, `count` of them (the collection
// repeated as needed).
std::vector<std::string> MedChunks(size_t count) {
  std::vector<std::string> words;
  for (const auto& record :
       testing::LoadSmartRecords(testing::SharedDataDir() + "/med/MED.ALL")) {
    for (absl::string_view word :
         absl::StrSplit(record.text, ' ', absl::SkipEmpty())) {
      words.emplace_back(word);
    }
  }
  std::vector<std::string> chunks;
  for (size_t start = 0; chunks.size() < count; start += 200) {
    std::string chunk;
    for (size_t i = 0; i < 200; ++i) {
      absl::StrAppend(&chunk, words[(start + i) % words.size()], " ");
    }
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

TEST_CASE("hash throughput on 200-word chunks", "[embed]") {
  auto embedder = MustMake({.name = "hash"});
  std::vector<std::string> chunks = MedChunks(4000);
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  auto vectors = embedder->Embed(chunks);
  double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  REQUIRE(vectors.ok());
  CHECK(vectors->size() == chunks.size());
  std::printf(
      "hash embedder: %zu 200-word MED chunks, %.0f chunks/s per core "
      "(%.3f s CPU, %.3f s wall)\n",
      chunks.size(), chunks.size() / cpu, cpu, wall);
}

}  // namespace
}  // namespace vecdb::embed
