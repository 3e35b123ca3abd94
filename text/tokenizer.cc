// Tokenize: the input is split into maximal runs of valid UTF-8 (invalid
// bytes act as separators, since utf8proc_map rejects a whole string that
// holds one), each run is NFKC-normalised and case-folded by utf8proc_map,
// and the result is split by codepoint category.

#include "text/tokenizer.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "text/internal/categories.h"

namespace vecdb::text {
namespace {

constexpr utf8proc_option_t kMapOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);

// Letters (L*), combining marks (M*) and numbers (N*) make up tokens.
bool IsTokenCodepoint(utf8proc_int32_t codepoint) {
  return internal::IsWordCodepoint(codepoint);
}

// Collects tokens; a token reaching kMaxTokenBytes ignores the rest of its
// characters until the next separator.
class TokenBuilder {
 public:
  explicit TokenBuilder(std::vector<std::string>* tokens) : tokens_(tokens) {}

  void Append(std::string_view character) {
    if (current_.size() + character.size() <= kMaxTokenBytes) {
      current_.append(character);
    }
  }

  void Break() {
    if (!current_.empty()) {
      tokens_->push_back(std::move(current_));
      current_.clear();
    }
  }

 private:
  std::vector<std::string>* tokens_;
  std::string current_;
};

// Splits already-valid UTF-8 `text` by codepoint category.
void SplitValid(std::string_view text, TokenBuilder& builder) {
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t pos = 0;
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  while (pos < size) {
    utf8proc_int32_t codepoint = 0;
    utf8proc_ssize_t n = utf8proc_iterate(data + pos, size - pos, &codepoint);
    if (n <= 0) {  // Not expected after validation; skip one byte.
      builder.Break();
      ++pos;
      continue;
    }
    if (IsTokenCodepoint(codepoint)) {
      builder.Append(text.substr(pos, n));
    } else {
      builder.Break();
    }
    pos += n;
  }
}

// Normalises and case-folds one valid UTF-8 run, then splits it.
void TokenizeValidRun(std::string_view run, TokenBuilder& builder) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
      static_cast<utf8proc_ssize_t>(run.size()), &mapped, kMapOptions);
  if (n < 0) {
    // Only allocation failure or overflow can get here; split the run as is.
    SplitValid(run, builder);
    return;
  }
  SplitValid(std::string_view(reinterpret_cast<const char*>(mapped),
                              static_cast<size_t>(n)),
             builder);
  std::free(mapped);
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  TokenBuilder builder(&tokens);
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_ssize_t run_start = 0;
  utf8proc_ssize_t pos = 0;
  while (pos < size) {
    utf8proc_int32_t codepoint = 0;
    utf8proc_ssize_t n = utf8proc_iterate(data + pos, size - pos, &codepoint);
    if (n > 0) {
      pos += n;
      continue;
    }
    // An invalid byte: end the valid run before it and separate tokens.
    if (pos > run_start) {
      TokenizeValidRun(text.substr(run_start, pos - run_start), builder);
    }
    builder.Break();
    ++pos;
    run_start = pos;
  }
  if (pos > run_start) {
    TokenizeValidRun(text.substr(run_start, pos - run_start), builder);
  }
  builder.Break();
  return tokens;
}

}  // namespace vecdb::text
