// The header's guarantees, checked on many generated texts for every
// chunker and a range of sizes.

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/ingest_profile.h"
#include "ingest/chunkers/chunker.h"
#include "ingest/document.h"
#include "tests/ingest/chunkers/chunker_test_util.h"
#include "text/token_count.h"
#include "text/utf8.h"

namespace vecdb::ingest {
namespace {

using testing::Doc;
using testing::MustMake;

class TextGenerator {
 public:
  explicit TextGenerator(uint32_t seed) : rng_(seed) {}

  enum class Style { kMixed, kNoSpaces, kCjk, kWhitespace, kMarkdown };

  std::string Make(Style style) {
    std::string text;
    const int pieces = Uniform(0, 400);
    for (int i = 0; i < pieces; ++i) {
      switch (style) {
        case Style::kMixed:
          text += Word();
          text += Separator();
          break;
        case Style::kNoSpaces:
          text += Word();
          if (Uniform(0, 9) == 0) text += Pick(kPunctuation);
          break;
        case Style::kCjk:
          text += Pick(kCjk);
          if (Uniform(0, 5) == 0) text += "。";
          break;
        case Style::kWhitespace:
          text += Pick(kSpaces);
          break;
        case Style::kMarkdown:
          text += Uniform(0, 12) == 0 ? Pick(kMarkdown) : Word();
          text += Separator();
          break;
      }
    }
    return text;
  }

 private:
  static constexpr const char* kWords[] = {
      "the",     "a",      "vector", "database",
      "Ünïcödé", "Straße", "Ωμέγα",  "e\xCC\x81t\xC3\xA9",
      "🙂",    "12345",  "x",      "internationalization",
      "don't",   "C++20",  "—",      "Привет"};
  static constexpr const char* kPunctuation[] = {".", ",", "!", "?",  ";",
                                                 "(", ")", "-", "\"", "。"};
  static constexpr const char* kSpaces[] = {
      " ",        "\n",           "\n\n",         "\t",    "\r\n",
      "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\xA8", "  \n  "};
  static constexpr const char* kCjk[] = {"日本語", "の", "文章を分割する",
                                         "中文句子没有空格", "한국어"};
  static constexpr const char* kMarkdown[] = {
      "\n# Heading\n",
      "\n## Sub heading ##\n",
      "\n#### Deep\n",
      "\n```\n# fenced, not a heading\ncode();\n```\n",
      "\n~~~\n## also fenced\n~~~\n",
      "\n- item\n- item\n",
      "\n#\n"};

  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

  template <typename T, size_t N>
  std::string Pick(const T (&options)[N]) {
    return options[Uniform(0, static_cast<int>(N) - 1)];
  }

  std::string Word() {
    if (Uniform(0, 30) == 0) {  // A long word without spaces.
      std::string word;
      const int length = Uniform(20, 300);
      for (int i = 0; i < length; ++i) {
        word += Uniform(0, 5) == 0 ? "ß" : std::string(1, 'a' + Uniform(0, 25));
      }
      return word;
    }
    return Pick(kWords);
  }

  std::string Separator() {
    switch (Uniform(0, 9)) {
      case 0:
        return Pick(kPunctuation) + " ";
      case 1:
        return Pick(kSpaces);
      case 2:
        return ". ";
      default:
        return " ";
    }
  }

  std::mt19937 rng_;
};

bool IsSpace(std::string_view code_point) {
  return text::CountTokens(code_point) == 0;
}

// Byte offset of every code point of valid UTF-8 `text`, and text.size()
// at the end: a lead byte is one that is not 10xxxxxx.
std::vector<size_t> CodePointOffsets(std::string_view text) {
  std::vector<size_t> offsets;
  for (size_t byte = 0; byte < text.size(); ++byte) {
    if ((text[byte] & 0xC0) != 0x80) offsets.push_back(byte);
  }
  offsets.push_back(text.size());
  return offsets;
}

// Checks every guarantee of ingest/chunkers/chunker.h for one split.
void CheckGuarantees(const Document& document, const std::vector<Chunk>& chunks,
                     size_t target, const std::string& name) {
  const std::string_view text = document.text;
  const std::vector<size_t> offsets = CodePointOffsets(text);
  const size_t code_points = offsets.size() - 1;
  REQUIRE(code_points == text::CodePointCount(text));
  const auto code_point = [&](size_t c) {
    return text.substr(offsets[c], offsets[c + 1] - offsets[c]);
  };
  std::vector<bool> covered(code_points, false);
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& chunk = chunks[i];
    INFO("chunk " << i << ": '" << chunk.text << "'");
    REQUIRE(chunk.index == i);
    REQUIRE(!chunk.text.empty());
    REQUIRE(chunk.char_start < chunk.char_end);
    REQUIRE(chunk.char_end <= code_points);
    const size_t begin = offsets[chunk.char_start];
    REQUIRE(chunk.text == text.substr(begin, offsets[chunk.char_end] - begin));
    REQUIRE_FALSE(IsSpace(code_point(chunk.char_start)));
    REQUIRE_FALSE(IsSpace(code_point(chunk.char_end - 1)));
    REQUIRE(text::CountTokens(chunk.text) <= target);
    if (i > 0) {
      REQUIRE(chunk.char_start > chunks[i - 1].char_start);
      REQUIRE(chunk.char_end > chunks[i - 1].char_end);
    }
    const bool markdown =
        name == "markdown" ||
        (name == "auto" && (document.format == Format::kMarkdown ||
                            document.format == Format::kHtml));
    if (!markdown) REQUIRE(chunk.section.empty());
    for (size_t c = chunk.char_start; c < chunk.char_end; ++c)
      covered[c] = true;
  }
  for (size_t c = 0; c < code_points; ++c) {
    if (!covered[c]) {
      INFO("code point " << c);
      REQUIRE(IsSpace(code_point(c)));
    }
  }
}

TEST_CASE("chunkers keep their guarantees on generated texts",
          "[chunkers][property]") {
  using Style = TextGenerator::Style;
  const struct {
    size_t target;
    size_t overlap;
  } sizes[] = {{16, 0}, {16, 7}, {20, 3}, {37, 18}, {64, 8}, {256, 32}};
  const char* const names[] = {"recursive", "fixed", "markdown", "auto"};
  const Format formats[] = {Format::kText, Format::kMarkdown, Format::kHtml};
  const Style styles[] = {Style::kMixed, Style::kNoSpaces, Style::kCjk,
                          Style::kWhitespace, Style::kMarkdown};
  TextGenerator generator(20240601);
  size_t splits = 0;
  size_t chunk_count = 0;
  for (int round = 0; round < 60; ++round) {
    for (Style style : styles) {
      Document document = Doc(generator.Make(style), formats[round % 3]);
      for (const auto& size : sizes) {
        for (const char* name : names) {
          INFO(name << " target " << size.target << " overlap " << size.overlap
                    << " text '" << document.text << "'");
          const auto chunker = MustMake(
              name, {{"target_tokens", std::to_string(size.target)},
                     {"overlap_tokens", std::to_string(size.overlap)}});
          const auto chunks = chunker->Split(document);
          CheckGuarantees(document, chunks, size.target, name);
          if (std::string(name) == "fixed") {
            for (size_t i = 0; i + 1 < chunks.size(); ++i) {
              REQUIRE(text::CountTokens(chunks[i].text) == size.target);
            }
          }
          if (style == Style::kWhitespace) REQUIRE(chunks.empty());
          // Deterministic: again, and with a fresh chunker.
          const auto again =
              MustMake(name, chunker->spec().parameters)->Split(document);
          REQUIRE(testing::Texts(again) == testing::Texts(chunks));
          REQUIRE(testing::Offsets(again) == testing::Offsets(chunks));
          ++splits;
          chunk_count += chunks.size();
        }
      }
    }
  }
  CHECK(splits == 60 * 5 * 6 * 4);
  CHECK(chunk_count > splits);  // Most texts need several chunks.
}

}  // namespace
}  // namespace vecdb::ingest
