// Secondary-index entries: what one point contributes to the metadata and
// full-text indexes. The collection derives them (secondary/entries.h),
// storage persists them in the same WriteBatch as the point
// (storage/rocks_store.h), and the in-memory indexes (secondary/) are
// loaded from them at open.
#ifndef VECDB_COMMON_INDEX_ENTRIES_H_
#define VECDB_COMMON_INDEX_ENTRIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vecdb {

// The indexed form of one metadata value. std::monostate is the presence
// marker every field of a point has (so `exists` needs no scan and an empty
// list is still present). A string list contributes one kString entry per
// distinct element.
using IndexedValue =
    std::variant<std::monostate, bool, int64_t, double, std::string>;

struct MetadataEntry {
  std::string field;
  IndexedValue value;
  uint64_t label = 0;
  friend bool operator==(const MetadataEntry&, const MetadataEntry&) = default;
};

// One term of a document: how often it occurs there.
struct TermEntry {
  std::string term;
  uint64_t label = 0;
  uint32_t frequency = 0;
  friend bool operator==(const TermEntry&, const TermEntry&) = default;
};

// Everything one point contributes. `document_length` (tokens) is set when
// the point has a document, even an empty one.
struct PointIndexEntries {
  uint64_t label = 0;
  std::vector<MetadataEntry> metadata;
  std::vector<TermEntry> terms;
  std::optional<uint32_t> document_length;
};

}  // namespace vecdb

#endif  // VECDB_COMMON_INDEX_ENTRIES_H_
