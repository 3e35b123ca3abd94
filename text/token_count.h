// Approximate token counts, the unit of chunk sizes and of Retrieve's
// context budget.
//
// A token is a run of letters/numbers/marks of at most 4 code points — a
// longer run counts one token per started 4 code points — or one other
// non-space character (punctuation, symbol). So "The cat sat." is 4 tokens,
// "internationalization" 5. This tracks the subword tokenizers of common
// language models within ~20% on English prose without depending on one;
// budgets should leave that much slack.
//
// Pure functions; thread-safe; invalid UTF-8 bytes count one token each.
#ifndef VECDB_TEXT_TOKEN_COUNT_H_
#define VECDB_TEXT_TOKEN_COUNT_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace vecdb::text {

size_t CountTokens(std::string_view text);

// Byte offsets where each token starts, in order (size = CountTokens).
// Chunkers cut at these positions.
std::vector<size_t> TokenStarts(std::string_view text);

}  // namespace vecdb::text

#endif  // VECDB_TEXT_TOKEN_COUNT_H_
