#include "retrieval/internal/context_builder.h"

#include <string>
#include <utility>

#include "retrieval/internal/passages.h"
#include "text/token_count.h"
#include "text/utf8.h"

namespace vecdb::retrieval_internal {

ContextBuilder::Piece ContextBuilder::MakePiece(
    std::vector<const RetrievedChunk*> chunks) const {
  Piece piece;
  // The chunks all reach one another through overlaps (see AddIfFits), so
  // they make exactly one passage.
  piece.passage = std::move(MergeDocumentChunks(chunks).front());
  piece.chunks = std::move(chunks);
  const std::string path = HeaderPath(piece.passage);
  piece.chars = (path.empty() ? 0 : 1 + text::CodePointCount(path)) + 1 +
                text::CodePointCount(piece.passage.text);
  if (budget_.max_tokens != 0) {
    piece.tokens =
        text::CountTokens(path) + text::CountTokens(piece.passage.text);
  }
  return piece;
}

bool ContextBuilder::Fits(size_t passages, size_t chars, size_t tokens) {
  while (number_chars_.size() <= passages) {
    const std::string number = "[" + std::to_string(number_chars_.size()) + "]";
    number_chars_.push_back(number_chars_.back() + number.size());
    number_tokens_.push_back(number_tokens_.back() + text::CountTokens(number));
  }
  const size_t separators = passages == 0 ? 0 : 2 * (passages - 1);
  const size_t total_chars = chars + number_chars_[passages] + separators;
  const size_t total_tokens = tokens + number_tokens_[passages];
  return (budget_.max_chars == 0 || total_chars <= budget_.max_chars) &&
         (budget_.max_tokens == 0 || total_tokens <= budget_.max_tokens);
}

bool ContextBuilder::AddIfFits(const RetrievedChunk& chunk) {
  auto doc = docs_.find(chunk.doc_id);
  std::vector<Piece> no_pieces;
  std::vector<Piece>& pieces = doc == docs_.end() ? no_pieces : doc->second;

  // The passages `chunk` overlaps or touches: a run, as they are sorted and
  // apart. With it they become one passage.
  size_t first = 0;
  while (first < pieces.size() &&
         pieces[first].passage.char_end < chunk.char_start) {
    ++first;
  }
  size_t last = first;
  std::vector<const RetrievedChunk*> chunks = {&chunk};
  size_t chars = chars_;
  size_t tokens = tokens_;
  for (; last < pieces.size() &&
         pieces[last].passage.char_start <= chunk.char_end;
       ++last) {
    chunks.insert(chunks.end(), pieces[last].chunks.begin(),
                  pieces[last].chunks.end());
    chars -= pieces[last].chars;
    tokens -= pieces[last].tokens;
  }
  Piece piece = MakePiece(std::move(chunks));
  chars += piece.chars;
  tokens += piece.tokens;
  const size_t passages = passage_count_ - (last - first) + 1;
  if (!Fits(passages, chars, tokens)) return false;

  if (doc == docs_.end()) {
    doc_order_.push_back(chunk.doc_id);
    doc = docs_.emplace(chunk.doc_id, std::vector<Piece>()).first;
  }
  std::vector<Piece>& kept = doc->second;
  kept.erase(kept.begin() + first, kept.begin() + last);
  kept.insert(kept.begin() + first, std::move(piece));
  passage_count_ = passages;
  chars_ = chars;
  tokens_ = tokens;
  return true;
}

std::vector<Passage> ContextBuilder::Passages() const {
  std::vector<Passage> passages;
  passages.reserve(passage_count_);
  for (std::string_view doc_id : doc_order_) {
    for (const Piece& piece : docs_.at(doc_id)) {
      passages.push_back(piece.passage);
    }
  }
  return passages;
}

}  // namespace vecdb::retrieval_internal
