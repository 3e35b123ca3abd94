#include "ingest/chunkers/chunker.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/ingest_profile.h"
#include "ingest/document.h"
#include "tests/ingest/chunkers/chunker_test_util.h"

namespace vecdb::ingest {
namespace {

using testing::Doc;
using testing::MustMake;
using testing::NumberedWords;
using testing::Offsets;
using testing::Texts;
using Strings = std::vector<std::string>;
using Spans = std::vector<std::pair<size_t, size_t>>;

TEST_CASE("recursive: a text that fits is one trimmed chunk",
          "[chunkers][recursive]") {
  const auto chunker = MustMake("recursive");
  const auto chunks = chunker->Split(Doc("  Hello, world!  \n"));
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0].index == 0);
  CHECK(chunks[0].text == "Hello, world!");
  CHECK(chunks[0].char_start == 2);
  CHECK(chunks[0].char_end == 15);
  CHECK(chunks[0].section.empty());
}

TEST_CASE("recursive: no chunks without a non-space character",
          "[chunkers][recursive]") {
  const auto chunker = MustMake("recursive");
  CHECK(chunker->Split(Doc("")).empty());
  CHECK(chunker->Split(Doc(" \n\t\n\xC2\xA0\xE3\x80\x80")).empty());
}

// 8 + 7 + 7 tokens in three paragraphs.
constexpr char kParagraphs[] =
    "Alpha beta gamma delta.\n\nEpsilon zeta eta theta.\n\nIota kappa lambda "
    "mu.";

TEST_CASE("recursive: cuts at the latest paragraph that fits",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  const auto chunks = chunker->Split(Doc(kParagraphs));
  CHECK(Texts(chunks) ==
        Strings{"Alpha beta gamma delta.\n\nEpsilon zeta eta theta.",
                "Iota kappa lambda mu."});
  CHECK(Offsets(chunks) == Spans{{0, 48}, {50, 71}});
  CHECK(chunks[1].index == 1);
}

TEST_CASE("recursive: overlap starts about overlap tokens back, at a word",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "4"}});
  const auto chunks = chunker->Split(Doc(kParagraphs));
  // 4 tokens back from "Iota" is "eta" (theta and "." are 3 tokens).
  CHECK(Texts(chunks) ==
        Strings{"Alpha beta gamma delta.\n\nEpsilon zeta eta theta.",
                "eta theta.\n\nIota kappa lambda mu."});
  CHECK(Offsets(chunks) == Spans{{0, 48}, {38, 71}});
}

TEST_CASE("recursive: overlap moves to a nearby word boundary",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "2"}});
  const auto chunks = chunker->Split(Doc(kParagraphs));
  // 2 tokens back from "Iota" is the "a" of "thet|a": the nearest word
  // start is "theta".
  CHECK(Texts(chunks) ==
        Strings{"Alpha beta gamma delta.\n\nEpsilon zeta eta theta.",
                "theta.\n\nIota kappa lambda mu."});
}

TEST_CASE("recursive: sentences when there is no paragraph or line",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  const auto chunks = chunker->Split(
      Doc("One two three. Four five six seven. Eight nine ten eleven twelve."));
  CHECK(Texts(chunks) == Strings{"One two three. Four five six seven.",
                                 "Eight nine ten eleven twelve."});
  CHECK(Offsets(chunks) == Spans{{0, 35}, {36, 65}});
}

TEST_CASE("recursive: lines before sentences", "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  // 6 + 12 tokens; the sentence end 12 tokens in is weaker than the line
  // break after 6.
  const auto chunks = chunker->Split(
      Doc("red green blue orange\nwhite black gray. cyan magenta pink purple"));
  CHECK(Texts(chunks) == Strings{"red green blue orange",
                                 "white black gray. cyan magenta pink purple"});
}

TEST_CASE("recursive: words, then code points in a long word",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  CHECK(Texts(chunker->Split(Doc(NumberedWords(20)))) ==
        Strings{NumberedWords(16), "w17 w18 w19 w20"});

  // 66 letters = 17 tokens: 16 tokens are 64 code points.
  const std::string abc = "abcdefghijklmnopqrstuvwxyz";
  const std::string word = abc + abc + abc.substr(0, 14);
  const auto chunks = chunker->Split(Doc(word));
  CHECK(Texts(chunks) == Strings{word.substr(0, 64), "mn"});
  CHECK(Offsets(chunks) == Spans{{0, 64}, {64, 66}});
}

TEST_CASE("recursive: a short lead-in stays with the text after it",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  // A 3-token first paragraph is under a quarter of the target: the cut
  // goes at the latest word boundary instead.
  const std::string text = "Title:\n\n" + NumberedWords(20);
  CHECK(
      Texts(chunker->Split(Doc(text))) ==
      Strings{"Title:\n\n" + NumberedWords(13), "w14 w15 w16 w17 w18 w19 w20"});
}

TEST_CASE("recursive: offsets count code points, not bytes",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  // An ideographic space, then five 4-token lines of 2-byte letters.
  const std::string s = "Ünï çöd é.";  // 10 code points, 3 + 1 tokens
  std::string text = "\xE3\x80\x80";
  for (int i = 0; i < 5; ++i) text += s + "\n";
  const auto chunks = chunker->Split(Doc(text));
  // The latest line boundary within 16 tokens is after line 4.
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[0].text == s + "\n" + s + "\n" + s + "\n" + s);
  CHECK(Offsets(chunks) == Spans{{1, 44}, {45, 55}});
  CHECK(chunks[1].text == s);
}

TEST_CASE("recursive: CJK sentences split after 。 without spaces",
          "[chunkers][recursive]") {
  const auto chunker =
      MustMake("recursive", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  // Each sentence: 12 ideographs (3 tokens) + 。 = 4 tokens, 13 code points.
  const std::string sentence = "日本語の文章を分割する例。";
  const std::string text = sentence + sentence + sentence + sentence + sentence;
  const auto chunks = chunker->Split(Doc(text));
  CHECK(Texts(chunks) ==
        Strings{sentence + sentence + sentence + sentence, sentence});
  CHECK(Offsets(chunks) == Spans{{0, 52}, {52, 65}});
}

TEST_CASE("fixed: windows of target tokens, step target - overlap",
          "[chunkers][fixed]") {
  const auto chunker =
      MustMake("fixed", {{"target_tokens", "16"}, {"overlap_tokens", "4"}});
  const auto chunks = chunker->Split(Doc(NumberedWords(40)));
  // Windows of tokens [0,16), [12,28), [24,40).
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].text == NumberedWords(16));
  CHECK(chunks[1].text ==
        "w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28");
  CHECK(chunks[2].text ==
        "w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39 w40");
  // "w1 ".."w9 " is 27 characters, "w10 ".."w12 " 12 more.
  CHECK(Offsets(chunks) == Spans{{0, 54}, {39, 102}, {87, 150}});
}

TEST_CASE("fixed: cuts inside words and ignores paragraphs",
          "[chunkers][fixed]") {
  const auto chunker =
      MustMake("fixed", {{"target_tokens", "16"}, {"overlap_tokens", "0"}});
  // "Alpha" is 2 tokens; 8 x "Alpha" = 16 tokens, the 9th is the rest.
  std::string text;
  for (int i = 0; i < 9; ++i) text += "Alpha\n\n";
  const auto chunks = chunker->Split(Doc(text));
  REQUIRE(chunks.size() == 2);
  CHECK(chunks[1].text == "Alpha");
  // Fewer tokens than the target: one chunk.
  CHECK(Texts(chunker->Split(Doc("a b c"))) == Strings{"a b c"});
  // A window boundary inside a word: 20 tokens, 80 letters.
  const std::string word(80, 'x');
  CHECK(Texts(chunker->Split(Doc(word))) ==
        Strings{std::string(64, 'x'), std::string(16, 'x')});
}

TEST_CASE("auto: markdown for markdown and HTML, recursive otherwise",
          "[chunkers][auto]") {
  const auto chunker = MustMake("auto");
  const std::string text = "# Title\n\nBody text.";
  for (Format format : {Format::kMarkdown, Format::kHtml}) {
    const auto chunks = chunker->Split(Doc(text, format));
    REQUIRE(chunks.size() == 1);
    CHECK(chunks[0].section == Strings{"Title"});
  }
  for (Format format :
       {Format::kText, Format::kPdf, Format::kJsonl, Format::kSmart}) {
    const auto chunks = chunker->Split(Doc(text, format));
    REQUIRE(chunks.size() == 1);
    CHECK(chunks[0].text == text);
    CHECK(chunks[0].section.empty());
  }
}

TEST_CASE("spec() fills in the defaults", "[chunkers][spec]") {
  CHECK(MustMake("auto")->spec() ==
        ChunkerSpec{"auto",
                    {{"overlap_tokens", "64"}, {"target_tokens", "512"}}});
  CHECK(MustMake("")->spec().name == "auto");
  // The default overlap is an eighth of a small target, at most 64.
  CHECK(
      MustMake("fixed", {{"target_tokens", "64"}})->spec() ==
      ChunkerSpec{"fixed", {{"overlap_tokens", "8"}, {"target_tokens", "64"}}});
  CHECK(MustMake("recursive", {{"target_tokens", "16"}})->spec() ==
        ChunkerSpec{"recursive",
                    {{"overlap_tokens", "2"}, {"target_tokens", "16"}}});
  CHECK(
      MustMake("markdown", {{"target_tokens", "0512"}, {"overlap_tokens", "0"}})
          ->spec() ==
      ChunkerSpec{"markdown",
                  {{"overlap_tokens", "0"}, {"target_tokens", "512"}}});
}

// The message of MakeChunker's error for the spec.
std::string ErrorFor(const std::string& name, SpecParameters parameters) {
  auto chunker = MakeChunker(ChunkerSpec{name, std::move(parameters)});
  REQUIRE_FALSE(chunker.ok());
  CHECK(chunker.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(chunker.status().message());
}

TEST_CASE("bad specs are InvalidArgument naming the parameter",
          "[chunkers][spec]") {
  using Catch::Matchers::StartsWith;
  CHECK_THAT(ErrorFor("semantic", {}), StartsWith("chunker: "));
  CHECK_THAT(ErrorFor("auto", {{"target_tokens", "15"}}),
             StartsWith("target_tokens: "));
  CHECK_THAT(ErrorFor("auto", {{"target_tokens", "8193"}}),
             StartsWith("target_tokens: "));
  CHECK_THAT(ErrorFor("auto", {{"target_tokens", "many"}}),
             StartsWith("target_tokens: "));
  CHECK_THAT(ErrorFor("auto", {{"target_tokens", ""}}),
             StartsWith("target_tokens: "));
  CHECK_THAT(ErrorFor("fixed", {{"overlap_tokens", "256"}}),
             StartsWith("overlap_tokens: "));
  CHECK_THAT(
      ErrorFor("fixed", {{"target_tokens", "16"}, {"overlap_tokens", "8"}}),
      StartsWith("overlap_tokens: "));
  CHECK_THAT(ErrorFor("fixed", {{"overlap_tokens", "-1"}}),
             StartsWith("overlap_tokens: "));
  CHECK_THAT(ErrorFor("recursive", {{"chunk_size", "100"}}),
             StartsWith("chunk_size: "));
  // The largest valid values are accepted.
  CHECK(MakeChunker(ChunkerSpec{"fixed",
                                {{"target_tokens", "8192"},
                                 {"overlap_tokens", "4095"}}})
            .ok());
  CHECK(MakeChunker(
            ChunkerSpec{"fixed",
                        {{"target_tokens", "17"}, {"overlap_tokens", "8"}}})
            .ok());
}

}  // namespace
}  // namespace vecdb::ingest
