// Tokenizer: splits text into lowercase word tokens, the same way for
// documents, text queries and text filter conditions.
//
// Rules (Unicode-aware, via utf8proc):
//   - The text is normalised (NFKC) and case-folded, so "Straße" and
//     "STRASSE" give the same token, and full-width digits match ASCII.
//   - A token is a maximal run of letters (L*), numbers (N*) and combining
//     marks (M*); everything else (spaces, punctuation, symbols, control
//     characters) separates tokens. So "don't" gives "don", "t" and
//     "covid-19" gives "covid", "19".
//   - Invalid UTF-8 bytes separate tokens; they never fail the call.
//   - Tokens longer than kMaxTokenBytes are cut at a character boundary.
//
// Pure functions; thread-safe.
#ifndef VECDB_TEXT_TOKENIZER_H_
#define VECDB_TEXT_TOKENIZER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vecdb::text {

inline constexpr size_t kMaxTokenBytes = 128;

// The tokens of `text`, in order (duplicates kept).
std::vector<std::string> Tokenize(std::string_view text);

}  // namespace vecdb::text

#endif  // VECDB_TEXT_TOKENIZER_H_
