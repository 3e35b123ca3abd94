#include "ingest/chunk_points.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/chunk_fields.h"
#include "ingest/content_hash.h"

namespace vecdb::ingest {
namespace {

TEST_CASE("BuildChunkPoints writes ids, texts and every lineage field",
          "[ingest][points]") {
  Document document{.id = "guide.md",
                    .source = "docs/guide.md",
                    .format = Format::kMarkdown,
                    .text = "# Guide\nHello world"};
  document.metadata["title"] = std::string("Guide");
  document.metadata["year"] = int64_t{2024};
  std::vector<Chunk> chunks = {
      {.index = 0, .char_start = 0, .char_end = 7, .section = {"Guide"},
       .text = "# Guide"},
      {.index = 1, .char_start = 8, .char_end = 19, .section = {},
       .text = "Hello world"},
  };
  const std::string hash = DocumentHash(document);
  std::vector<Point> points = BuildChunkPoints(document, hash, chunks);
  REQUIRE(points.size() == 2);

  CHECK(points[0].id == "guide.md#0");
  CHECK(points[1].id == chunk_fields::ChunkId("guide.md", 1));
  CHECK(points[0].document == std::optional<std::string>("# Guide"));
  CHECK(points[1].document == std::optional<std::string>("Hello world"));
  CHECK(points[0].vector.empty());

  const Metadata expected0 = {
      {"title", std::string("Guide")},
      {"year", int64_t{2024}},
      {"doc_id", std::string("guide.md")},
      {"source", std::string("docs/guide.md")},
      {"doc_hash", hash},
      {"chunk_count", int64_t{2}},
      {"chunk_index", int64_t{0}},
      {"char_start", int64_t{0}},
      {"char_end", int64_t{7}},
      {"section", std::vector<std::string>{"Guide"}},
      {"chunk_hash", Sha256Hex("# Guide")},
  };
  CHECK(points[0].metadata == expected0);
  // No section outside headings; everything else alike.
  CHECK(points[1].metadata.count("section") == 0);
  CHECK(points[1].metadata.at("chunk_index") == MetadataValue(int64_t{1}));
  CHECK(points[1].metadata.at("char_start") == MetadataValue(int64_t{8}));
  CHECK(points[1].metadata.at("chunk_hash") ==
        MetadataValue(Sha256Hex("Hello world")));
  CHECK(points[1].metadata.size() == expected0.size() - 1);
}

}  // namespace
}  // namespace vecdb::ingest
