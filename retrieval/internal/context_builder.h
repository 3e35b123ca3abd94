// The greedy budget of retrieval/context.h (rule 2) without re-rendering:
// chosen chunks kept as passages, with the exact size of the context they
// render to, so that trying a chunk costs only the passage it joins.
// Private to retrieval/ and its tests.
#ifndef VECDB_RETRIEVAL_INTERNAL_CONTEXT_BUILDER_H_
#define VECDB_RETRIEVAL_INTERNAL_CONTEXT_BUILDER_H_

#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "retrieval/context.h"

namespace vecdb::retrieval_internal {

using retrieval::ContextBudget;
using retrieval::Passage;
using retrieval::RetrievedChunk;

// Sizes add up piece by piece: the separators (" " after "[n]", "\n" after
// a header, "\n\n" between passages) are whitespace, which no token spans,
// so the context's code points and tokens are the sums over the citation
// numbers, the header paths and the passage texts, plus the separators'
// code points.
//
// Not thread-safe. Added chunks must outlive the builder.
class ContextBuilder {
 public:
  explicit ContextBuilder(const ContextBudget& budget) : budget_(budget) {}

  // Adds `chunk` when the context with it fits the budget and returns true;
  // otherwise changes nothing and returns false.
  bool AddIfFits(const RetrievedChunk& chunk);

  // The passages in citation order (not yet numbered): documents in the
  // order of their first added chunk, a document's passages by char_start.
  std::vector<Passage> Passages() const;

 private:
  struct Piece {
    Passage passage;
    std::vector<const RetrievedChunk*> chunks;
    // The passage's share of the context: header path (and the space
    // before it), newline, text.
    size_t chars = 0;
    size_t tokens = 0;
  };

  Piece MakePiece(std::vector<const RetrievedChunk*> chunks) const;
  bool Fits(size_t passages, size_t chars, size_t tokens);

  const ContextBudget budget_;
  std::vector<std::string_view> doc_order_;
  // Each document's passages by char_start, apart and not touching.
  std::unordered_map<std::string_view, std::vector<Piece>> docs_;
  size_t passage_count_ = 0;
  // Sums of Piece::chars and Piece::tokens.
  size_t chars_ = 0;
  size_t tokens_ = 0;
  // Code points and tokens of "[1]" ... "[n]" together, at index n.
  std::vector<size_t> number_chars_ = {0};
  std::vector<size_t> number_tokens_ = {0};
};

}  // namespace vecdb::retrieval_internal

#endif  // VECDB_RETRIEVAL_INTERNAL_CONTEXT_BUILDER_H_
