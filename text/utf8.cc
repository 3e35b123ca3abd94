#include "text/utf8.h"

#include <cstdint>

namespace vecdb::text {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the well-formed sequence starting at bytes[pos], or, when the
// bytes there do not form one, -(length of the maximal subpart): the
// longest prefix of some well-formed sequence, at least 1 byte (Unicode
// 3.9, Table 3-7; the "substitution of maximal subparts" practice).
int SequenceAt(std::string_view bytes, size_t pos) {
  const auto b0 = static_cast<uint8_t>(bytes[pos]);
  if (b0 < 0x80) return 1;
  int length = 0;
  uint8_t low = 0x80;  // allowed range of the second byte
  uint8_t high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;   // overlong
    if (b0 == 0xED) high = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;   // overlong
    if (b0 == 0xF4) high = 0x8F;  // > U+10FFFF
  } else {
    return -1;  // continuation byte, C0, C1, F5..FF
  }
  for (int i = 1; i < length; ++i) {
    if (pos + i >= bytes.size()) return -i;
    const auto b = static_cast<uint8_t>(bytes[pos + i]);
    if (b < low || b > high) return -i;
    low = 0x80;
    high = 0xBF;
  }
  return length;
}

}  // namespace

Utf8Repair RepairUtf8(std::string_view bytes) {
  Utf8Repair out;
  if (IsValidUtf8(bytes) && bytes.find('\0') == std::string_view::npos) {
    out.text.assign(bytes);
    return out;
  }
  out.text.reserve(bytes.size());
  size_t pos = 0;
  while (pos < bytes.size()) {
    const int n = SequenceAt(bytes, pos);
    if (n > 0) {
      if (bytes[pos] == '\0') {
        ++out.replaced;
      } else {
        out.text.append(bytes.substr(pos, n));
      }
      pos += n;
    } else {
      out.text.append(kReplacement);
      ++out.replaced;
      pos += -n;
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    const int n = SequenceAt(bytes, pos);
    if (n < 0) return false;
    pos += n;
  }
  return true;
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

size_t ByteOffsetOfCodePoint(std::string_view text, size_t index) {
  size_t seen = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if ((static_cast<uint8_t>(text[pos]) & 0xC0) == 0x80) continue;
    if (seen == index) return pos;
    ++seen;
  }
  return text.size();
}

std::string_view CodePointSubstr(std::string_view text, size_t start,
                                 size_t end) {
  if (end <= start) return text.substr(ByteOffsetOfCodePoint(text, start), 0);
  const size_t begin = ByteOffsetOfCodePoint(text, start);
  const size_t rest = ByteOffsetOfCodePoint(text.substr(begin), end - start);
  return text.substr(begin, rest);
}

}  // namespace vecdb::text
