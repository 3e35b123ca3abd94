// AssembleContext without a budget: deduplication, merging, order, headers.
#include "retrieval/context.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/retrieval/retrieval_test_util.h"

namespace vecdb::retrieval {
namespace {

using testing::ChunkOf;
using testing::WholeChunk;

constexpr char kFox[] = "The quick brown fox jumps over the lazy dog";

std::vector<std::string> Texts(const AssembledContext& context) {
  std::vector<std::string> texts;
  for (const Passage& passage : context.passages) texts.push_back(passage.text);
  return texts;
}

TEST_CASE("AssembleContext of nothing is empty", "[context]") {
  AssembledContext context = AssembleContext({}, {.max_chars = 100});
  CHECK(context.passages.empty());
  CHECK(context.context.empty());
  CHECK(context.chars == 0);
  CHECK(context.tokens == 0);
  CHECK_FALSE(context.truncated);
}

TEST_CASE("AssembleContext drops a chunk whose hash or text is already in",
          "[context][dedupe]") {
  RetrievedChunk a = WholeChunk("a", "first copy", 1);
  a.chunk_hash = "h1";
  RetrievedChunk b = WholeChunk("b", "second copy, same hash", 2);
  b.chunk_hash = "h1";
  RetrievedChunk c = WholeChunk("c", "same text", 3);
  c.chunk_hash.clear();
  RetrievedChunk d = WholeChunk("d", "same text", 4);
  d.chunk_hash.clear();
  RetrievedChunk e = WholeChunk("e", "other text", 5);

  AssembledContext context = AssembleContext({a, b, c, d, e}, {});
  REQUIRE(context.passages.size() == 3);
  CHECK(context.passages[0].doc_id == "a");
  CHECK(context.passages[1].doc_id == "c");
  CHECK(context.passages[2].doc_id == "e");
  CHECK(context.context ==
        "[1] a\nfirst copy\n\n[2] c\nsame text\n\n[3] e\nother text");
  // Dropped duplicates are not "left out for the budget".
  CHECK_FALSE(context.truncated);
}

TEST_CASE("AssembleContext keeps the better-ranked copy whatever the order",
          "[context][dedupe]") {
  RetrievedChunk worse = WholeChunk("worse", "x", 7);
  worse.chunk_hash = "h";
  RetrievedChunk better = WholeChunk("better", "x", 2);
  better.chunk_hash = "h";
  AssembledContext context = AssembleContext({worse, better}, {});
  REQUIRE(context.passages.size() == 1);
  CHECK(context.passages[0].doc_id == "better");
  CHECK(context.passages[0].best_rank == 2);
}

TEST_CASE("Overlapping and touching chunks of a document merge, text once",
          "[context][merge]") {
  // [0,15) "The quick brown", [10,25) "brown fox jumps", [25,34) " over the"
  // (touches), [4,9) "quick" (inside).
  std::vector<RetrievedChunk> ranked = {
      ChunkOf("fox", kFox, 2, 25, 34, 1), ChunkOf("fox", kFox, 0, 0, 15, 2),
      ChunkOf("fox", kFox, 1, 10, 25, 3), ChunkOf("fox", kFox, 7, 4, 9, 4)};
  AssembledContext context = AssembleContext(ranked, {});
  REQUIRE(context.passages.size() == 1);
  const Passage& passage = context.passages[0];
  CHECK(passage.text == "The quick brown fox jumps over the");
  CHECK(passage.char_start == 0);
  CHECK(passage.char_end == 34);
  CHECK(passage.chunk_ids ==
        std::vector<std::string>{"fox#0", "fox#7", "fox#1", "fox#2"});
  CHECK(passage.best_rank == 1);
  CHECK(passage.number == 1);
  CHECK(context.context == "[1] fox\nThe quick brown fox jumps over the");
}

TEST_CASE("Chunks of a document with a gap stay apart, in reading order",
          "[context][merge]") {
  // Consecutive chunk_index values, but [0,9) and [10,19) leave a space
  // between them: two passages, so each is the document's own text.
  std::vector<RetrievedChunk> ranked = {ChunkOf("fox", kFox, 3, 35, 43, 1),
                                        ChunkOf("fox", kFox, 1, 10, 19, 2),
                                        ChunkOf("fox", kFox, 0, 0, 9, 3)};
  AssembledContext context = AssembleContext(ranked, {});
  CHECK(Texts(context) ==
        std::vector<std::string>{"The quick", "brown fox", "lazy dog"});
  REQUIRE(context.passages.size() == 3);
  CHECK(context.passages[0].number == 1);
  CHECK(context.passages[0].best_rank == 3);
  CHECK(context.passages[2].number == 3);
  CHECK(context.passages[2].best_rank == 1);
  CHECK(context.context ==
        "[1] fox\nThe quick\n\n[2] fox\nbrown fox\n\n[3] fox\nlazy dog");
}

TEST_CASE("Documents come in the order of their best chunk's rank",
          "[context][order]") {
  const std::string b_text = "bravo one. bravo two.";
  std::vector<RetrievedChunk> ranked = {
      ChunkOf("b", b_text, 1, 11, 21, 1), ChunkOf("a", kFox, 4, 35, 43, 2),
      WholeChunk("c", "charlie", 3), ChunkOf("a", kFox, 0, 0, 9, 4),
      ChunkOf("b", b_text, 0, 0, 10, 5)};
  AssembledContext context = AssembleContext(ranked, {});
  REQUIRE(context.passages.size() == 5);
  std::vector<std::string> docs;
  std::vector<uint32_t> ranks;
  for (const Passage& passage : context.passages) {
    docs.push_back(passage.doc_id);
    ranks.push_back(passage.best_rank);
  }
  CHECK(docs == std::vector<std::string>{"b", "b", "a", "a", "c"});
  CHECK(ranks == std::vector<uint32_t>{5, 1, 4, 2, 3});
  CHECK(Texts(context) == std::vector<std::string>{"bravo one.", "bravo two.",
                                                   "The quick", "lazy dog",
                                                   "charlie"});
}

TEST_CASE("Headers show title or source and the section path",
          "[context][header]") {
  RetrievedChunk titled = WholeChunk("guide.md", "Run apt.", 1);
  titled.title = "The Guide";
  titled.section = {"Install", "", "Linux"};
  RetrievedChunk untitled = WholeChunk("faq.md", "Yes.", 2);
  untitled.section = {"FAQ"};
  RetrievedChunk section_only = WholeChunk("x", "Only a section.", 3);
  section_only.source.clear();
  section_only.section = {"Notes", "Misc"};
  RetrievedChunk bare = WholeChunk("y", "Nothing known.", 4);
  bare.source.clear();
  RetrievedChunk multiline = WholeChunk("z", "Odd title.", 5);
  multiline.title = "Line one\nline two";

  AssembledContext context =
      AssembleContext({titled, untitled, section_only, bare, multiline}, {});
  CHECK(context.context ==
        "[1] The Guide \u203a Install \u203a Linux\nRun apt.\n\n"
        "[2] faq.md \u203a FAQ\nYes.\n\n"
        "[3] Notes \u203a Misc\nOnly a section.\n\n"
        "[4]\nNothing known.\n\n"
        "[5] Line one line two\nOdd title.");
  REQUIRE(context.passages.size() == 5);
  CHECK(context.passages[0].title == "The Guide");
  CHECK(context.passages[0].source == "guide.md");
  CHECK(context.passages[0].section ==
        std::vector<std::string>{"Install", "", "Linux"});
}

TEST_CASE("A passage takes the section of its first chunk",
          "[context][header]") {
  RetrievedChunk first = ChunkOf("fox", kFox, 0, 0, 15, 2);
  first.section = {"Start"};
  RetrievedChunk second = ChunkOf("fox", kFox, 1, 10, 25, 1);
  second.section = {"Later"};
  AssembledContext context = AssembleContext({second, first}, {});
  REQUIRE(context.passages.size() == 1);
  CHECK(context.passages[0].section == std::vector<std::string>{"Start"});
  CHECK(context.context == "[1] fox \u203a Start\nThe quick brown fox jumps");
}

TEST_CASE("Offsets count code points in multi-byte text",
          "[context][merge][utf8]") {
  // 2-, 3- and 4-byte characters: "naïve café — 日本語 𝄞 résumé".
  const std::string doc =
      "na\u00efve caf\u00e9 \u2014 \u65e5\u672c\u8a9e \U0001D11E "
      "r\u00e9sum\u00e9";
  REQUIRE(testing::CodePoints(doc) == 25);
  // [3,14) "ve café — 日" and [12,20) " 日本語 𝄞 r" share [12,14) " 日".
  std::vector<RetrievedChunk> ranked = {ChunkOf("u", doc, 1, 12, 20, 1),
                                        ChunkOf("u", doc, 0, 3, 14, 2),
                                        ChunkOf("u", doc, 2, 22, 25, 3)};
  AssembledContext context = AssembleContext(ranked, {});
  CHECK(Texts(context) ==
        std::vector<std::string>{
            "ve caf\u00e9 \u2014 \u65e5\u672c\u8a9e \U0001D11E r", "um\u00e9"});
  REQUIRE(context.passages.size() == 2);
  CHECK(context.passages[0].char_start == 3);
  CHECK(context.passages[0].char_end == 20);
  // "[1] u\n" 6 + 17 + "\n\n" 2 + "[2] u\n" 6 + 3.
  CHECK(context.chars == 34);
  CHECK(context.chars == testing::CodePoints(context.context));
}

}  // namespace
}  // namespace vecdb::retrieval
