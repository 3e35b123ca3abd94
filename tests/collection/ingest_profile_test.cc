// The ingest profile recorded with a collection: validation and persistence.
#include <catch2/catch.hpp>
#include <string>

#include "collection/engine.h"
#include "collection/validation.h"
#include "tests/collection/engine_fixture.h"

namespace vecdb {
namespace {

using testing::OpenEngine;
using testing::TempDir;

IngestProfile HashProfile(uint32_t dimension) {
  IngestProfile p;
  p.embedder = {
      "hash", "", dimension, {{"ngram_max", "4"}, {"ngram_min", "3"}}};
  p.chunker = {"recursive", {{"target_tokens", "256"}}};
  return p;
}

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

TEST_CASE("ingest profile validation", "[validation][profile]") {
  CHECK(ValidateIngestProfile(IngestProfile(), 64).ok());
  CHECK(ValidateIngestProfile(HashProfile(64), 64).ok());

  absl::Status s = ValidateIngestProfile(HashProfile(384), 768);
  CHECK(absl::IsInvalidArgument(s));
  CHECK(Msg(s) ==
        "ingest.embedder.dimension: 384 differs from the collection's "
        "dimension 768");

  IngestProfile no_name = HashProfile(64);
  no_name.embedder.name.clear();
  s = ValidateIngestProfile(no_name, 64);
  CHECK(absl::IsInvalidArgument(s));
  CHECK_THAT(Msg(s), Catch::StartsWith("ingest.embedder.name: "));

  IngestProfile only_chunker;
  only_chunker.chunker.name = "fixed";
  CHECK(absl::IsInvalidArgument(ValidateIngestProfile(only_chunker, 64)));

  IngestProfile no_chunker = HashProfile(64);
  no_chunker.chunker.name.clear();
  s = ValidateIngestProfile(no_chunker, 64);
  CHECK(Msg(s) == "ingest.chunker.name: must not be empty");

  IngestProfile many = HashProfile(64);
  for (int i = 0; i < 33; ++i) {
    many.chunker.parameters["k" + std::to_string(i)] = "v";
  }
  s = ValidateIngestProfile(many, 64);
  CHECK_THAT(Msg(s), Catch::StartsWith("ingest.chunker.parameters: 34"));
  many.chunker.parameters.erase("k0");
  many.chunker.parameters.erase("k1");
  CHECK(ValidateIngestProfile(many, 64).ok());  // exactly 32

  IngestProfile empty_key = HashProfile(64);
  empty_key.embedder.parameters[""] = "x";
  s = ValidateIngestProfile(empty_key, 64);
  CHECK(Msg(s) == "ingest.embedder.parameters: a key must not be empty");

  IngestProfile long_key = HashProfile(64);
  long_key.embedder.parameters[std::string(256, 'k')] = "x";
  CHECK(ValidateIngestProfile(long_key, 64).ok());
  long_key.embedder.parameters[std::string(257, 'k')] = "x";
  CHECK(absl::IsInvalidArgument(ValidateIngestProfile(long_key, 64)));

  IngestProfile long_value = HashProfile(64);
  long_value.embedder.parameters["base_url"] = std::string(1024, 'v');
  CHECK(ValidateIngestProfile(long_value, 64).ok());
  long_value.embedder.parameters["base_url"] = std::string(1025, 'v');
  s = ValidateIngestProfile(long_value, 64);
  CHECK(Msg(s) ==
        "ingest.embedder.parameters[\"base_url\"]: value of 1025 bytes "
        "exceeds the limit of 1024");
}

TEST_CASE("CreateCollection records the ingest profile across a reopen",
          "[engine][profile]") {
  TempDir dir;
  {
    auto engine = OpenEngine(dir.path());
    auto bad = engine->CreateCollection(
        {.name = "kb", .dimension = 768, .ingest = HashProfile(384)});
    CHECK(absl::IsInvalidArgument(bad.status()));
    CHECK_THAT(Msg(bad.status()),
               Catch::StartsWith("ingest.embedder.dimension: 384"));
    CHECK(absl::IsNotFound(engine->GetCollection("kb").status()));

    auto kb = engine->CreateCollection(
        {.name = "kb", .dimension = 64, .ingest = HashProfile(64)});
    REQUIRE(kb.ok());
    CHECK((*kb)->record().ingest == HashProfile(64));
    CHECK((*kb)->Info().record.ingest == HashProfile(64));
    auto plain = engine->CreateCollection({.name = "plain", .dimension = 4});
    REQUIRE(plain.ok());
    CHECK((*plain)->record().ingest.empty());
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto kb = engine->GetCollection("kb");
  REQUIRE(kb.ok());
  CHECK((*kb)->record().ingest == HashProfile(64));
  auto plain = engine->GetCollection("plain");
  REQUIRE(plain.ok());
  CHECK((*plain)->record().ingest.empty());
}

}  // namespace
}  // namespace vecdb
