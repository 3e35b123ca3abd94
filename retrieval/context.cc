// AssembleContext: deduplicate, choose chunks greedily by rank under the
// budget (internal/context_builder.h keeps the size exact), and when none
// fits whole, cut the best one.
#include "retrieval/context.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "retrieval/internal/context_builder.h"
#include "retrieval/internal/passages.h"
#include "text/token_count.h"
#include "text/utf8.h"

namespace vecdb::retrieval {
namespace {

using retrieval_internal::ContextBuilder;
using retrieval_internal::MergeDocumentChunks;
using retrieval_internal::RenderContext;

// Best rank first; chunks of equal rank keep their order.
std::vector<const RetrievedChunk*> RankOrder(
    const std::vector<RetrievedChunk>& ranked) {
  std::vector<const RetrievedChunk*> order;
  order.reserve(ranked.size());
  for (const RetrievedChunk& chunk : ranked) order.push_back(&chunk);
  std::stable_sort(order.begin(), order.end(),
                   [](const RetrievedChunk* a, const RetrievedChunk* b) {
                     return a->rank < b->rank;
                   });
  return order;
}

// Drops a chunk whose chunk_hash (or, without one, text) a better-ranked
// chunk has.
std::vector<const RetrievedChunk*> Deduplicate(
    const std::vector<const RetrievedChunk*>& order) {
  std::unordered_set<std::string_view> hashes;
  std::unordered_set<std::string_view> texts;
  std::vector<const RetrievedChunk*> kept;
  for (const RetrievedChunk* chunk : order) {
    const bool is_new = chunk->chunk_hash.empty()
                            ? texts.insert(chunk->text).second
                            : hashes.insert(chunk->chunk_hash).second;
    if (is_new) kept.push_back(chunk);
  }
  return kept;
}

// The context made of passages in citation order: numbered, rendered,
// measured.
AssembledContext Render(std::vector<Passage> passages) {
  AssembledContext result;
  result.passages = std::move(passages);
  for (size_t i = 0; i < result.passages.size(); ++i) {
    result.passages[i].number = static_cast<uint32_t>(i + 1);
  }
  result.context = RenderContext(result.passages);
  result.chars = text::CodePointCount(result.context);
  result.tokens = text::CountTokens(result.context);
  return result;
}

bool Fits(const AssembledContext& context, const ContextBudget& budget) {
  return (budget.max_chars == 0 || context.chars <= budget.max_chars) &&
         (budget.max_tokens == 0 || context.tokens <= budget.max_tokens);
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Byte length of the longest prefix of `text` that is at most `max_bytes`
// long (a code-point boundary) and ends at a word end; `max_bytes` itself
// when the prefix holds no word end (one long word, or no spaces at all).
size_t WordPrefix(std::string_view text, size_t max_bytes) {
  size_t end = max_bytes;
  if (end < text.size() && !IsAsciiSpace(text[end])) {
    // Back to the space before the word that straddles the cut. ASCII
    // bytes never occur inside a multi-byte sequence.
    while (end > 0 && !IsAsciiSpace(text[end - 1])) --end;
  }
  while (end > 0 && IsAsciiSpace(text[end - 1])) --end;
  return end == 0 ? max_bytes : end;
}

// `chunk` cut at a word boundary so that the context made of it alone fits
// `budget`; nullopt when not even one code point of it fits.
std::optional<RetrievedChunk> CutToFit(const RetrievedChunk& chunk,
                                       const ContextBudget& budget) {
  RetrievedChunk cut = chunk;
  cut.metadata.clear();
  auto cut_to = [&](size_t bytes) {
    cut.text = chunk.text.substr(0, bytes);
    cut.char_end = cut.char_start + text::CodePointCount(cut.text);
  };
  auto fits = [&](size_t code_points) {
    cut_to(text::ByteOffsetOfCodePoint(chunk.text, code_points));
    return Fits(Render(MergeDocumentChunks({&cut})), budget);
  };
  // Fit grows with the prefix: find the longest fitting prefix.
  size_t lo = 0;  // fits (or is empty)
  size_t hi = text::CodePointCount(chunk.text);
  while (lo < hi) {
    const size_t mid = lo + (hi - lo + 1) / 2;
    if (fits(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  if (lo == 0) return std::nullopt;
  cut_to(WordPrefix(chunk.text, text::ByteOffsetOfCodePoint(chunk.text, lo)));
  return cut;
}

}  // namespace

AssembledContext AssembleContext(const std::vector<RetrievedChunk>& ranked,
                                 const ContextBudget& budget) {
  const std::vector<const RetrievedChunk*> candidates =
      Deduplicate(RankOrder(ranked));
  ContextBuilder builder(budget);
  bool truncated = false;
  for (const RetrievedChunk* chunk : candidates) {
    if (!builder.AddIfFits(*chunk)) truncated = true;
  }
  std::vector<Passage> passages = builder.Passages();
  if (passages.empty() && !candidates.empty()) {
    if (std::optional<RetrievedChunk> cut =
            CutToFit(*candidates.front(), budget)) {
      passages = MergeDocumentChunks({&*cut});
    }
  }
  AssembledContext result = Render(std::move(passages));
  result.truncated = truncated;
  return result;
}

}  // namespace vecdb::retrieval
