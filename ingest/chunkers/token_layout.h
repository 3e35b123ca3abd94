// Internal to the chunkers: a text as a sequence of tokens (the tokens of
// text/token_count.h) with their byte extents and the kind of break before
// each one. Chunks are ranges of whole tokens, so a chunk's text runs from
// its first token's start to its last token's end and never begins or ends
// with whitespace.
#ifndef VECDB_INGEST_CHUNKERS_TOKEN_LAYOUT_H_
#define VECDB_INGEST_CHUNKERS_TOKEN_LAYOUT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vecdb::ingest {

// The break between a token and the one before it, weakest first.
enum class Boundary : uint8_t {
  kNone,       // adjacent, no space ("cat" | "." in "cat.", or inside a run)
  kWord,       // whitespace without a line break
  kSentence,   // after ". ", "! ", "? ", or after "。", "！", "？"
  kLine,       // whitespace with one line break
  kParagraph,  // whitespace with two or more line breaks (a blank line)
};

struct TokenLayout {
  // Byte extents of token i: [begin[i], end[i]).
  std::vector<size_t> begin;
  std::vector<size_t> end;
  // before[i]: the break between token i-1 and token i; before[0] is
  // kParagraph.
  std::vector<Boundary> before;

  size_t size() const { return begin.size(); }
};

// Tokens of `text` in order (as many as text::CountTokens(text)).
TokenLayout LayOutTokens(std::string_view text);

// True for the code points that separate tokens in text/token_count.h.
bool IsTokenSpace(char32_t codepoint);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_CHUNKERS_TOKEN_LAYOUT_H_
