#include "text/tokenizer.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace vecdb::text {
namespace {

using Tokens = std::vector<std::string>;

TEST_CASE("Tokenize splits ASCII on spaces and punctuation", "[text]") {
  CHECK(Tokenize("Hello, world!") == Tokens{"hello", "world"});
  CHECK(Tokenize("don't stop") == Tokens{"don", "t", "stop"});
  CHECK(Tokenize("covid-19 (2020)") == Tokens{"covid", "19", "2020"});
  CHECK(Tokenize("a_b\tc\nd.e") == Tokens{"a", "b", "c", "d", "e"});
  CHECK(Tokenize("  the the  ") == Tokens{"the", "the"});
  CHECK(Tokenize("x+y=z $5 #tag") == Tokens{"x", "y", "z", "5", "tag"});
}

TEST_CASE("Tokenize gives nothing for empty or separator-only text", "[text]") {
  CHECK(Tokenize("").empty());
  CHECK(Tokenize(" \t\r\n").empty());
  CHECK(Tokenize("...!?—").empty());
  CHECK(Tokenize(std::string("\0\0", 2)).empty());
}

TEST_CASE("Tokenize case-folds, including non-ASCII letters", "[text]") {
  CHECK(Tokenize("MiXeD CASE") == Tokens{"mixed", "case"});
  CHECK(Tokenize("ÉCOLE") == Tokens{"école"});
  CHECK(Tokenize("Straße") == Tokens{"strasse"});
  CHECK(Tokenize("STRASSE") == Tokens{"strasse"});
  CHECK(Tokenize("ΣΟΦΙΑ") == Tokens{"σοφια"});
}

TEST_CASE("Tokenize normalises to NFKC", "[text]") {
  // Decomposed e + combining acute composes to the precomposed letter.
  CHECK(Tokenize("E\xCC\x81t\xC3\xA9") == Tokens{"\xC3\xA9t\xC3\xA9"});
  // Full-width letters and digits match ASCII.
  CHECK(Tokenize("ＡＢＣ　１２３") == Tokens{"abc", "123"});
  // The ligature "ﬁ" expands to "fi".
  CHECK(Tokenize("ﬁle") == Tokens{"file"});
}

TEST_CASE("Tokenize keeps CJK, Cyrillic and other letters", "[text]") {
  CHECK(Tokenize("Привет, мир") == Tokens{"привет", "мир"});
  CHECK(Tokenize("東京 タワー") == Tokens{"東京", "タワー"});
  CHECK(Tokenize("東京。大阪") == Tokens{"東京", "大阪"});
  CHECK(Tokenize("שלום עולם") == Tokens{"שלום", "עולם"});
}

TEST_CASE("Tokenize keeps digits and other numbers in tokens", "[text]") {
  CHECK(Tokenize("abc123 ٣٤") == Tokens{"abc123", "٣٤"});
  // Superscript two is a number (No); NFKC turns it into "2".
  CHECK(Tokenize("m²") == Tokens{"m2"});
  CHECK(Tokenize("3.14") == Tokens{"3", "14"});
}

TEST_CASE("Tokenize keeps combining marks inside tokens", "[text]") {
  // Devanagari vowel signs are spacing/non-spacing marks.
  CHECK(Tokenize("हिन्दी भाषा") == Tokens{"हिन्दी", "भाषा"});
  // A mark with no precomposed form stays attached to its letter.
  CHECK(Tokenize("q\xCC\x83x y") == Tokens{"q\xCC\x83x", "y"});
}

TEST_CASE("Tokenize treats invalid UTF-8 bytes as separators", "[text]") {
  CHECK(Tokenize("ab\xFF"
                 "cd") == Tokens{"ab", "cd"});
  CHECK(Tokenize("\xC3") == Tokens{});
  // A truncated two-byte sequence, then valid text.
  CHECK(Tokenize("x\xC3 y\xC3\xA9") == Tokens{"x", "y\xC3\xA9"});
  // An encoded surrogate is not valid UTF-8.
  CHECK(Tokenize("a\xED\xA0\x80"
                 "b") == Tokens{"a", "b"});
  // Case folding still applies around invalid bytes.
  CHECK(Tokenize("\x80\x80\x80HELLO\xFE") == Tokens{"hello"});
}

TEST_CASE("Tokenize cuts long tokens at a character boundary", "[text]") {
  const std::string ascii(300, 'a');
  Tokens tokens = Tokenize(ascii + " b");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0] == std::string(kMaxTokenBytes, 'a'));
  CHECK(tokens[1] == "b");

  // "é" is two bytes: 1 + 2*n bytes never lands exactly on 128, so the cut
  // falls at 127 bytes rather than splitting a character.
  std::string accented = "a";
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";
  tokens = Tokenize(accented);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].size() == 127);
  CHECK(tokens[0] == "a" + accented.substr(1, 126));

  // Exactly kMaxTokenBytes is kept whole.
  CHECK(Tokenize(std::string(kMaxTokenBytes, 'z')) ==
        Tokens{std::string(kMaxTokenBytes, 'z')});
}

}  // namespace
}  // namespace vecdb::text
