#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/chunk_fields.h"
#include "ingest/readers/reader.h"
#include "tests/ingest/readers/test_files.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest {
namespace {

std::vector<ReadRecord> ReadJsonl(const vecdb::testing::TempDir& dir,
                                  const std::string& contents) {
  const std::string path = dir.path() + "/docs.jsonl";
  testing::WriteFile(path, contents);
  return testing::ReadFile(path, Format::kJsonl, "docs.jsonl");
}

TEST_CASE("JSONL: one document per line with metadata", "[readers][jsonl]") {
  vecdb::testing::TempDir dir;
  const std::vector<ReadRecord> records = ReadJsonl(
      dir,
      R"({"id": "a", "text": "First text.", "metadata": {"title": "A", "year": 2021, "score": 0.5, "draft": false, "tags": ["x", "y"]}})"
      "\n\n"
      R"({"id": 42, "text": "Second\ntext."})"
      "\r\n");
  REQUIRE(records.size() == 2);
  const std::string path = dir.path() + "/docs.jsonl";
  REQUIRE(records[0].document.has_value());
  const Document& first = *records[0].document;
  CHECK(records[0].doc_id == "a");
  CHECK(first.id == "a");
  CHECK(first.source == path + ":1");
  CHECK(first.format == Format::kJsonl);
  CHECK(first.text == "First text.");
  CHECK(first.metadata.size() == 5);
  CHECK(first.metadata.at("title") == MetadataValue("A"));
  CHECK(first.metadata.at("year") == MetadataValue(int64_t{2021}));
  CHECK(first.metadata.at("score") == MetadataValue(0.5));
  CHECK(first.metadata.at("draft") == MetadataValue(false));
  CHECK(first.metadata.at("tags") ==
        MetadataValue(std::vector<std::string>{"x", "y"}));
  // Blank line 2 is skipped; line numbers still count it.
  REQUIRE(records[1].document.has_value());
  CHECK(records[1].document->id == "42");
  CHECK(records[1].source == path + ":3");
  CHECK(records[1].document->text == "Second\ntext.");
  CHECK(records[1].document->metadata.empty());
}

TEST_CASE("JSONL: bad lines fail alone, the others load", "[readers][jsonl]") {
  vecdb::testing::TempDir dir;
  const std::vector<std::string> lines = {
      R"({"id": "good1", "text": "ok"})",                               // 1
      R"({"id": "broken", "text": )",                                   // 2
      R"({"text": "no id"})",                                           // 3
      R"({"id": "", "text": "empty id"})",                              // 4
      R"({"id": 1.5, "text": "float id"})",                             // 5
      R"({"id": "notext"})",                                            // 6
      R"({"id": "emptytext", "text": "  "})",                           // 7
      R"({"id": "meta", "text": "t", "metadata": {"doc_id": "x"}})",    // 8
      R"({"id": "nested", "text": "t", "metadata": {"m": {"a": 1}}})",  // 9
      R"({"id": "nullv", "text": "t", "metadata": {"m": null}})",       // 10
      R"({"id": "mixed", "text": "t", "metadata": {"m": ["a", 1]}})",   // 11
      R"(["an", "array"])",                                             // 12
      R"({"id": "good2", "text": "also ok"})",                          // 13
      R"({"id": "good1", "text": "again"})",                            // 14
      R"({"id": "numtext", "text": 5})",                                // 15
  };
  std::string contents;
  for (const std::string& line : lines) contents += line + "\n";
  const std::vector<ReadRecord> records = ReadJsonl(dir, contents);
  REQUIRE(records.size() == lines.size());
  const std::string path = dir.path() + "/docs.jsonl";
  for (size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].source == path + ":" + std::to_string(i + 1));
  }
  CHECK(records[0].document.has_value());
  CHECK(records[12].document.has_value());
  CHECK(records[12].document->text == "also ok");
  for (size_t i : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14}) {
    INFO("line " << i + 1);
    CHECK_FALSE(records[i].document.has_value());
    CHECK(records[i].status.code() == absl::StatusCode::kInvalidArgument);
  }
  // Ids are reported when they were read.
  CHECK(records[1].doc_id.empty());
  CHECK(records[5].doc_id == "notext");
  CHECK(records[7].doc_id == "meta");
  CHECK(records[13].doc_id == "good1");
  CHECK(records[7].status.message() ==
        path + ":8: metadata.doc_id: reserved field");
  CHECK(records[6].status.message() == path + ":7: no text");
  CHECK(records[13].status.message() ==
        path + ":14: duplicate id \"good1\" (first at " + path + ":1)");
}

TEST_CASE("JSONL: invalid UTF-8 is repaired with a warning",
          "[readers][jsonl]") {
  vecdb::testing::TempDir dir;
  const std::vector<ReadRecord> records =
      ReadJsonl(dir,
                "{\"id\": \"l1\", \"text\": \"caf\xE9\", \"metadata\": "
                "{\"who\": \"Jos\xE9\"}}\n"
                "{\"id\": \"nul\", \"text\": \"a\\u0000b\"}\n");
  REQUIRE(records.size() == 2);
  REQUIRE(records[0].document.has_value());
  CHECK(records[0].document->text == "caf\xEF\xBF\xBD");
  CHECK(records[0].document->metadata.at("who") ==
        MetadataValue("Jos\xEF\xBF\xBD"));
  CHECK(records[0].document->warnings ==
        std::vector<std::string>{"repaired 2 invalid UTF-8 sequences"});
  REQUIRE(records[1].document.has_value());
  CHECK(records[1].document->text == "ab");
  CHECK(records[1].document->warnings ==
        std::vector<std::string>{"repaired 1 invalid UTF-8 sequence"});
}

TEST_CASE("JSONL: ids longer than 400 bytes fail", "[readers][jsonl]") {
  vecdb::testing::TempDir dir;
  const std::vector<ReadRecord> records =
      ReadJsonl(dir, "{\"id\": \"" + std::string(401, 'x') +
                         "\", \"text\": \"t\"}\n" + "{\"id\": \"" +
                         std::string(400, 'y') + "\", \"text\": \"t\"}\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(records[1].document.has_value());
}

}  // namespace
}  // namespace vecdb::ingest
