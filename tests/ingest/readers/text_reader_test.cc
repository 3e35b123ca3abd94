#include <catch2/catch.hpp>
#include <string>

#include "common/chunk_fields.h"
#include "ingest/readers/reader.h"
#include "tests/ingest/readers/test_files.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest {
namespace {

using testing::ReadFile;
using testing::WriteFile;
using vecdb::testing::TempDir;

const std::string kTitle(chunk_fields::kTitle);

TEST_CASE("A text file is read as written", "[readers][text]") {
  TempDir dir;
  const std::string path = dir.path() + "/notes.txt";
  WriteFile(path, "First line.\n\nSecond paragraph, caf\xC3\xA9.\n");
  const std::vector<ReadRecord> records =
      ReadFile(path, Format::kText, "notes.txt");
  REQUIRE(records.size() == 1);
  const ReadRecord& record = records[0];
  REQUIRE(record.status.ok());
  CHECK(record.doc_id == "notes.txt");
  CHECK(record.source == path);
  REQUIRE(record.document.has_value());
  CHECK(record.document->id == "notes.txt");
  CHECK(record.document->source == path);
  CHECK(record.document->format == Format::kText);
  CHECK(record.document->text ==
        "First line.\n\nSecond paragraph, caf\xC3\xA9.\n");
  CHECK(record.document->metadata.empty());
  CHECK(record.document->warnings.empty());
}

TEST_CASE("Line ends are normalised and a byte-order mark dropped",
          "[readers][text]") {
  const absl::StatusOr<Document> document = ParseDocument(
      "\xEF\xBB\xBFone\r\ntwo\rthree\n", Format::kText, "id", "src");
  REQUIRE(document.ok());
  CHECK(document->text == "one\ntwo\nthree\n");
}

TEST_CASE("Invalid UTF-8 in a text file is repaired with a warning",
          "[readers][text]") {
  TempDir dir;
  const std::string path = dir.path() + "/latin1.txt";
  // Latin-1 "café" and "naïve", plus a NUL byte.
  WriteFile(path, std::string("caf\xE9 na\xEFve\0!", 12));
  const std::vector<ReadRecord> records = ReadFile(path, Format::kText);
  REQUIRE(records.size() == 1);
  REQUIRE(records[0].document.has_value());
  const Document& document = *records[0].document;
  CHECK(document.text == "caf\xEF\xBF\xBD na\xEF\xBF\xBDve!");
  CHECK(document.warnings ==
        std::vector<std::string>{"repaired 3 invalid UTF-8 sequences"});
}

TEST_CASE("Markdown keeps its markup; the first # heading is the title",
          "[readers][text]") {
  const std::string markdown =
      "```\n# not a heading\n```\n\nIntro.\n\n# Install Guide #\n\n## "
      "Debian\n\nRun it.\n";
  const absl::StatusOr<Document> document =
      ParseDocument(markdown, Format::kMarkdown, "guide.md", "guide.md");
  REQUIRE(document.ok());
  CHECK(document->text == markdown);
  CHECK(document->format == Format::kMarkdown);
  CHECK(document->metadata.at(kTitle) == MetadataValue("Install Guide"));

  const absl::StatusOr<Document> untitled = ParseDocument(
      "## Only a sub heading\n\ntext", Format::kMarkdown, "a", "a");
  REQUIRE(untitled.ok());
  CHECK(untitled->metadata.count(kTitle) == 0);
  const absl::StatusOr<Document> csharp =
      ParseDocument("# C#\n", Format::kMarkdown, "b", "b");
  REQUIRE(csharp.ok());
  CHECK(csharp->metadata.at(kTitle) == MetadataValue("C#"));
}

TEST_CASE("A document without text is an error", "[readers][text]") {
  for (const std::string& bytes :
       {std::string(""), std::string(" \n\t\r\n"), std::string("\0\0", 2)}) {
    const absl::StatusOr<Document> document =
        ParseDocument(bytes, Format::kText, "empty.txt", "dir/empty.txt");
    CHECK(document.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(document.status().message() == "dir/empty.txt: no text");
  }
}

TEST_CASE("Document ids are 1..400 bytes", "[readers][text]") {
  CHECK(ParseDocument("x", Format::kText, std::string(400, 'a'), "s").ok());
  CHECK(ParseDocument("x", Format::kText, std::string(401, 'a'), "s")
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(ParseDocument("x", Format::kText, "", "s").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("ParseDocument refuses the many-document formats",
          "[readers][text]") {
  CHECK(ParseDocument("{\"id\":1,\"text\":\"x\"}", Format::kJsonl, "a", "a")
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(ParseDocument(".I 1\n.W\nx\n", Format::kSmart, "a", "a")
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("An unreadable file is one failed record with its id",
          "[readers][text]") {
  TempDir dir;
  const std::vector<ReadRecord> missing =
      ReadFile(dir.path() + "/gone.txt", Format::kText, "gone.txt");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].status.code() == absl::StatusCode::kNotFound);
  CHECK(missing[0].doc_id == "gone.txt");
  CHECK(missing[0].source == dir.path() + "/gone.txt");
  CHECK_FALSE(missing[0].document.has_value());

  const std::vector<ReadRecord> directory =
      ReadFile(dir.path(), Format::kText, "dir");
  REQUIRE(directory.size() == 1);
  CHECK(directory[0].status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(directory[0].doc_id == "dir");
}

}  // namespace
}  // namespace vecdb::ingest
