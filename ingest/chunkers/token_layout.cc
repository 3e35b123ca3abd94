// Token starts come from text::TokenStarts, so the chunkers and every
// token budget agree on what a token is. A token's end is found by walking
// from its start to the first whitespace before the next start: only
// whitespace can follow a token's own characters there.

#include "ingest/chunkers/token_layout.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include "text/token_count.h"

namespace vecdb::ingest {
namespace {

// End of the token starting at `begin`, which is followed by whitespace
// only up to `limit`.
size_t TokenEnd(std::string_view text, size_t begin, size_t limit) {
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t pos = begin;
  while (pos < limit) {
    utf8proc_int32_t codepoint = 0;
    utf8proc_ssize_t n = utf8proc_iterate(
        data + pos, static_cast<utf8proc_ssize_t>(limit - pos), &codepoint);
    if (n <= 0) {  // An invalid byte is a token by itself.
      return pos == begin ? pos + 1 : pos;
    }
    if (IsTokenSpace(static_cast<char32_t>(codepoint))) return pos;
    pos += static_cast<size_t>(n);
  }
  return limit;
}

bool EndsSentence(std::string_view token) {
  return token == "." || token == "!" || token == "?";
}

// Full-width sentence ends: a break even without a following space.
bool EndsSentenceWithoutSpace(std::string_view token) {
  return token == "\xE3\x80\x82" || token == "\xEF\xBC\x81" ||
         token == "\xEF\xBC\x9F";  // 。！？
}

Boundary Classify(std::string_view text, size_t prev_begin, size_t prev_end,
                  size_t begin) {
  const std::string_view previous =
      text.substr(prev_begin, prev_end - prev_begin);
  if (EndsSentenceWithoutSpace(previous)) return Boundary::kSentence;
  if (begin == prev_end) return Boundary::kNone;
  const std::string_view gap = text.substr(prev_end, begin - prev_end);
  const auto newlines = std::count(gap.begin(), gap.end(), '\n');
  if (newlines >= 2) return Boundary::kParagraph;
  if (newlines == 1) return Boundary::kLine;
  if (EndsSentence(previous)) return Boundary::kSentence;
  return Boundary::kWord;
}

}  // namespace

bool IsTokenSpace(char32_t codepoint) {
  if (codepoint < 0x80) {
    return codepoint == ' ' || (codepoint >= '\t' && codepoint <= '\r');
  }
  if (codepoint == 0x85) return true;  // NEXT LINE
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(codepoint))) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return true;
    default:
      return false;
  }
}

TokenLayout LayOutTokens(std::string_view text) {
  TokenLayout layout;
  layout.begin = text::TokenStarts(text);
  const size_t n = layout.begin.size();
  layout.end.resize(n);
  layout.before.resize(n, Boundary::kParagraph);
  for (size_t i = 0; i < n; ++i) {
    const size_t limit = i + 1 < n ? layout.begin[i + 1] : text.size();
    layout.end[i] = TokenEnd(text, layout.begin[i], limit);
    if (i > 0) {
      layout.before[i] = Classify(text, layout.begin[i - 1], layout.end[i - 1],
                                  layout.begin[i]);
    }
  }
  return layout;
}

}  // namespace vecdb::ingest
