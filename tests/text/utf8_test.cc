#include "text/utf8.h"

#include <catch2/catch.hpp>
#include <string>

namespace vecdb::text {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST_CASE("RepairUtf8 keeps valid text unchanged", "[text][utf8]") {
  const std::string text =
      "plain ASCII, caf\xC3\xA9, \xE2\x82\xAC 5, "
      "\xF0\x9F\x98\x80 and \xEF\xBF\xBF \xF4\x8F\xBF\xBF";
  const Utf8Repair repair = RepairUtf8(text);
  CHECK(repair.text == text);
  CHECK(repair.replaced == 0);
  CHECK(IsValidUtf8(text));
  CHECK(RepairUtf8("").text.empty());
}

TEST_CASE("RepairUtf8 replaces bad lead and stray continuation bytes",
          "[text][utf8]") {
  const Utf8Repair repair = RepairUtf8(
      "a\x80"
      "b\xFF"
      "c\xC0"
      "d");
  CHECK(repair.text == "a" + kFffd + "b" + kFffd + "c" + kFffd + "d");
  CHECK(repair.replaced == 3);
  // Each stray continuation byte is its own maximal subpart.
  CHECK(RepairUtf8("\x80\x81").text == kFffd + kFffd);
}

TEST_CASE("RepairUtf8 replaces a truncated sequence with one U+FFFD",
          "[text][utf8]") {
  // Three-byte euro sign cut after two bytes, then ASCII.
  Utf8Repair repair = RepairUtf8("x\xE2\x82y");
  CHECK(repair.text == "x" + kFffd + "y");
  CHECK(repair.replaced == 1);
  // Four-byte emoji cut at the end of the input.
  repair = RepairUtf8("end\xF0\x9F\x98");
  CHECK(repair.text == "end" + kFffd);
  CHECK(repair.replaced == 1);
  // A truncated sequence followed by a new lead byte: the new sequence stays.
  repair = RepairUtf8("\xE2\x82\xC3\xA9");
  CHECK(repair.text == kFffd + "\xC3\xA9");
  CHECK(repair.replaced == 1);
}

TEST_CASE(
    "RepairUtf8 rejects overlongs, surrogates and > U+10FFFF per byte "
    "of maximal subpart",
    "[text][utf8]") {
  // Overlong "/" as C0 AF: C0 is never a lead, AF a stray continuation.
  CHECK(RepairUtf8("\xC0\xAF").text == kFffd + kFffd);
  // Overlong three-byte form E0 80 AF: E0 then 80 is not a valid prefix.
  CHECK(RepairUtf8("\xE0\x80\xAF").text == kFffd + kFffd + kFffd);
  // Surrogate U+D800 as ED A0 80.
  const Utf8Repair surrogate = RepairUtf8("\xED\xA0\x80");
  CHECK(surrogate.text == kFffd + kFffd + kFffd);
  CHECK(surrogate.replaced == 3);
  // U+110000 as F4 90 80 80.
  CHECK(RepairUtf8("\xF4\x90\x80\x80").text == kFffd + kFffd + kFffd + kFffd);
  // F5 and above are never leads.
  CHECK(RepairUtf8("\xF5\x80").text == kFffd + kFffd);
  // The Unicode standard's example (Table 3-8): 61 F1 80 80 E1 80 C2 62 80
  // 63 80 BF 64 → a FFFD FFFD FFFD b FFFD c FFFD FFFD d.
  CHECK(
      RepairUtf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64").text ==
      "a" + kFffd + kFffd + kFffd + "b" + kFffd + "c" + kFffd + kFffd + "d");
}

TEST_CASE("RepairUtf8 drops NUL bytes and counts them", "[text][utf8]") {
  const Utf8Repair repair = RepairUtf8(std::string("a\0b\0\0c", 6));
  CHECK(repair.text == "abc");
  CHECK(repair.replaced == 3);
  CHECK(IsValidUtf8(repair.text));
}

TEST_CASE("IsValidUtf8 spots every kind of invalid sequence", "[text][utf8]") {
  CHECK(IsValidUtf8("h\xC3\xA9llo"));
  CHECK_FALSE(IsValidUtf8("\xC3"));
  CHECK_FALSE(IsValidUtf8("\xC1\xBF"));
  CHECK_FALSE(IsValidUtf8("\xED\xBF\xBF"));
  CHECK_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  CHECK_FALSE(IsValidUtf8("abc\xFE"));
}

TEST_CASE("Code-point offsets and substrings", "[text][utf8]") {
  // a é € 😀 b: code points of 1, 2, 3, 4 and 1 bytes.
  const std::string text =
      "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
      "b";
  CHECK(CodePointCount(text) == 5);
  CHECK(CodePointCount("") == 0);
  CHECK(ByteOffsetOfCodePoint(text, 0) == 0);
  CHECK(ByteOffsetOfCodePoint(text, 1) == 1);
  CHECK(ByteOffsetOfCodePoint(text, 2) == 3);
  CHECK(ByteOffsetOfCodePoint(text, 3) == 6);
  CHECK(ByteOffsetOfCodePoint(text, 4) == 10);
  CHECK(ByteOffsetOfCodePoint(text, 5) == text.size());
  CHECK(ByteOffsetOfCodePoint(text, 99) == text.size());
  CHECK(CodePointSubstr(text, 1, 3) == "\xC3\xA9\xE2\x82\xAC");
  CHECK(CodePointSubstr(text, 3, 4) == "\xF0\x9F\x98\x80");
  CHECK(CodePointSubstr(text, 4, 100) == "b");
  CHECK(CodePointSubstr(text, 0, 5) == text);
  CHECK(CodePointSubstr(text, 7, 9).empty());
  CHECK(CodePointSubstr(text, 3, 2).empty());
}

}  // namespace
}  // namespace vecdb::text
