#include "ingest/chunkers/token_layout.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "text/token_count.h"

namespace vecdb::ingest {
namespace {

std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

TEST_CASE("IsTokenSpace agrees with CountTokens on every code point",
          "[chunkers][layout]") {
  size_t spaces = 0;
  for (char32_t c = 1; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates: not UTF-8
    const bool space = text::CountTokens(Utf8(c)) == 0;
    if (space != IsTokenSpace(c)) FAIL("code point " << static_cast<int>(c));
    spaces += space ? 1 : 0;
  }
  // 17 Zs, U+2028, U+2029, \t \n \v \f \r and NEL.
  CHECK(spaces == 25);
}

TEST_CASE("LayOutTokens: extents and breaks", "[chunkers][layout]") {
  const std::string text = "Hi, there. Long\nwords abcdefgh\n\n日本。語";
  const TokenLayout layout = LayOutTokens(text);
  REQUIRE(layout.size() == text::CountTokens(text));
  std::vector<std::string> tokens;
  for (size_t i = 0; i < layout.size(); ++i) {
    tokens.push_back(
        text.substr(layout.begin[i], layout.end[i] - layout.begin[i]));
  }
  CHECK(tokens == std::vector<std::string>{"Hi", ",", "ther", "e", ".", "Long",
                                           "word", "s", "abcd", "efgh", "日本",
                                           "。", "語"});
  using B = Boundary;
  CHECK(layout.before == std::vector<B>{B::kParagraph, B::kNone, B::kWord,
                                        B::kNone, B::kNone, B::kSentence,
                                        B::kLine, B::kNone, B::kWord, B::kNone,
                                        B::kParagraph, B::kNone, B::kSentence});
}

}  // namespace
}  // namespace vecdb::ingest
