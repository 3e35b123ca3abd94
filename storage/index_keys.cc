#include "storage/index_keys.h"

#include <bit>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"

namespace vecdb::storage_keys {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;
constexpr char kEscapeByte = '\x00';
constexpr char kEscapedZero = '\xFF';
constexpr char kTerminator = '\x01';

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

void AppendEscaped(std::string_view s, std::string* out) {
  for (char c : s) {
    out->push_back(c);
    if (c == kEscapeByte) out->push_back(kEscapedZero);
  }
  out->push_back(kEscapeByte);
  out->push_back(kTerminator);
}

// Maps a double to a u64 whose unsigned order is the numeric order:
// positives get the sign bit set, negatives have every bit flipped.
uint64_t OrderedDoubleBits(double d) {
  uint64_t bits = std::bit_cast<uint64_t>(d);
  return (bits & kSignBit) ? ~bits : (bits | kSignBit);
}

double DoubleFromOrderedBits(uint64_t bits) {
  return std::bit_cast<double>((bits & kSignBit) ? (bits & ~kSignBit) : ~bits);
}

// Reads a key front to back; every read checks the bytes that remain.
class KeyReader {
 public:
  KeyReader(std::string_view key, std::string_view what)
      : key_(key), rest_(key), what_(what) {}

  absl::Status BigEndian(int bytes, uint64_t* value) {
    if (rest_.size() < static_cast<size_t>(bytes)) return Error("truncated");
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
      v = (v << 8) | static_cast<uint8_t>(rest_[i]);
    rest_.remove_prefix(bytes);
    *value = v;
    return absl::OkStatus();
  }

  absl::Status Byte(uint8_t* value) {
    uint64_t v = 0;
    VECDB_RETURN_IF_ERROR(BigEndian(1, &v));
    *value = static_cast<uint8_t>(v);
    return absl::OkStatus();
  }

  absl::Status Escaped(std::string* out) {
    out->clear();
    for (size_t i = 0; i < rest_.size(); ++i) {
      if (rest_[i] != kEscapeByte) {
        out->push_back(rest_[i]);
        continue;
      }
      if (i + 1 == rest_.size()) break;
      if (rest_[i + 1] == kTerminator) {
        rest_.remove_prefix(i + 2);
        return absl::OkStatus();
      }
      if (rest_[i + 1] != kEscapedZero) return Error("bad escape in string");
      out->push_back(kEscapeByte);
      ++i;
    }
    return Error("unterminated string");
  }

  absl::Status Finish() const {
    return rest_.empty() ? absl::OkStatus() : Error("trailing bytes");
  }

  absl::Status Error(std::string_view problem) const {
    return absl::DataLossError(
        absl::StrCat("corrupt ", AsAbsl(what_), " key \"",
                     absl::CHexEscape(AsAbsl(key_)), "\": ", AsAbsl(problem)));
  }

 private:
  const std::string_view key_;
  std::string_view rest_;
  const std::string_view what_;
};

absl::Status ReadCid(KeyReader& reader, uint32_t* cid) {
  uint64_t v = 0;
  VECDB_RETURN_IF_ERROR(reader.BigEndian(4, &v));
  *cid = static_cast<uint32_t>(v);
  return absl::OkStatus();
}

void AppendIndexedValue(const IndexedValue& value, std::string* key) {
  std::visit(
      [key](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          key->push_back(static_cast<char>(IndexValueTag::kPresence));
        } else if constexpr (std::is_same_v<T, bool>) {
          key->push_back(static_cast<char>(IndexValueTag::kBool));
          key->push_back(v ? '\x01' : '\x00');
        } else if constexpr (std::is_same_v<T, int64_t>) {
          key->push_back(static_cast<char>(IndexValueTag::kInt64));
          AppendBigEndian(static_cast<uint64_t>(v) ^ kSignBit, 8, key);
        } else if constexpr (std::is_same_v<T, double>) {
          key->push_back(static_cast<char>(IndexValueTag::kDouble));
          AppendBigEndian(OrderedDoubleBits(v), 8, key);
        } else {
          static_assert(std::is_same_v<T, std::string>);
          key->push_back(static_cast<char>(IndexValueTag::kString));
          AppendEscaped(v, key);
        }
      },
      value);
}

absl::Status ReadIndexedValue(KeyReader& reader, IndexedValue* value) {
  uint8_t tag = 0;
  VECDB_RETURN_IF_ERROR(reader.Byte(&tag));
  uint64_t bits = 0;
  switch (static_cast<IndexValueTag>(tag)) {
    case IndexValueTag::kPresence:
      *value = std::monostate();
      return absl::OkStatus();
    case IndexValueTag::kBool: {
      uint8_t b = 0;
      VECDB_RETURN_IF_ERROR(reader.Byte(&b));
      if (b > 1) return reader.Error("bool value is not 0 or 1");
      *value = (b == 1);
      return absl::OkStatus();
    }
    case IndexValueTag::kInt64:
      VECDB_RETURN_IF_ERROR(reader.BigEndian(8, &bits));
      *value = static_cast<int64_t>(bits ^ kSignBit);
      return absl::OkStatus();
    case IndexValueTag::kDouble:
      VECDB_RETURN_IF_ERROR(reader.BigEndian(8, &bits));
      *value = DoubleFromOrderedBits(bits);
      return absl::OkStatus();
    case IndexValueTag::kString: {
      std::string s;
      VECDB_RETURN_IF_ERROR(reader.Escaped(&s));
      *value = std::move(s);
      return absl::OkStatus();
    }
  }
  return reader.Error(absl::StrCat("unknown value tag ", tag));
}

}  // namespace

// --- meta_index --------------------------------------------------------------

std::string MetadataIndexKey(uint32_t cid, const MetadataEntry& entry) {
  std::string key;
  key.reserve(4 + entry.field.size() + 2 + 1 + 10 + 8);
  AppendBigEndian(cid, 4, &key);
  AppendEscaped(entry.field, &key);
  AppendIndexedValue(entry.value, &key);
  AppendBigEndian(entry.label, 8, &key);
  return key;
}

absl::Status DecodeMetadataIndexKey(std::string_view key, uint32_t* cid,
                                    MetadataEntry* entry) {
  KeyReader reader(key, "meta_index");
  VECDB_RETURN_IF_ERROR(ReadCid(reader, cid));
  VECDB_RETURN_IF_ERROR(reader.Escaped(&entry->field));
  VECDB_RETURN_IF_ERROR(ReadIndexedValue(reader, &entry->value));
  VECDB_RETURN_IF_ERROR(reader.BigEndian(8, &entry->label));
  return reader.Finish();
}

// --- text_index --------------------------------------------------------------

std::string TextKindPrefix(uint32_t cid, TextKeyKind kind) {
  std::string key;
  AppendBigEndian(cid, 4, &key);
  key.push_back(static_cast<char>(kind));
  return key;
}

std::string TermKey(uint32_t cid, std::string_view term, uint64_t label) {
  std::string key = TextKindPrefix(cid, TextKeyKind::kTerm);
  key.reserve(key.size() + term.size() + 2 + 8);
  AppendEscaped(term, &key);
  AppendBigEndian(label, 8, &key);
  return key;
}

std::string DocumentLengthKey(uint32_t cid, uint64_t label) {
  std::string key = TextKindPrefix(cid, TextKeyKind::kDocumentLength);
  AppendBigEndian(label, 8, &key);
  return key;
}

absl::Status DecodeTextIndexKey(std::string_view key, TextIndexKey* out) {
  KeyReader reader(key, "text_index");
  VECDB_RETURN_IF_ERROR(ReadCid(reader, &out->cid));
  uint8_t kind = 0;
  VECDB_RETURN_IF_ERROR(reader.Byte(&kind));
  out->term.clear();
  switch (static_cast<TextKeyKind>(kind)) {
    case TextKeyKind::kTerm:
      out->kind = TextKeyKind::kTerm;
      VECDB_RETURN_IF_ERROR(reader.Escaped(&out->term));
      break;
    case TextKeyKind::kDocumentLength:
      out->kind = TextKeyKind::kDocumentLength;
      break;
    default:
      return reader.Error(absl::StrCat("unknown key kind ", kind));
  }
  VECDB_RETURN_IF_ERROR(reader.BigEndian(8, &out->label));
  return reader.Finish();
}

std::string EncodeTextIndexValue(uint32_t value) {
  std::string bytes(4, '\0');
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  return bytes;
}

absl::Status DecodeTextIndexValue(std::string_view bytes, uint32_t* value) {
  if (bytes.size() != 4) {
    return absl::DataLossError(absl::StrCat(
        "corrupt text_index value: ", bytes.size(), " bytes instead of 4"));
  }
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  *value = v;
  return absl::OkStatus();
}

}  // namespace vecdb::storage_keys
