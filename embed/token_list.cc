// Why splitting at ASCII separators keeps text::Tokenize's result: the text
// is cut only at an ASCII separator that is followed by an ASCII byte (or
// the end). Normalisation never joins across such a cut, since no canonical
// composition has an ASCII second character, and a separator followed by a
// combining mark ("=" + U+0338 composes to "≠") is never cut. The separator
// ends a token on either side, so tokens never span a cut. A piece with any
// byte >= 0x80 (non-ASCII or invalid UTF-8) goes to text::Tokenize whole.

#include "embed/token_list.h"

#include "text/tokenizer.h"

namespace vecdb::embed {
namespace {

bool IsAsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

}  // namespace

void TokenList::Assign(std::string_view text) {
  buffer_.clear();
  spans_.clear();
  buffer_.reserve(text.size());
  size_t piece_start = 0;
  bool piece_ascii = true;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      piece_ascii = false;
      continue;
    }
    if (IsAsciiWordByte(c)) continue;
    bool next_ascii =
        i + 1 == text.size() || static_cast<unsigned char>(text[i + 1]) < 0x80;
    if (!next_ascii) continue;
    // Cut after the separator at i.
    std::string_view piece = text.substr(piece_start, i + 1 - piece_start);
    if (piece_ascii) {
      AddAscii(piece);
    } else {
      for (const std::string& token : text::Tokenize(piece)) AddToken(token);
    }
    piece_start = i + 1;
    piece_ascii = true;
  }
  std::string_view rest = text.substr(piece_start);
  if (piece_ascii) {
    AddAscii(rest);
  } else {
    for (const std::string& token : text::Tokenize(rest)) AddToken(token);
  }
}

void TokenList::AddAscii(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           !IsAsciiWordByte(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    size_t start = i;
    while (i < text.size() &&
           IsAsciiWordByte(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (i == start) break;
    // text::Tokenize keeps the first kMaxTokenBytes bytes of a long token.
    size_t length = std::min(i - start, text::kMaxTokenBytes);
    uint32_t offset = buffer_.size();
    for (size_t j = start; j < start + length; ++j) {
      char c = text[j];
      buffer_.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
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
