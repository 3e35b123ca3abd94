#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "retrieval/context.h"

namespace vecdb::retrieval {
namespace {

// A chunk point as vecdb-ingest writes it, with two document fields.
Point ChunkPoint() {
  Point point;
  point.id = "guide.md#3";
  point.document = "Install with apt.";
  point.metadata["doc_id"] = std::string("guide.md");
  point.metadata["source"] = std::string("docs/guide.md");
  point.metadata["doc_hash"] = std::string("ab12");
  point.metadata["chunk_count"] = int64_t{5};
  point.metadata["chunk_index"] = int64_t{3};
  point.metadata["char_start"] = int64_t{120};
  point.metadata["char_end"] = int64_t{137};
  point.metadata["section"] = std::vector<std::string>{"Guide", "Install"};
  point.metadata["chunk_hash"] = std::string("cd34");
  point.metadata["title"] = std::string("The Guide");
  point.metadata["year"] = int64_t{2024};
  return point;
}

TEST_CASE("ChunkFromPoint reads the lineage and keeps the document's fields",
          "[chunk_from_point]") {
  auto chunk = ChunkFromPoint(ChunkPoint());
  REQUIRE(chunk.ok());
  CHECK(chunk->chunk_id == "guide.md#3");
  CHECK(chunk->doc_id == "guide.md");
  CHECK(chunk->source == "docs/guide.md");
  CHECK(chunk->title == "The Guide");
  CHECK(chunk->chunk_index == 3);
  CHECK(chunk->char_start == 120);
  CHECK(chunk->char_end == 137);
  CHECK(chunk->section == std::vector<std::string>{"Guide", "Install"});
  CHECK(chunk->chunk_hash == "cd34");
  CHECK(chunk->text == "Install with apt.");
  Metadata want;
  want["title"] = std::string("The Guide");
  want["year"] = int64_t{2024};
  CHECK(chunk->metadata == want);
}

TEST_CASE("ChunkFromPoint leaves optional fields empty when absent",
          "[chunk_from_point]") {
  Point point = ChunkPoint();
  for (const char* field : {"source", "doc_hash", "chunk_count", "section",
                            "chunk_hash", "title"}) {
    point.metadata.erase(field);
  }
  auto chunk = ChunkFromPoint(point);
  REQUIRE(chunk.ok());
  CHECK(chunk->source.empty());
  CHECK(chunk->title.empty());
  CHECK(chunk->section.empty());
  CHECK(chunk->chunk_hash.empty());
  Metadata want;
  want["year"] = int64_t{2024};
  CHECK(chunk->metadata == want);
}

TEST_CASE("ChunkFromPoint takes a title only when it is a string",
          "[chunk_from_point]") {
  Point point = ChunkPoint();
  point.metadata["title"] = int64_t{7};
  auto chunk = ChunkFromPoint(point);
  REQUIRE(chunk.ok());
  CHECK(chunk->title.empty());
  CHECK(chunk->metadata.at("title") == MetadataValue(int64_t{7}));
}

struct BadCase {
  const char* name;
  const char* field;                   // changed or removed
  std::optional<MetadataValue> value;  // nullopt = removed
  const char* message;                 // expected inside the error
};

TEST_CASE("ChunkFromPoint rejects a bad field naming it and the point",
          "[chunk_from_point]") {
  const std::vector<BadCase> cases = {
      {"no doc_id", "doc_id", std::nullopt, "(no doc_id)"},
      {"doc_id int", "doc_id", int64_t{1}, "(doc_id is not a string)"},
      {"source list", "source", std::vector<std::string>{"a"},
       "(source is not a string)"},
      {"doc_hash bool", "doc_hash", true, "(doc_hash is not a string)"},
      {"chunk_hash int", "chunk_hash", int64_t{1},
       "(chunk_hash is not a string)"},
      {"chunk_count string", "chunk_count", std::string("5"),
       "(chunk_count is not an int)"},
      {"no chunk_index", "chunk_index", std::nullopt, "(no chunk_index)"},
      {"chunk_index double", "chunk_index", 3.0, "(chunk_index is not an int)"},
      {"chunk_index negative", "chunk_index", int64_t{-1},
       "(chunk_index is out of range (-1))"},
      {"chunk_index past uint32", "chunk_index", int64_t{1} << 32,
       "(chunk_index is out of range (4294967296))"},
      {"chunk_index past chunk_count", "chunk_index", int64_t{5},
       "(chunk_index 5 >= chunk_count 5)"},
      {"no char_start", "char_start", std::nullopt, "(no char_start)"},
      {"char_start string", "char_start", std::string("120"),
       "(char_start is not an int)"},
      {"char_start negative", "char_start", int64_t{-5},
       "(char_start is out of range (-5))"},
      {"no char_end", "char_end", std::nullopt, "(no char_end)"},
      {"char_end before char_start", "char_end", int64_t{119},
       "(char_end 119 < char_start 120)"},
      {"section string", "section", std::string("Guide"),
       "(section is not a string list)"},
  };
  for (const BadCase& c : cases) {
    SECTION(c.name) {
      Point point = ChunkPoint();
      if (c.value.has_value()) {
        point.metadata[c.field] = *c.value;
      } else {
        point.metadata.erase(c.field);
      }
      auto chunk = ChunkFromPoint(point);
      REQUIRE_FALSE(chunk.ok());
      CHECK(chunk.status().code() == absl::StatusCode::kInvalidArgument);
      CHECK(std::string(chunk.status().message()) ==
            std::string("point guide.md#3: not an ingested chunk ") +
                c.message);
    }
  }
}

TEST_CASE("ChunkFromPoint rejects a point without its document",
          "[chunk_from_point]") {
  Point point = ChunkPoint();
  point.document.reset();
  auto chunk = ChunkFromPoint(point);
  REQUIRE_FALSE(chunk.ok());
  CHECK(chunk.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(chunk.status().message()) ==
        "point guide.md#3: not an ingested chunk (no document)");
}

TEST_CASE("ChunkFromPoint rejects a plain point", "[chunk_from_point]") {
  Point point;
  point.id = "p1";
  point.document = "text";
  point.metadata["year"] = int64_t{1};
  auto chunk = ChunkFromPoint(point);
  REQUIRE_FALSE(chunk.ok());
  CHECK(std::string(chunk.status().message()) ==
        "point p1: not an ingested chunk (no doc_id)");
}

}  // namespace
}  // namespace vecdb::retrieval
