// AssembleContext under a budget: exact sizes, skipping, cutting.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "retrieval/context.h"
#include "tests/retrieval/retrieval_test_util.h"

namespace vecdb::retrieval {
namespace {

using testing::ChunkOf;
using testing::WholeChunk;

constexpr char kFox[] = "The quick brown fox jumps over the lazy dog";

// "[1] a\none two three" is 19 code points and 8 tokens ("three" is two);
// "\n\n[2] b\nfour five" adds 17 code points and 6 tokens.
std::vector<RetrievedChunk> TwoDocs() {
  return {WholeChunk("a", "one two three", 1), WholeChunk("b", "four five", 2)};
}

TEST_CASE("The character budget counts the whole rendered context",
          "[context][budget]") {
  AssembledContext both = AssembleContext(TwoDocs(), {.max_chars = 36});
  CHECK(both.context == "[1] a\none two three\n\n[2] b\nfour five");
  CHECK(both.chars == 36);
  CHECK(both.tokens == 14);
  CHECK_FALSE(both.truncated);

  AssembledContext one = AssembleContext(TwoDocs(), {.max_chars = 35});
  CHECK(one.context == "[1] a\none two three");
  CHECK(one.chars == 19);
  CHECK(one.tokens == 8);
  CHECK(one.truncated);
}

TEST_CASE("The token budget counts the whole rendered context",
          "[context][budget]") {
  AssembledContext both = AssembleContext(TwoDocs(), {.max_tokens = 14});
  CHECK(both.passages.size() == 2);
  CHECK(both.tokens == 14);
  CHECK_FALSE(both.truncated);

  AssembledContext one = AssembleContext(TwoDocs(), {.max_tokens = 13});
  REQUIRE(one.passages.size() == 1);
  CHECK(one.passages[0].doc_id == "a");
  CHECK(one.tokens == 8);
  CHECK(one.truncated);

  // Both limits apply: the tighter one decides.
  AssembledContext tight =
      AssembleContext(TwoDocs(), {.max_chars = 100, .max_tokens = 13});
  CHECK(tight.passages.size() == 1);
  AssembledContext loose =
      AssembleContext(TwoDocs(), {.max_chars = 35, .max_tokens = 100});
  CHECK(loose.passages.size() == 1);
}

TEST_CASE("A chunk that does not fit is skipped and smaller ones still tried",
          "[context][budget]") {
  std::vector<RetrievedChunk> ranked = TwoDocs();
  ranked[1] = WholeChunk("big", "a much longer chunk that cannot fit", 2);
  ranked.push_back(WholeChunk("c", "six", 3));
  // 19 + "\n\n[2] c\nsix" 11 = 30.
  AssembledContext context = AssembleContext(ranked, {.max_chars = 30});
  CHECK(context.context == "[1] a\none two three\n\n[2] c\nsix");
  CHECK(context.chars == 30);
  REQUIRE(context.passages.size() == 2);
  CHECK(context.passages[1].best_rank == 3);
  CHECK(context.truncated);
}

TEST_CASE("The budget holds as citation numbers grow a digit",
          "[context][budget]") {
  std::vector<RetrievedChunk> ranked;
  for (uint32_t i = 1; i <= 10; ++i) {
    RetrievedChunk chunk = WholeChunk("d" + std::to_string(i), "t", i);
    chunk.source = "s";
    ranked.push_back(chunk);
  }
  // "[i] s\nt" is 7 code points for i <= 9, 8 for "[10]"; 2 between each.
  AssembledContext nine = AssembleContext(ranked, {.max_chars = 88});
  CHECK(nine.passages.size() == 9);
  CHECK(nine.chars == 79);
  CHECK(nine.truncated);
  AssembledContext ten = AssembleContext(ranked, {.max_chars = 89});
  CHECK(ten.passages.size() == 10);
  CHECK(ten.chars == 89);
  CHECK_FALSE(ten.truncated);
}

TEST_CASE("A chunk joining two passages can make the context shorter",
          "[context][budget][merge]") {
  // "[1] fox\nThe quick\n\n[2] fox\nbrown fox" is 36 code points; with
  // [5,15) "uick brown" the two become "[1] fox\nThe quick brown fox", 27.
  std::vector<RetrievedChunk> ranked = {ChunkOf("fox", kFox, 0, 0, 9, 1),
                                        ChunkOf("fox", kFox, 2, 10, 19, 2),
                                        ChunkOf("fox", kFox, 1, 5, 15, 3)};
  AssembledContext context = AssembleContext(ranked, {.max_chars = 36});
  CHECK(context.context == "[1] fox\nThe quick brown fox");
  CHECK(context.chars == 27);
  CHECK_FALSE(context.truncated);
}

TEST_CASE("A single chunk bigger than the budget is cut at a word boundary",
          "[context][budget][cut]") {
  const std::string text = "alpha beta gamma delta";
  RetrievedChunk chunk = ChunkOf("s", "xxxxx" + text, 0, 5, 27, 1);

  SECTION("by characters") {
    // 20 - "[1] s\n" = 14 code points: "alpha beta gam" -> "alpha beta".
    AssembledContext context = AssembleContext({chunk}, {.max_chars = 20});
    CHECK(context.context == "[1] s\nalpha beta");
    CHECK(context.chars == 16);
    CHECK(context.truncated);
    REQUIRE(context.passages.size() == 1);
    CHECK(context.passages[0].char_start == 5);
    CHECK(context.passages[0].char_end == 15);
    CHECK(context.passages[0].chunk_ids == std::vector<std::string>{"s#0"});
  }
  SECTION("by tokens") {
    // 8 - 4 header tokens: "alpha beta gamm" is 4, "alpha beta gamma" 5.
    AssembledContext context = AssembleContext({chunk}, {.max_tokens = 8});
    CHECK(context.context == "[1] s\nalpha beta");
    CHECK(context.tokens == 7);
    CHECK(context.truncated);
  }
  SECTION("a cut at a space keeps the whole word before it") {
    // 17 - 6 = 11 code points: "alpha beta " -> "alpha beta".
    AssembledContext context = AssembleContext({chunk}, {.max_chars = 17});
    CHECK(context.context == "[1] s\nalpha beta");
  }
  SECTION("inside the first word, the word itself is cut") {
    AssembledContext context = AssembleContext({chunk}, {.max_chars = 9});
    CHECK(context.context == "[1] s\nalp");
    CHECK(context.passages[0].char_end == 8);
  }
  SECTION("not even the header fits: nothing") {
    AssembledContext context = AssembleContext({chunk}, {.max_chars = 6});
    CHECK(context.context.empty());
    CHECK(context.passages.empty());
    CHECK(context.chars == 0);
    CHECK(context.truncated);
  }
}

TEST_CASE("A cut without spaces falls on a code point boundary",
          "[context][budget][cut][utf8]") {
  // Eight 3-byte characters; 10 - 6 leaves four.
  RetrievedChunk chunk =
      WholeChunk("s", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", 1);
  AssembledContext context = AssembleContext({chunk}, {.max_chars = 10});
  CHECK(context.context == "[1] s\n\u65e5\u672c\u8a9e\u306e");
  CHECK(context.chars == 10);
  CHECK(context.passages[0].char_end == 4);
}

TEST_CASE("The best chunk is not cut when a smaller one fits whole",
          "[context][budget][cut]") {
  std::vector<RetrievedChunk> ranked = {
      WholeChunk("big", "far too long for this budget", 1),
      WholeChunk("small", "fits", 2)};
  AssembledContext context = AssembleContext(ranked, {.max_chars = 16});
  CHECK(context.context == "[1] small\nfits");
  CHECK(context.truncated);
}

}  // namespace
}  // namespace vecdb::retrieval
