#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <string>

#include "common/chunk_fields.h"
#include "ingest/readers/reader.h"
#include "tests/ingest/readers/test_files.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest {
namespace {

const std::string kTitle(chunk_fields::kTitle);

Document ParseHtml(const std::string& html) {
  absl::StatusOr<Document> document =
      ParseDocument(html, Format::kHtml, "page.html", "page.html");
  REQUIRE(document.ok());
  return *std::move(document);
}

TEST_CASE("HTML: visible text only, title from <title>", "[readers][html]") {
  const Document document = ParseHtml(R"(<!DOCTYPE html>
<html><head>
  <title>  The   Guide </title>
  <style>body { color: red; }</style>
  <script>var hidden = "script text";</script>
</head>
<body>
  <noscript>Enable JavaScript</noscript>
  <template><p>template text</p></template>
  <p>Hello,
     <b>bold</b>   world!</p>
  <!-- a comment -->
  <script>document.write("more script");</script>
  <div>Second block</div>
</body></html>)");
  CHECK(document.text == "Hello, bold world!\n\nSecond block");
  CHECK(document.metadata.at(kTitle) == MetadataValue("The Guide"));
  CHECK(document.format == Format::kHtml);
  CHECK(document.warnings.empty());
}

TEST_CASE("HTML: entities come out decoded", "[readers][html]") {
  const Document document = ParseHtml(
      "<p>Tom &amp; Jerry &lt;3 &quot;caf&eacute;&quot; &#8364;5 "
      "&#x1F600; a&nbsp;b</p>");
  CHECK(document.text ==
        "Tom & Jerry <3 \"caf\xC3\xA9\" \xE2\x82\xAC"
        "5 \xF0\x9F\x98\x80 a b");
}

TEST_CASE("HTML: headings become # lines, lists - lines", "[readers][html]") {
  const Document document = ParseHtml(R"(<body>
<h1>Guide</h1>
<p>Intro text.</p>
<h2>Install <em>it</em></h2>
<ul>
  <li>Fruits
    <ul><li>Apple</li><li>Pear</li></ul>
  </li>
  <li>Vegetables</li>
</ul>
<ol><li>first</li><li>second</li></ol>
<h3></h3>
<h6>Deep</h6>
<p>Line one<br>Line two</p>
<table><tr><th>Name</th><td>Value</td></tr><tr><td>a</td><td>1</td></tr></table>
<pre>keep   this
  indented</pre>
</body>)");
  CHECK(document.text ==
        "# Guide\n\n"
        "Intro text.\n\n"
        "## Install it\n\n"
        "- Fruits\n"
        "  - Apple\n"
        "  - Pear\n"
        "- Vegetables\n\n"
        "1. first\n"
        "2. second\n\n"
        "###### Deep\n\n"
        "Line one\nLine two\n\n"
        "Name Value\na 1\n\n"
        "keep   this\n  indented");
  CHECK(document.metadata.count(kTitle) == 0);
}

TEST_CASE("HTML: invalid UTF-8 is repaired with a warning", "[readers][html]") {
  const Document document = ParseHtml("<p>caf\xE9 ok</p>");
  CHECK(document.text == "caf\xEF\xBF\xBD ok");
  CHECK(document.warnings ==
        std::vector<std::string>{"repaired 1 invalid UTF-8 sequence"});
}

TEST_CASE("HTML: a page without visible text is an error", "[readers][html]") {
  const absl::StatusOr<Document> document = ParseDocument(
      "<html><head><title>T</title></head><body><script>x"
      "</script></body></html>",
      Format::kHtml, "e.html", "e.html");
  CHECK(document.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(document.status().message() == "e.html: no text");
}

TEST_CASE("HTML: deeply nested elements do not exhaust the stack",
          "[readers][html]") {
  // 1.2 MB of nested tags: the tree walk and gumbo's teardown recurse once
  // per level.
  std::string html;
  for (int i = 0; i < 200000; ++i) html += "<span>";
  html += "deep";
  CHECK(ParseHtml(html).text == "deep");
}

TEST_CASE("HTML: read from a file", "[readers][html]") {
  vecdb::testing::TempDir dir;
  const std::string path = dir.path() + "/a.htm";
  testing::WriteFile(path, "<title>T</title><h2>Part</h2><p>Body</p>");
  const std::vector<ReadRecord> records =
      testing::ReadFile(path, Format::kHtml, "a.htm");
  REQUIRE(records.size() == 1);
  REQUIRE(records[0].document.has_value());
  CHECK(records[0].document->text == "## Part\n\nBody");
  CHECK(records[0].document->metadata.at(kTitle) == MetadataValue("T"));
}

// Peak resident memory of this process, in bytes.
size_t PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<size_t>(usage.ru_maxrss) * 1024;
}

TEST_CASE("HTML: unclosed nested tags take memory linear in the input",
          "[readers][html]") {
  // 120 KB of unclosed tags: gumbo's parse errors, each with a copy of the
  // open element stack, once took gigabytes here.
  std::string html;
  for (int i = 0; i < 20000; ++i) html += "<span>";
  html += "deep";
  const size_t before = PeakRssBytes();
  const Document document = ParseHtml(html);
  CHECK(document.text == "deep");
  CHECK(PeakRssBytes() - before < (size_t{256} << 20));
}

}  // namespace
}  // namespace vecdb::ingest
