// Randomised check of AssembleContext: chunks cut with overlaps from random
// documents, in shuffled rank order, under random budgets. Whatever is
// chosen, every passage must be its document's own text over its range.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "retrieval/context.h"
#include "retrieval/internal/passages.h"
#include "tests/retrieval/retrieval_test_util.h"
#include "text/token_count.h"

namespace vecdb::retrieval {
namespace {

using testing::ChunkOf;
using testing::CodePoints;
using testing::Slice;

// Words of 1-9 letters from an alphabet with 1- to 4-byte characters,
// separated by a space or a newline.
std::string RandomDocument(std::mt19937& rng, size_t words) {
  static const std::vector<std::string> kLetters = {
      "a",      "b",      "e",      "k",          "s", "\u00e9", "\u00df",
      "\u0436", "\u65e5", "\u8a9e", "\U0001F600", ",", "."};
  std::uniform_int_distribution<size_t> letter(0, kLetters.size() - 1);
  std::uniform_int_distribution<int> length(1, 9);
  std::string document;
  for (size_t w = 0; w < words; ++w) {
    if (w > 0) document += (rng() % 8 == 0) ? "\n" : " ";
    for (int i = length(rng); i > 0; --i) document += kLetters[letter(rng)];
  }
  return document;
}

// Chunks covering the document left to right, each overlapping the one
// before by 0-15 code points, or leaving a gap of up to 3.
std::vector<RetrievedChunk> CutChunks(std::mt19937& rng,
                                      const std::string& doc_id,
                                      const std::string& document) {
  const size_t length = CodePoints(document);
  std::uniform_int_distribution<size_t> size(1, 60);
  std::uniform_int_distribution<int> step(-15, 3);
  std::vector<RetrievedChunk> chunks;
  size_t start = 0;
  while (start < length) {
    const size_t end = std::min(length, start + size(rng));
    chunks.push_back(ChunkOf(
        doc_id, document, static_cast<uint32_t>(chunks.size()), start, end, 0));
    const int64_t next = static_cast<int64_t>(end) + step(rng);
    start = static_cast<size_t>(
        std::max<int64_t>(next, static_cast<int64_t>(start) + 1));
  }
  return chunks;
}

// Rule 2 of retrieval/context.h applied literally: each chunk in rank order
// is kept when the context re-rendered with it fits.
std::string GreedyOracle(const std::vector<RetrievedChunk>& by_rank,
                         const ContextBudget& budget) {
  std::vector<const RetrievedChunk*> chosen;
  std::string fitting;
  for (const RetrievedChunk& chunk : by_rank) {
    chosen.push_back(&chunk);
    std::vector<std::string> doc_order;
    std::map<std::string, std::vector<const RetrievedChunk*>> by_doc;
    for (const RetrievedChunk* c : chosen) {
      if (by_doc[c->doc_id].empty()) doc_order.push_back(c->doc_id);
      by_doc[c->doc_id].push_back(c);
    }
    std::vector<Passage> passages;
    for (const std::string& doc_id : doc_order) {
      for (Passage& passage :
           retrieval_internal::MergeDocumentChunks(by_doc[doc_id])) {
        passage.number = static_cast<uint32_t>(passages.size() + 1);
        passages.push_back(std::move(passage));
      }
    }
    const std::string context = retrieval_internal::RenderContext(passages);
    if ((budget.max_chars == 0 || CodePoints(context) <= budget.max_chars) &&
        (budget.max_tokens == 0 ||
         text::CountTokens(context) <= budget.max_tokens)) {
      fitting = context;
    } else {
      chosen.pop_back();
    }
  }
  return fitting;
}

void CheckPassages(const AssembledContext& context,
                   const std::map<std::string, std::string>& documents,
                   const std::vector<RetrievedChunk>& ranked,
                   const ContextBudget& budget) {
  std::map<std::string, const RetrievedChunk*> by_id;
  for (const RetrievedChunk& chunk : ranked) by_id[chunk.chunk_id] = &chunk;

  std::set<std::string> cited;
  std::vector<std::string> doc_order;
  const Passage* previous = nullptr;
  for (size_t i = 0; i < context.passages.size(); ++i) {
    const Passage& passage = context.passages[i];
    INFO("passage " << passage.number << " of " << passage.doc_id);
    CHECK(passage.number == i + 1);
    CHECK(passage.text == Slice(documents.at(passage.doc_id),
                                passage.char_start, passage.char_end));
    uint32_t best_rank = UINT32_MAX;
    for (const std::string& id : passage.chunk_ids) {
      CHECK(cited.insert(id).second);
      const RetrievedChunk& chunk = *by_id.at(id);
      CHECK(chunk.doc_id == passage.doc_id);
      CHECK(chunk.char_start >= passage.char_start);
      if (!context.truncated) CHECK(chunk.char_end <= passage.char_end);
      best_rank = std::min(best_rank, chunk.rank);
    }
    CHECK(passage.best_rank == best_rank);
    if (previous != nullptr && previous->doc_id == passage.doc_id) {
      // Apart, not touching, in reading order.
      CHECK(previous->char_end < passage.char_start);
    } else {
      // A document's passages are together.
      CHECK(std::find(doc_order.begin(), doc_order.end(), passage.doc_id) ==
            doc_order.end());
      doc_order.push_back(passage.doc_id);
    }
    previous = &passage;
  }
  // Documents by their best rank among the cited chunks.
  std::vector<std::pair<uint32_t, std::string>> best;
  for (const std::string& doc_id : doc_order) {
    uint32_t rank = UINT32_MAX;
    for (const Passage& passage : context.passages) {
      if (passage.doc_id == doc_id) rank = std::min(rank, passage.best_rank);
    }
    best.emplace_back(rank, doc_id);
  }
  CHECK(std::is_sorted(best.begin(), best.end()));

  CHECK(context.chars == CodePoints(context.context));
  CHECK(context.tokens == text::CountTokens(context.context));
  if (budget.max_chars != 0) CHECK(context.chars <= budget.max_chars);
  if (budget.max_tokens != 0) CHECK(context.tokens <= budget.max_tokens);
  if (!context.truncated) CHECK(cited.size() == ranked.size());
  if (budget.max_chars == 0 && budget.max_tokens == 0) {
    CHECK_FALSE(context.truncated);
  }
}

TEST_CASE("Random overlapping chunks assemble into document substrings",
          "[context][random]") {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 200; ++round) {
    std::map<std::string, std::string> documents;
    std::vector<RetrievedChunk> pool;
    const int doc_count = 1 + static_cast<int>(rng() % 4);
    for (int d = 0; d < doc_count; ++d) {
      const std::string doc_id = "doc" + std::to_string(d);
      documents[doc_id] = RandomDocument(rng, 20 + rng() % 80);
      for (RetrievedChunk& chunk : CutChunks(rng, doc_id, documents[doc_id])) {
        pool.push_back(std::move(chunk));
      }
    }
    // A random subset in a random rank order.
    std::shuffle(pool.begin(), pool.end(), rng);
    pool.resize(1 + rng() % pool.size());
    for (size_t i = 0; i < pool.size(); ++i) {
      pool[i].rank = static_cast<uint32_t>(i + 1);
    }

    ContextBudget budget;
    switch (round % 4) {
      case 0:
        break;
      case 1:
        budget.max_chars = 1 + rng() % 600;
        break;
      case 2:
        budget.max_tokens = 1 + rng() % 200;
        break;
      case 3:
        budget.max_chars = 1 + rng() % 600;
        budget.max_tokens = 1 + rng() % 200;
        break;
    }
    INFO("round " << round << ", " << pool.size() << " chunks, budget "
                  << budget.max_chars << " chars " << budget.max_tokens
                  << " tokens");
    // The rank order is the one the search gave, not the vector's order.
    std::vector<RetrievedChunk> ranked = pool;
    std::shuffle(ranked.begin(), ranked.end(), rng);
    AssembledContext context = AssembleContext(ranked, budget);
    CheckPassages(context, documents, pool, budget);
    // The same choice as re-rendering at every step (unless nothing fit
    // whole and the best chunk was cut).
    const std::string oracle = GreedyOracle(pool, budget);
    if (!oracle.empty()) CHECK(context.context == oracle);
    if (!context.truncated) {
      AssembledContext unlimited = AssembleContext(ranked, {});
      CHECK(unlimited.context == context.context);
    }
  }
}

}  // namespace
}  // namespace vecdb::retrieval
