// Key and value codecs of the secondary-index column families
// (docs/on_disk_format.md gives every byte).
//
//   meta_index: cid (u32 BE) | field (escaped) | type tag (u8) | value |
//               label (u64 BE)                         -> empty value
//   text_index: cid | 0x01 | term (escaped) | label    -> frequency (u32 LE)
//               cid | 0x02 | label                     -> length (u32 LE)
//
// "Escaped" strings replace every 0x00 byte by 0x00 0xFF and end with
// 0x00 0x01, so bytewise key order is bytewise string order and the end of
// the string is unambiguous. Values inside keys are encoded
// so that bytewise order is numeric order: int64 with its sign bit flipped,
// doubles as their IEEE-754 bits with the sign bit flipped (positive) or
// all bits flipped (negative), both big-endian. Each encoding round-trips
// exactly (-0.0 stays -0.0; NaN payloads are kept).
//
// Decoders return DataLoss for any malformed key or value (truncated,
// unknown tag or kind, bad escape, trailing bytes); they never read past
// the input.
//
// Pure functions; thread-safe.
//
// Example:
//   std::string key =
//       MetadataIndexKey(cid, {"color", std::string("red"), 7});
//   uint32_t decoded_cid;
//   MetadataEntry entry;
//   VECDB_RETURN_IF_ERROR(DecodeMetadataIndexKey(key, &decoded_cid, &entry));
#ifndef VECDB_STORAGE_INDEX_KEYS_H_
#define VECDB_STORAGE_INDEX_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/index_entries.h"

namespace vecdb::storage_keys {

// Type tags of meta_index keys; values of different types sort by tag.
enum class IndexValueTag : uint8_t {
  kPresence = 0x01,
  kBool = 0x02,
  kInt64 = 0x03,
  kDouble = 0x04,
  kString = 0x05,
};

// The byte after the cid of a text_index key.
enum class TextKeyKind : uint8_t {
  kTerm = 0x01,
  kDocumentLength = 0x02,
};

std::string MetadataIndexKey(uint32_t cid, const MetadataEntry& entry);
// Decodes a meta_index key into `*cid` and `*entry`.
absl::Status DecodeMetadataIndexKey(std::string_view key, uint32_t* cid,
                                    MetadataEntry* entry);

std::string TermKey(uint32_t cid, std::string_view term, uint64_t label);
std::string DocumentLengthKey(uint32_t cid, uint64_t label);
// cid | kind: the first key of a kind within a collection.
std::string TextKindPrefix(uint32_t cid, TextKeyKind kind);

// A decoded text_index key. `term` is empty for a document-length key.
struct TextIndexKey {
  uint32_t cid = 0;
  TextKeyKind kind = TextKeyKind::kTerm;
  std::string term;
  uint64_t label = 0;
};
absl::Status DecodeTextIndexKey(std::string_view key, TextIndexKey* out);

// The value of a text_index key: a term frequency or a document length,
// exactly 4 bytes, little-endian.
std::string EncodeTextIndexValue(uint32_t value);
absl::Status DecodeTextIndexValue(std::string_view bytes, uint32_t* value);

}  // namespace vecdb::storage_keys

#endif  // VECDB_STORAGE_INDEX_KEYS_H_
