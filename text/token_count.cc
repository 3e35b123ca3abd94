// One pass over the code points: a word character continues the current run
// and starts a token at run offsets 0, 4, 8, ...; whitespace ends the run;
// any other character (or invalid byte) is a token of its own and ends the
// run. Word characters as text/internal/categories.h defines them.

#include "text/token_count.h"

#include <utf8proc.h>

#include <cstddef>
#include <string_view>
#include <vector>

#include "text/internal/categories.h"

namespace vecdb::text {
namespace {

constexpr size_t kRunCodePointsPerToken = 4;

enum class CharClass { kSpace, kWord, kOther };

CharClass Classify(utf8proc_int32_t codepoint) {
  if (codepoint < 0x80) {  // ASCII without a table lookup.
    if ((codepoint >= 'a' && codepoint <= 'z') ||
        (codepoint >= 'A' && codepoint <= 'Z') ||
        (codepoint >= '0' && codepoint <= '9')) {
      return CharClass::kWord;
    }
    if (codepoint == ' ' || (codepoint >= '\t' && codepoint <= '\r')) {
      return CharClass::kSpace;
    }
    return CharClass::kOther;
  }
  if (codepoint == 0x85) return CharClass::kSpace;  // NEXT LINE
  switch (utf8proc_category(codepoint)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return CharClass::kSpace;
    default:
      return internal::IsWordCodepoint(codepoint) ? CharClass::kWord
                                                  : CharClass::kOther;
  }
}

// Calls on_token(byte_offset) at the start of every token, in order.
template <typename OnToken>
void ForEachTokenStart(std::string_view text, OnToken on_token) {
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_ssize_t pos = 0;
  size_t run_length = 0;  // Code points in the current word run.
  while (pos < size) {
    utf8proc_int32_t codepoint = 0;
    utf8proc_ssize_t n = utf8proc_iterate(data + pos, size - pos, &codepoint);
    if (n <= 0) {  // An invalid byte is one token.
      on_token(static_cast<size_t>(pos));
      run_length = 0;
      ++pos;
      continue;
    }
    switch (Classify(codepoint)) {
      case CharClass::kWord:
        if (run_length % kRunCodePointsPerToken == 0) {
          on_token(static_cast<size_t>(pos));
        }
        ++run_length;
        break;
      case CharClass::kOther:
        on_token(static_cast<size_t>(pos));
        run_length = 0;
        break;
      case CharClass::kSpace:
        run_length = 0;
        break;
    }
    pos += n;
  }
}

}  // namespace

size_t CountTokens(std::string_view text) {
  size_t count = 0;
  ForEachTokenStart(text, [&count](size_t) { ++count; });
  return count;
}

std::vector<size_t> TokenStarts(std::string_view text) {
  std::vector<size_t> starts;
  ForEachTokenStart(text,
                    [&starts](size_t offset) { starts.push_back(offset); });
  return starts;
}

}  // namespace vecdb::text
