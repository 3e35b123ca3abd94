#include "text/token_count.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <cstddef>
#include <string>
#include <vector>

namespace vecdb::text {
namespace {

using Offsets = std::vector<size_t>;

TEST_CASE("CountTokens follows the header's examples", "[text][tokens]") {
  CHECK(CountTokens("The cat sat.") == 4);
  CHECK(CountTokens("internationalization") == 5);
}

TEST_CASE("CountTokens: word runs count one per started 4 code points",
          "[text][tokens]") {
  CHECK(CountTokens("") == 0);
  CHECK(CountTokens("a") == 1);
  CHECK(CountTokens("abcd") == 1);
  CHECK(CountTokens("abcde") == 2);
  CHECK(CountTokens("abcdefgh") == 2);
  CHECK(CountTokens("abcdefghi") == 3);
  CHECK(CountTokens("2024") == 1);
  CHECK(CountTokens("a1b2c") == 2);
  // Letters with combining marks stay in one run: e + U+0301 x 3 = 6 cps.
  CHECK(CountTokens("e\xCC\x81"
                    "e\xCC\x81"
                    "e\xCC\x81") == 2);
  // Multi-byte letters count by code point, not byte.
  CHECK(CountTokens("ÉÉÉÉ") == 1);
  CHECK(CountTokens("日本語のテキスト") == 2);
}

TEST_CASE("CountTokens: whitespace separates and counts nothing",
          "[text][tokens]") {
  CHECK(CountTokens(" \t\r\n\v\f") == 0);
  CHECK(CountTokens("\xC2\xA0\xE3\x80\x80") == 0);  // NBSP, ideographic space
  CHECK(CountTokens("\xE2\x80\xA8") == 0);          // line separator
  CHECK(CountTokens("ab cd") == 2);
  CHECK(CountTokens("ab\xC2\xA0"
                    "cd") == 2);
}

TEST_CASE("CountTokens: every other character is a token", "[text][tokens]") {
  CHECK(CountTokens("...") == 3);
  CHECK(CountTokens("a,b") == 3);
  CHECK(CountTokens("don't") == 3);
  CHECK(CountTokens("x+y=z") == 5);
  CHECK(CountTokens("—") == 1);
  CHECK(CountTokens("🙂🙂") == 2);
  // A symbol ends a run: the next letters start a fresh run.
  CHECK(CountTokens("abc-defgh") == 4);
}

TEST_CASE("CountTokens: ASCII letters and digits join, controls count",
          "[text][tokens]") {
  for (int c = 1; c < 0x80; ++c) {
    const std::string run(5, static_cast<char>(c));
    INFO("character " << c);
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      CHECK(CountTokens(run) == 0);
    } else if (std::isalnum(c)) {
      CHECK(CountTokens(run) == 2);  // one run of 5
    } else {
      CHECK(CountTokens(run) == 5);  // '_', '$', DEL, \x01 ...
    }
  }
}

TEST_CASE("CountTokens: invalid bytes count one token each", "[text][tokens]") {
  CHECK(CountTokens("\xFF") == 1);
  CHECK(CountTokens("ab\xFF\xFE"
                    "cd") == 4);
  CHECK(CountTokens("\xE6\x97") == 2);  // truncated sequence
}

TEST_CASE("TokenStarts gives the byte offset of every token",
          "[text][tokens]") {
  CHECK(TokenStarts("").empty());
  CHECK(TokenStarts("The cat sat.") == Offsets{0, 4, 8, 11});
  CHECK(TokenStarts("internationalization") == Offsets{0, 4, 8, 12, 16});
  CHECK(TokenStarts("  a, b") == Offsets{2, 3, 5});
  // Two-byte letters: run offsets 0 and 4 code points = bytes 0 and 8.
  CHECK(TokenStarts("ÉÉÉÉÉ") == Offsets{0, 8});
  // Three-byte CJK: the second token starts at code point 4 = byte 12.
  CHECK(TokenStarts("日本語のテキスト") == Offsets{0, 12});
  CHECK(TokenStarts("ab\xFF"
                    "cd") == Offsets{0, 2, 3});
}

TEST_CASE("TokenStarts has CountTokens entries on mixed text",
          "[text][tokens]") {
  const std::string text =
      "Ünïcödé text — with 🙂 emoji, numbers 12345678 and\tstuff!\n"
      "中文句子没有空格。Über-long-hyphenated-words";
  CHECK(TokenStarts(text).size() == CountTokens(text));
  CHECK(CountTokens(text) == 30);
}

}  // namespace
}  // namespace vecdb::text
