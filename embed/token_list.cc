// Why splitting at ASCII separators keeps text::Tokenize's result: the text
// is cut only at an ASCII separator that is followed by an ASCII byte (or
// the end). Normalisation never joins across such a cut, since no canonical
// composition has an ASCII second character, and a separator followed by a
// combining mark ("=" + U+0338 composes to "≠") is never cut. The separator
// ends a token on either side, so tokens never span a cut. A piece with any
// byte >= 0x80 (non-ASCII or invalid UTF-8) goes to text::Tokenize whole.

#include "embed/token_list.h"

#include <algorithm>

#include "text/tokenizer.h"

namespace vecdb::embed {
namespace {

// For each ASCII byte: its lowercase form if it is a letter or digit, else
// 0 (a separator).
struct AsciiTable {
  char word[128] = {};
  constexpr AsciiTable() {
    for (int c = '0'; c <= '9'; ++c) word[c] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) word[c] = static_cast<char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) word[c] = static_cast<char>(c - 'A' + 'a');
  }
};
constexpr AsciiTable kAscii;

// Whether the text may be cut after position i: an ASCII separator followed
// by an ASCII byte or the end.
bool IsCut(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  return c < 0x80 && kAscii.word[c] == 0 &&
         (i + 1 == text.size() ||
          static_cast<unsigned char>(text[i + 1]) < 0x80);
}

}  // namespace

void TokenList::Assign(std::string_view text) {
  buffer_.clear();
  spans_.clear();
  buffer_.reserve(text.size());
  size_t done = 0;      // Text before this is tokenised.
  size_t last_cut = 0;  // Just after the last cut seen.
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      if (IsCut(text, i)) last_cut = i + 1;
      ++i;
      continue;
    }
    // A non-ASCII byte: the plain ASCII before its piece is split here, the
    // piece (up to and including the next cut) by text::Tokenize.
    AddAscii(text.substr(done, last_cut - done));
    size_t end = i;
    while (end < text.size() && !IsCut(text, end)) ++end;
    end = std::min(end + 1, text.size());
    for (const std::string& token :
         text::Tokenize(text.substr(last_cut, end - last_cut))) {
      AddToken(token);
    }
    done = last_cut = i = end;
  }
  AddAscii(text.substr(done));
}

void TokenList::AddAscii(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && kAscii.word[static_cast<uint8_t>(text[i])] == 0) {
      ++i;
    }
    size_t start = i;
    while (i < text.size() && kAscii.word[static_cast<uint8_t>(text[i])] != 0) {
      ++i;
    }
    if (i == start) break;
    // text::Tokenize keeps the first kMaxTokenBytes bytes of a long token.
    size_t length = std::min(i - start, text::kMaxTokenBytes);
    uint32_t offset = buffer_.size();
    buffer_.resize(offset + length);
    for (size_t j = 0; j < length; ++j) {
      buffer_[offset + j] = kAscii.word[static_cast<uint8_t>(text[start + j])];
    }
    spans_.emplace_back(offset, static_cast<uint32_t>(length));
  }
}

void TokenList::AddToken(std::string_view token) {
  spans_.emplace_back(static_cast<uint32_t>(buffer_.size()),
                      static_cast<uint32_t>(token.size()));
  buffer_.append(token);
}

}  // namespace vecdb::embed
