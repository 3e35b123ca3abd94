#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ingest/chunkers/chunker.h"
#include "ingest/chunkers/markdown_sections.h"
#include "ingest/document.h"
#include "tests/ingest/chunkers/chunker_test_util.h"

namespace vecdb::ingest {
namespace {

using testing::Doc;
using testing::MustMake;
using testing::NumberedWords;
using testing::Texts;
using Strings = std::vector<std::string>;
using Paths = std::vector<Strings>;

Paths PathsOf(const std::vector<MarkdownSection>& sections) {
  Paths paths;
  for (const auto& section : sections) paths.push_back(section.path);
  return paths;
}

Paths PathsOf(const std::vector<Chunk>& chunks) {
  Paths paths;
  for (const auto& chunk : chunks) paths.push_back(chunk.section);
  return paths;
}

constexpr char kGuide[] =
    "Intro line.\n"
    "\n"
    "# Guide\n"
    "\n"
    "Guide text.\n"
    "\n"
    "## Install\n"
    "\n"
    "Install text.\n"
    "\n"
    "#### Debian\n"
    "\n"
    "Debian text.\n"
    "\n"
    "```sh\n"
    "# not a heading\n"
    "```\n"
    "\n"
    "## Use ##\n"
    "\n"
    "Use text.\n";

TEST_CASE("markdown: one chunk list per section with its heading path",
          "[chunkers][markdown]") {
  const auto chunks = MustMake("markdown")->Split(Doc(kGuide));
  CHECK(Texts(chunks) ==
        Strings{"Intro line.", "# Guide\n\nGuide text.",
                "## Install\n\nInstall text.",
                "#### Debian\n\nDebian text.\n\n```sh\n# not a heading\n```",
                "## Use ##\n\nUse text."});
  // A skipped level (### under ##) is simply absent; "## Use" ends both
  // Install and Debian.
  CHECK(PathsOf(chunks) == Paths{{},
                                 {"Guide"},
                                 {"Guide", "Install"},
                                 {"Guide", "Install", "Debian"},
                                 {"Guide", "Use"}});
  for (size_t i = 0; i < chunks.size(); ++i) CHECK(chunks[i].index == i);
  CHECK(chunks[1].char_start == 13);
  CHECK(chunks[1].char_end == 33);
}

TEST_CASE("markdown: the heading line starts its section's first chunk",
          "[chunkers][markdown]") {
  const auto chunker =
      MustMake("markdown", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  // "# Setup" (3 tokens) then 29 words: the heading is not a chunk alone.
  const std::string text = "# Setup\n\n" + NumberedWords(29);
  const auto chunks = chunker->Split(Doc(text));
  CHECK(Texts(chunks) ==
        Strings{"# Setup\n\n" + NumberedWords(13),
                "w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 "
                "w29"});
  CHECK(PathsOf(chunks) == Paths{{"Setup"}, {"Setup"}});
}

TEST_CASE("markdown: sections are chunked separately, without overlap",
          "[chunkers][markdown]") {
  const auto chunker =
      MustMake("markdown", {{"target_tokens", "16"}, {"overlap_tokens", "4"}});
  const auto chunks = chunker->Split(Doc("# A\none two\n# B\nthree four\n"));
  CHECK(Texts(chunks) == Strings{"# A\none two", "# B\nthree four"});
  CHECK(PathsOf(chunks) == Paths{{"A"}, {"B"}});
}

TEST_CASE("MarkdownSections: heading syntax", "[chunkers][markdown]") {
  const auto sections = MarkdownSections(
      "# One #\n"
      "#NoSpace\n"
      "####### seven\n"
      "    # indented code\n"
      "   ## Three spaces\n"
      "### C# ###\n"
      "#\n"
      "#\tTab\n");
  CHECK(PathsOf(sections) == Paths{{},
                                   {"One"},
                                   {"One", "Three spaces"},
                                   {"One", "Three spaces", "C#"},
                                   {""},
                                   {"Tab"}});
  // Sections cover the text in order without gaps.
  CHECK(sections.front().begin == 0);
  for (size_t i = 1; i < sections.size(); ++i) {
    CHECK(sections[i].begin == sections[i - 1].end);
  }
}

TEST_CASE("MarkdownSections: headings inside fences are ignored",
          "[chunkers][markdown]") {
  const std::string text =
      "# Top\n"
      "~~~\n"
      "# in tilde fence\n"
      "```\n"
      "# still in the tilde fence\n"
      "~~~\n"
      "## Mid\n"
      "````python\n"
      "```\n"
      "# a shorter fence does not close\n"
      "````\n"
      "### Low\n"
      "```\n"
      "# unclosed fence runs to the end\n";
  CHECK(PathsOf(MarkdownSections(text)) ==
        Paths{{}, {"Top"}, {"Top", "Mid"}, {"Top", "Mid", "Low"}});
}

TEST_CASE("MarkdownSections: a text without headings is one section",
          "[chunkers][markdown]") {
  const auto sections = MarkdownSections("plain\ntext\n");
  REQUIRE(sections.size() == 1);
  CHECK(sections[0].begin == 0);
  CHECK(sections[0].end == 11);
  CHECK(sections[0].path.empty());
  CHECK(MarkdownSections("").size() == 1);
}

TEST_CASE("markdown: the recursive chunker ignores headings",
          "[chunkers][markdown]") {
  const auto chunks = MustMake("recursive")->Split(Doc(kGuide));
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0].section.empty());
}

}  // namespace
}  // namespace vecdb::ingest
