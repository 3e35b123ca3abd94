// EntriesFor: the secondary-index entries (common/index_entries.h) of one
// point. Deterministic: the same point always gives the same entries, in
// the same order, so a replaced point's old entries can be recomputed from
// its old record and deleted exactly.
//
//   metadata: for every field a presence entry (std::monostate), then the
//             value: bool, int64, double (-0.0 written as 0.0) or string;
//             a string list gives
//             one string entry per distinct element (an empty list only
//             the presence entry).
//   terms:    one entry per distinct token of the document
//             (text/tokenizer.h) with its count; document_length = number
//             of tokens. No document: no terms, no length.
//
// EntriesFor is a pure function; thread-safe.
#ifndef VECDB_SECONDARY_ENTRIES_H_
#define VECDB_SECONDARY_ENTRIES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "common/index_entries.h"
#include "common/types.h"
#include "secondary/metadata_index.h"
#include "secondary/text_index.h"

namespace vecdb {

PointIndexEntries EntriesFor(uint64_t label, const Metadata& metadata,
                             const std::optional<std::string>& document);

// Adds a point's entries to the in-memory indexes, or removes entries
// added so. MetadataIndex::all() (the live labels) is not changed: the
// caller adds or removes the label there itself. Not thread-safe: the
// caller serialises them against reads of the indexes.
void AddEntries(const PointIndexEntries& entries, MetadataIndex& metadata,
                TextIndex& text);
void RemoveEntries(const PointIndexEntries& entries, MetadataIndex& metadata,
                   TextIndex& text);

}  // namespace vecdb

#endif  // VECDB_SECONDARY_ENTRIES_H_
