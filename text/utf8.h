// UTF-8 helpers for text that comes from outside (files, HTML, PDF, JSON):
// repair, and code-point offsets (the unit of chunk offsets, see
// common/chunk_fields.h).
//
// Pure functions; thread-safe.
#ifndef VECDB_TEXT_UTF8_H_
#define VECDB_TEXT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace vecdb::text {

struct Utf8Repair {
  // Valid UTF-8: every maximal invalid subsequence (bad lead byte,
  // truncated sequence, overlong form, surrogate, > U+10FFFF) replaced by
  // one U+FFFD; NUL bytes dropped; valid input returned unchanged.
  std::string text;
  // How many replacements (and dropped NULs) were made; 0 = input valid.
  size_t replaced = 0;
};

Utf8Repair RepairUtf8(std::string_view bytes);

// True when `bytes` is valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

// Number of code points in valid UTF-8 `text`.
size_t CodePointCount(std::string_view text);

// Byte offset of code point `index` in valid UTF-8 `text`; text.size() when
// index >= CodePointCount(text).
size_t ByteOffsetOfCodePoint(std::string_view text, size_t index);

// text[start, end) in code points (clamped to the text).
std::string_view CodePointSubstr(std::string_view text, size_t start,
                                 size_t end);

}  // namespace vecdb::text

#endif  // VECDB_TEXT_UTF8_H_
