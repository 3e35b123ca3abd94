// The word tokens of a text, exactly as text::Tokenize gives them, but
// faster on ASCII: spans of the text that are plain ASCII (where NFKC is the
// identity and case folding is lowercasing) are split here directly, and
// only the rest goes through text::Tokenize. The tokens live in one buffer
// instead of one string each.
//
//   TokenList tokens;
//   tokens.Assign(text);
//   for (size_t i = 0; i < tokens.size(); ++i) Use(tokens[i]);
//
// Not thread-safe; reusable (Assign replaces the tokens).
#ifndef VECDB_EMBED_TOKEN_LIST_H_
#define VECDB_EMBED_TOKEN_LIST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vecdb::embed {

class TokenList {
 public:
  // Replaces the tokens with those of `text`.
  void Assign(std::string_view text);

  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  // Valid until the next Assign.
  std::string_view operator[](size_t i) const {
    return std::string_view(buffer_).substr(spans_[i].first, spans_[i].second);
  }

 private:
  void AddAscii(std::string_view text);
  void AddToken(std::string_view token);

  std::string buffer_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_;  // Offset, length.
};

}  // namespace vecdb::embed

#endif  // VECDB_EMBED_TOKEN_LIST_H_
