#include "storage/index_keys.h"

#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "storage/keys.h"

namespace vecdb::storage_keys {
namespace {

using namespace std::string_literals;

constexpr uint64_t kMaxLabel = std::numeric_limits<uint64_t>::max();

// Equality that compares doubles by their bits (so NaN == NaN and
// -0.0 != 0.0): round trips must be exact.
bool SameEntry(const MetadataEntry& a, const MetadataEntry& b) {
  if (a.field != b.field || a.label != b.label) return false;
  if (a.value.index() != b.value.index()) return false;
  if (const double* d = std::get_if<double>(&a.value)) {
    return std::bit_cast<uint64_t>(*d) ==
           std::bit_cast<uint64_t>(std::get<double>(b.value));
  }
  return a.value == b.value;
}

std::vector<IndexedValue> AllKindsOfValues() {
  using L = std::numeric_limits<double>;
  return {std::monostate(),
          false,
          true,
          std::numeric_limits<int64_t>::min(),
          int64_t{-1},
          int64_t{0},
          int64_t{1},
          std::numeric_limits<int64_t>::max(),
          -0.0,
          0.0,
          L::denorm_min(),
          -L::denorm_min(),
          L::max(),
          L::lowest(),
          1e300,
          -1e300,
          L::infinity(),
          -L::infinity(),
          L::quiet_NaN(),
          ""s,
          "\0"s,
          "\xff\xff"s,
          "a\0\xff\0b"s,
          "\0\x01"s};
}

TEST_CASE("Metadata index keys round-trip every value type",
          "[storage][index_keys]") {
  const std::vector<std::string> fields = {"",      "color",      "\0"s,
                                           "\xff"s, "a\0\xff\0"s, "\0\x01"s};
  for (uint32_t cid : {0u, 1u, kMaxCollectionId}) {
    for (const std::string& field : fields) {
      for (const IndexedValue& value : AllKindsOfValues()) {
        for (uint64_t label : {uint64_t{0}, uint64_t{42}, kMaxLabel}) {
          MetadataEntry entry{field, value, label};
          std::string key = MetadataIndexKey(cid, entry);
          CHECK(key.compare(0, 4, CollectionPrefix(cid)) == 0);
          CHECK(key < CollectionEnd(cid));
          uint32_t decoded_cid = 7;
          MetadataEntry decoded;
          absl::Status s = DecodeMetadataIndexKey(key, &decoded_cid, &decoded);
          INFO(s);
          REQUIRE(s.ok());
          CHECK(decoded_cid == cid);
          CHECK(SameEntry(decoded, entry));
        }
      }
    }
  }
}

TEST_CASE("Metadata index key bytes follow the documented layout",
          "[storage][index_keys]") {
  // docs/on_disk_format.md: cid | field escaped | tag | value | label.
  CHECK(MetadataIndexKey(1, {"a\0"s, int64_t{-2}, 3}) ==
        "\x00\x00\x00\x01"
        "a\x00\xff\x00\x01"
        "\x03\x7f\xff\xff\xff\xff\xff\xff\xfe"
        "\x00\x00\x00\x00\x00\x00\x00\x03"s);
  CHECK(MetadataIndexKey(2, {"f", std::monostate(), 1}) ==
        "\x00\x00\x00\x02"
        "f\x00\x01"
        "\x01"
        "\x00\x00\x00\x00\x00\x00\x00\x01"s);
  CHECK(MetadataIndexKey(2, {"f", true, 1}) ==
        "\x00\x00\x00\x02"
        "f\x00\x01"
        "\x02\x01"
        "\x00\x00\x00\x00\x00\x00\x00\x01"s);
  CHECK(MetadataIndexKey(2, {"f", 1.0, 1}) ==
        "\x00\x00\x00\x02"
        "f\x00\x01"
        "\x04\xbf\xf0\x00\x00\x00\x00\x00\x00"
        "\x00\x00\x00\x00\x00\x00\x00\x01"s);
  CHECK(MetadataIndexKey(2, {"f", "x\0"s, 1}) ==
        "\x00\x00\x00\x02"
        "f\x00\x01"
        "\x05x\x00\xff\x00\x01"
        "\x00\x00\x00\x00\x00\x00\x00\x01"s);
}

// Keys of `values` (same cid, field, label) must strictly increase.
void CheckKeysIncrease(const std::vector<IndexedValue>& values) {
  for (size_t i = 1; i < values.size(); ++i) {
    INFO("position " << i);
    CHECK(MetadataIndexKey(5, {"f", values[i - 1], 9}) <
          MetadataIndexKey(5, {"f", values[i], 9}));
  }
}

TEST_CASE("Metadata index keys sort numerically and bytewise",
          "[storage][index_keys]") {
  using L = std::numeric_limits<double>;
  CheckKeysIncrease({std::numeric_limits<int64_t>::min(), int64_t{-256},
                     int64_t{-255}, int64_t{-1}, int64_t{0}, int64_t{1},
                     int64_t{255}, int64_t{256},
                     std::numeric_limits<int64_t>::max()});
  CheckKeysIncrease({-L::infinity(), L::lowest(), -1e300, -2.5, -1.0, -L::min(),
                     -L::denorm_min(), -0.0, 0.0, L::denorm_min(), L::min(),
                     1.0, 2.5, 1e300, L::max(), L::infinity()});
  CheckKeysIncrease({""s, "\0"s, "\0\0"s, "\0\x01"s, "\x01"s, "a"s, "a\0"s,
                     "a\x01"s, "ab"s, "b"s, "\xfe"s, "\xff"s, "\xff\0"s,
                     "\xff\xff"s});
  CheckKeysIncrease({false, true});
  // Values of different types sort by type tag.
  CheckKeysIncrease({std::monostate(), true,
                     std::numeric_limits<int64_t>::max(), L::infinity(), ""s});

  // Fields sort bytewise before values; labels sort last, numerically.
  CHECK(MetadataIndexKey(5, {"a", "\xff"s, kMaxLabel}) <
        MetadataIndexKey(5, {"a\0"s, std::monostate(), 0}));
  CHECK(MetadataIndexKey(5, {"a\0"s, "\xff"s, kMaxLabel}) <
        MetadataIndexKey(5, {"ab", std::monostate(), 0}));
  CHECK(MetadataIndexKey(5, {"a", int64_t{3}, 255}) <
        MetadataIndexKey(5, {"a", int64_t{3}, 256}));
  CHECK(MetadataIndexKey(5, {"\xff\xff"s, "\xff"s, kMaxLabel}) <
        CollectionEnd(5));
}

TEST_CASE("Text index keys round-trip and sort terms before lengths",
          "[storage][index_keys]") {
  for (const std::string& term :
       {""s, "rust"s, "\0"s, "\xff"s, "a\0\xff\0"s, "\0\x01"s}) {
    for (uint64_t label : {uint64_t{0}, uint64_t{77}, kMaxLabel}) {
      TextIndexKey key;
      absl::Status s = DecodeTextIndexKey(TermKey(3, term, label), &key);
      INFO(s);
      REQUIRE(s.ok());
      CHECK(key.cid == 3);
      CHECK(key.kind == TextKeyKind::kTerm);
      CHECK(key.term == term);
      CHECK(key.label == label);

      key.term = "stale";
      REQUIRE(DecodeTextIndexKey(DocumentLengthKey(3, label), &key).ok());
      CHECK(key.cid == 3);
      CHECK(key.kind == TextKeyKind::kDocumentLength);
      CHECK(key.term.empty());
      CHECK(key.label == label);
    }
  }
  CHECK(TermKey(1, "ab", 2) ==
        "\x00\x00\x00\x01\x01"
        "ab\x00\x01"
        "\x00\x00\x00\x00\x00\x00\x00\x02"s);
  CHECK(DocumentLengthKey(1, 2) ==
        "\x00\x00\x00\x01\x02"
        "\x00\x00\x00\x00\x00\x00\x00\x02"s);
  CHECK(TermKey(1, "a", kMaxLabel) < TermKey(1, "a\0"s, 0));
  CHECK(TermKey(1, "a", 5) < TermKey(1, "a", 6));
  CHECK(TermKey(1, "\xff\xff\xff"s, kMaxLabel) < DocumentLengthKey(1, 0));
  CHECK(TermKey(1, "x", 0) >= TextKindPrefix(1, TextKeyKind::kTerm));
  CHECK(DocumentLengthKey(1, 0) >=
        TextKindPrefix(1, TextKeyKind::kDocumentLength));
  CHECK(DocumentLengthKey(1, kMaxLabel) < CollectionEnd(1));

  for (uint32_t v : {0u, 1u, 0x01020304u, 0xFFFFFFFFu}) {
    uint32_t decoded = 7;
    REQUIRE(DecodeTextIndexValue(EncodeTextIndexValue(v), &decoded).ok());
    CHECK(decoded == v);
  }
  CHECK(EncodeTextIndexValue(0x01020304u) == "\x04\x03\x02\x01"s);
}

bool IsDataLossCode(const absl::Status& s) {
  return s.code() == absl::StatusCode::kDataLoss;
}

absl::Status DecodeMeta(std::string_view key) {
  uint32_t cid;
  MetadataEntry entry;
  return DecodeMetadataIndexKey(key, &cid, &entry);
}

absl::Status DecodeText(std::string_view key) {
  TextIndexKey out;
  return DecodeTextIndexKey(key, &out);
}

TEST_CASE("Malformed index keys and values are DataLoss",
          "[storage][index_keys]") {
  std::vector<std::string> meta_keys;
  for (const IndexedValue& value : AllKindsOfValues()) {
    meta_keys.push_back(MetadataIndexKey(9, {"f\0"s, value, 3}));
  }
  // Every truncation and every extension of a valid key is rejected.
  for (const std::string& key : meta_keys) {
    for (size_t n = 0; n < key.size(); ++n) {
      INFO("meta key cut to " << n);
      CHECK(IsDataLossCode(DecodeMeta(key.substr(0, n))));
    }
    CHECK(IsDataLossCode(DecodeMeta(key + "x")));
  }
  for (const std::string& key :
       {TermKey(9, "t\0"s, 3), DocumentLengthKey(9, 3)}) {
    for (size_t n = 0; n < key.size(); ++n) {
      INFO("text key cut to " << n);
      CHECK(IsDataLossCode(DecodeText(key.substr(0, n))));
    }
    CHECK(IsDataLossCode(DecodeText(key + "\x00"s)));
  }

  const std::string cid = CollectionPrefix(9);
  const std::string label(8, '\x01');
  CHECK(
      IsDataLossCode(DecodeMeta(cid + "f\0\x01"s + "\x00"s + label)));  // tag 0
  CHECK(
      IsDataLossCode(DecodeMeta(cid + "f\0\x01"s + "\x06"s + label)));  // tag 6
  CHECK(IsDataLossCode(DecodeMeta(cid + "f\0\x01"s + "\x02\x02"s + label)));
  CHECK(IsDataLossCode(
      DecodeMeta(cid + "f\0\x02"s + "\x01"s + label)));  // escape
  CHECK(IsDataLossCode(DecodeMeta(cid + "f\0"s)));
  CHECK(IsDataLossCode(DecodeText(cid + "\x03"s + label)));  // unknown kind
  CHECK(IsDataLossCode(DecodeText(cid + "\x01t\0\x00"s + label)));
  const std::string good = MetadataIndexKey(9, {"f", int64_t{1}, 3});
  CHECK(DecodeMeta(good).ok());

  uint32_t value;
  CHECK(IsDataLossCode(DecodeTextIndexValue("", &value)));
  CHECK(IsDataLossCode(DecodeTextIndexValue("abc", &value)));
  CHECK(IsDataLossCode(DecodeTextIndexValue("abcde", &value)));
}

TEST_CASE("Random bytes decode as DataLoss or as their own encoding",
          "[storage][index_keys]") {
  // A key that decodes re-encodes to the same bytes: the encoding is
  // canonical, so a decoder never accepts two spellings of one entry.
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> byte(0, 255);
  // Bytes drawn mostly from the ones the format gives meaning to.
  const std::string interesting = "\x00\x01\x02\x03\x04\x05\xff"s;
  int decoded_meta = 0, decoded_text = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string key = CollectionPrefix(4);
    size_t len = rng() % 24;
    for (size_t j = 0; j < len; ++j) {
      key.push_back(rng() % 2 ? interesting[rng() % interesting.size()]
                              : static_cast<char>(byte(rng)));
    }
    uint32_t cid;
    MetadataEntry entry;
    absl::Status s = DecodeMetadataIndexKey(key, &cid, &entry);
    if (s.ok()) {
      ++decoded_meta;
      CHECK(MetadataIndexKey(cid, entry) == key);
    } else {
      CHECK(IsDataLossCode(s));
    }
    TextIndexKey text;
    s = DecodeTextIndexKey(key, &text);
    if (s.ok()) {
      ++decoded_text;
      CHECK((text.kind == TextKeyKind::kTerm
                 ? TermKey(text.cid, text.term, text.label)
                 : DocumentLengthKey(text.cid, text.label)) == key);
    } else {
      CHECK(IsDataLossCode(s));
    }
  }
  // The generator does reach valid keys of both kinds.
  CHECK(decoded_meta > 0);
  CHECK(decoded_text > 0);
}

}  // namespace
}  // namespace vecdb::storage_keys
