#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "common/chunk_fields.h"
#include "ingest/readers/reader.h"
#include "tests/ingest/readers/test_files.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest {
namespace {

const std::string kTitle(chunk_fields::kTitle);

// A minimal valid PDF: one page per entry of `page_texts` (each shown with
// Helvetica at 12 pt), an info dictionary with `title`, and a
// cross-reference table with the real byte offsets. `encrypted` adds a
// standard security handler whose user password is not empty (the /U
// entry matches no password a reader could try), so the file stays locked.
std::string MinimalPdf(const std::vector<std::string>& page_texts,
                       const std::string& title, bool encrypted = false) {
  const size_t pages = page_texts.size();
  // Objects: 1 catalog, 2 page tree, 3 font, 4 info, then per page the page
  // and its content stream.
  std::vector<std::string> objects;
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (size_t i = 0; i < pages; ++i) {
    kids += std::to_string(5 + 2 * i) + " 0 R ";
  }
  objects.push_back("<< /Type /Pages /Kids [ " + kids + "] /Count " +
                    std::to_string(pages) + " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  objects.push_back("<< /Title (" + title + ") /Producer (vecdb tests) >>");
  for (size_t i = 0; i < pages; ++i) {
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 3 0 R >> >> /Contents " +
        std::to_string(6 + 2 * i) + " 0 R >>");
    const std::string stream =
        "BT /F1 12 Tf 72 712 Td (" + page_texts[i] + ") Tj ET";
    objects.push_back("<< /Length " + std::to_string(stream.size()) +
                      " >>\nstream\n" + stream + "\nendstream");
  }
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n";
  pdf += "0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof(entry), "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  const std::string hex32(64, 'A');
  const std::string encryption =
      encrypted ? " /Encrypt << /Filter /Standard /V 1 /R 2 /O <" + hex32 +
                      "> /U <" + hex32 + "> /P -4 >> /ID [<" +
                      hex32.substr(0, 32) + "> <" + hex32.substr(0, 32) + ">]"
                : "";
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R /Info 4 0 R" + encryption + " >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST_CASE("PDF: page text and the info title", "[readers][pdf]") {
  vecdb::testing::TempDir dir;
  const std::string path = dir.path() + "/hello.pdf";
  testing::WriteFile(path, MinimalPdf({"Hello PDF world"}, "Greeting Paper"));
  const std::vector<ReadRecord> records =
      testing::ReadFile(path, Format::kPdf, "hello.pdf");
  REQUIRE(records.size() == 1);
  INFO(records[0].status.ToString());
  REQUIRE(records[0].document.has_value());
  const Document& document = *records[0].document;
  CHECK(document.id == "hello.pdf");
  CHECK(document.format == Format::kPdf);
  CHECK(document.text == "Hello PDF world");
  CHECK(document.metadata.at(kTitle) == MetadataValue("Greeting Paper"));
  CHECK(document.warnings.empty());
}

TEST_CASE("PDF: pages are separated by a blank line", "[readers][pdf]") {
  const absl::StatusOr<Document> document =
      ParseDocument(MinimalPdf({"Page one", "Page two"}, ""), Format::kPdf,
                    "two.pdf", "two.pdf");
  REQUIRE(document.ok());
  CHECK(document->text == "Page one\n\nPage two");
  CHECK(document->metadata.count(kTitle) == 0);
}

TEST_CASE("PDF: damaged files are errors, not crashes", "[readers][pdf]") {
  const std::string valid = MinimalPdf({"Hello PDF world"}, "T");
  for (const std::string& bytes :
       {std::string("%PDF-1.4\ngarbage that is no PDF at all\n%%EOF\n"),
        std::string("not even a header"), std::string(""),
        valid.substr(0, valid.size() / 3)}) {
    const absl::StatusOr<Document> document =
        ParseDocument(bytes, Format::kPdf, "bad.pdf", "bad.pdf");
    CHECK(document.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("PDF: an encrypted file is an error", "[readers][pdf]") {
  const absl::StatusOr<Document> document =
      ParseDocument(MinimalPdf({"Secret"}, "T", /*encrypted=*/true),
                    Format::kPdf, "locked.pdf", "locked.pdf");
  CHECK(document.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(document.status().message() == "locked.pdf: PDF is encrypted");
}

TEST_CASE("PDF: a page without text gives no text error", "[readers][pdf]") {
  const absl::StatusOr<Document> document =
      ParseDocument(MinimalPdf({""}, "Empty"), Format::kPdf, "e.pdf", "e.pdf");
  CHECK(document.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(document.status().message() == "e.pdf: no text");
}

}  // namespace
}  // namespace vecdb::ingest
