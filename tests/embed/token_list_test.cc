// TokenList gives exactly text::Tokenize's tokens, on ASCII, on mixed
// scripts and on random byte soup.
#include "embed/token_list.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace vecdb::embed {
namespace {

std::vector<std::string> Tokens(const std::string& text) {
  TokenList list;
  list.Assign("stale tokens from an earlier text");
  list.Assign(text);
  std::vector<std::string> tokens;
  for (size_t i = 0; i < list.size(); ++i) tokens.emplace_back(list[i]);
  return tokens;
}

TEST_CASE("TokenList matches Tokenize on chosen texts", "[embed]") {
  const std::vector<std::string> texts = {
      "",
      "Hello, World! don't stop covid-19 (2020) a_b x+y=z",
      "Straße STRASSE École ΣΟΦΙΑ Привет, мир 東京。大阪",
      "caf\xC3\xA9 cafe\xCC\x81 E\xCC\x81t\xC3\xA9",
      "ＡＢＣ　１２３ ﬁle m² 3.14",
      "a =\xCC\xB8 b <\xCC\xB8" "c",  // "=" + U+0338 composes to "≠".
      ". \xCC\x81x",               // A combining mark after a separator.
      "bad \xFF\xFEutf8\xC3 here\xE2\x82",
      std::string(300, 'A') + " tail",
      std::string(200, 'b') + "\xC3\xA9 x",
      "trailing separator.",
      "\xE2\x80\x94" "dash\xE2\x80\x94",
  };
  for (const std::string& text : texts) {
    INFO(text);
    CHECK(Tokens(text) == text::Tokenize(text));
  }
}

TEST_CASE("TokenList matches Tokenize on random text", "[embed]") {
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           "7",
                                           " ",
                                           ".",
                                           "-",
                                           "=",
                                           "<",
                                           "_",
                                           "\n",
                                           "\xC3\xA9",
                                           "\xCC\x81",
                                           "\xCC\xB8",
                                           "\xEF\xBC\xA1",
                                           "\xE3\x80\x82",
                                           "\xFF",
                                           "\xC3",
                                           "\xEF\xAC\x81",
                                           "\xC2\xB2",
                                           "\xCE\xA3"};
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t length = random() % 30;
    for (size_t i = 0; i < length; ++i) text += pieces[pick(random)];
    INFO(text);
    REQUIRE(Tokens(text) == text::Tokenize(text));
  }
}

}  // namespace
}  // namespace vecdb::embed
