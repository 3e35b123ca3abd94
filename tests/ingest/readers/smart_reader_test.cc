#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "common/chunk_fields.h"
#include "ingest/readers/reader.h"
#include "tests/ingest/readers/test_files.h"
#include "tests/testing/ir_eval.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest {
namespace {

const std::string kTitle(chunk_fields::kTitle);

// `text` with every white-space run as one space, trimmed.
std::string Collapsed(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

TEST_CASE("SMART: MED.ALL gives its 1,033 abstracts", "[readers][smart]") {
  const std::string path = vecdb::testing::SharedDataDir() + "/med/MED.ALL";
  const std::vector<ReadRecord> records =
      ReadSource(SourceFile{path, "MED.ALL", Format::kSmart});
  REQUIRE(records.size() == 1033);
  const std::vector<vecdb::testing::SmartRecord> expected =
      vecdb::testing::LoadSmartRecords(path, "W");
  REQUIRE(expected.size() == 1033);
  for (size_t i = 0; i < records.size(); ++i) {
    INFO("record " << i);
    REQUIRE(records[i].status.ok());
    REQUIRE(records[i].document.has_value());
    const Document& document = *records[i].document;
    CHECK(document.id == std::to_string(i + 1));
    CHECK(records[i].doc_id == document.id);
    CHECK(document.source == path + "#.I " + document.id);
    CHECK(document.format == Format::kSmart);
    CHECK(Collapsed(document.text) == Collapsed(expected[i].text));
    CHECK(document.metadata.empty());
    CHECK(document.warnings.empty());
  }
  const std::string& first = records[0].document->text;
  CHECK(first.rfind(
            "correlation between maternal and fetal plasma levels of glucose "
            "and free\nfatty acids .\n  correlation coefficients have been "
            "determined",
            0) == 0);
  CHECK(first.find('\r') == std::string::npos);
}

TEST_CASE("SMART: ADI.ALL gives 82 documents with titles and authors",
          "[readers][smart]") {
  const std::string path = vecdb::testing::SharedDataDir() + "/adi/ADI.ALL";
  const std::vector<ReadRecord> records =
      ReadSource(SourceFile{path, "ADI.ALL", Format::kSmart});
  REQUIRE(records.size() == 82);
  const std::vector<vecdb::testing::SmartRecord> expected =
      vecdb::testing::LoadSmartRecords(path, "TW");
  REQUIRE(expected.size() == 82);
  size_t with_title = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    INFO("record " << i);
    REQUIRE(records[i].document.has_value());
    const Document& document = *records[i].document;
    CHECK(document.id == std::to_string(i + 1));
    CHECK(Collapsed(document.text) == Collapsed(expected[i].text));
    if (document.metadata.count(kTitle) > 0) {
      ++with_title;
      const auto& title = std::get<std::string>(document.metadata.at(kTitle));
      CHECK(document.text.rfind(title + "\n\n", 0) == 0);
    }
  }
  CHECK(with_title == 82);
  const Document& first = *records[0].document;
  CHECK(first.metadata.at(kTitle) ==
        MetadataValue("the ibm dsd technical information center - a total "
                      "systems approach combining traditional library "
                      "features and mechanized computer processing"));
  CHECK(first.metadata.at("author") == MetadataValue("H. S. WHITE"));
  CHECK(first.text.rfind(
            "the ibm dsd technical information center - a total systems "
            "approach combining traditional library features and mechanized "
            "computer processing\n\nthe ibm data systems division technical\n"
            " information center (tic) provides",
            0) == 0);
}

TEST_CASE("SMART: unknown fields skipped, CRLF and trailing spaces accepted",
          "[readers][smart]") {
  vecdb::testing::TempDir dir;
  const std::string path = dir.path() + "/small.all";
  testing::WriteFile(path,
                     ".I 7\r\n"
                     ".T\r\n"
                     "A Title   \r\n"
                     "  continued\r\n"
                     ".A\r\n"
                     "Smith, J.\r\n"
                     "Jones, K.  \r\n"
                     ".B\r\n"
                     "CACM March, 1960\r\n"
                     ".W   \r\n"
                     "Body line one.   \r\n"
                     "Body line two.\r\n"
                     ".N\r\n"
                     "CA600301 JB March 20, 1978\r\n"
                     ".X\r\n"
                     "123\t5\t7\r\n"
                     ".I 12\r\n"
                     ".W\r\n"
                     "Only a body.\r\n"
                     ".I 13\r\n"
                     ".B\r\n"
                     "no text fields\r\n"
                     ".I 7\r\n"
                     ".W\r\n"
                     "same id again\r\n");
  const std::vector<ReadRecord> records =
      testing::ReadFile(path, Format::kSmart, "small.all");
  REQUIRE(records.size() == 4);
  REQUIRE(records[0].document.has_value());
  const Document& first = *records[0].document;
  CHECK(first.id == "7");
  CHECK(first.source == path + "#.I 7");
  CHECK(first.text == "A Title continued\n\nBody line one.\nBody line two.");
  CHECK(first.metadata.at(kTitle) == MetadataValue("A Title continued"));
  CHECK(first.metadata.at("author") == MetadataValue("Smith, J.; Jones, K."));
  REQUIRE(records[1].document.has_value());
  CHECK(records[1].document->text == "Only a body.");
  CHECK(records[1].document->metadata.empty());
  CHECK(records[2].doc_id == "13");
  CHECK(records[2].status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(records[2].status.message() == path + "#.I 13: no text");
  CHECK(records[3].doc_id == "7");
  CHECK(records[3].status.code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("SMART: text before the first .I fails, the records still load",
          "[readers][smart]") {
  vecdb::testing::TempDir dir;
  const std::string path = dir.path() + "/stray.all";
  testing::WriteFile(path, "\nstray words\n.I 1\n.W\ncaf\xE9\n");
  const std::vector<ReadRecord> records =
      testing::ReadFile(path, Format::kSmart, "stray.all");
  REQUIRE(records.size() == 2);
  CHECK(records[0].status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(records[0].source == path + ":2");
  REQUIRE(records[1].document.has_value());
  CHECK(records[1].document->text == "caf\xEF\xBF\xBD");
  CHECK(records[1].document->warnings ==
        std::vector<std::string>{"repaired 1 invalid UTF-8 sequence"});
}

}  // namespace
}  // namespace vecdb::ingest
