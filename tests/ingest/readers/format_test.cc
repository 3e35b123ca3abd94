#include <catch2/catch.hpp>

#include "ingest/readers/reader.h"

namespace vecdb::ingest {
namespace {

TEST_CASE("Format names round-trip", "[readers]") {
  for (Format format : {Format::kText, Format::kMarkdown, Format::kHtml,
                        Format::kPdf, Format::kJsonl, Format::kSmart}) {
    const absl::StatusOr<Format> parsed = ParseFormat(FormatName(format));
    REQUIRE(parsed.ok());
    CHECK(*parsed == format);
  }
  CHECK(ParseFormat("docx").status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ParseFormat("").status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("FormatFromPath goes by the extension, ignoring case", "[readers]") {
  CHECK(FormatFromPath("a/b.txt") == Format::kText);
  CHECK(FormatFromPath("notes.TEXT") == Format::kText);
  CHECK(FormatFromPath("README.md") == Format::kMarkdown);
  CHECK(FormatFromPath("x.markdown") == Format::kMarkdown);
  CHECK(FormatFromPath("index.HTM") == Format::kHtml);
  CHECK(FormatFromPath("page.html") == Format::kHtml);
  CHECK(FormatFromPath("paper.Pdf") == Format::kPdf);
  CHECK(FormatFromPath("rows.jsonl") == Format::kJsonl);
  CHECK(FormatFromPath("rows.ndjson") == Format::kJsonl);
  CHECK(FormatFromPath("med/MED.ALL") == Format::kSmart);
  CHECK(FormatFromPath("archive.tar.gz") == std::nullopt);
  CHECK(FormatFromPath("Makefile") == std::nullopt);
  CHECK(FormatFromPath(".md") == std::nullopt);
}

}  // namespace
}  // namespace vecdb::ingest
