// LabelSet: a compressed set of graph labels (CRoaring's 64-bit roaring
// bitmap). Filters evaluate to one; its cardinality is the exact number of
// matching points.
#ifndef VECDB_SECONDARY_LABEL_SET_H_
#define VECDB_SECONDARY_LABEL_SET_H_

#include <roaring/roaring64map.hh>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "common/byte_io.h"

namespace vecdb {

// CRoaring 0.2 (Debian's libroaring-dev) declares Roaring64Map in the
// global namespace, not in namespace roaring.
using LabelSet = ::Roaring64Map;

// A set from labels in ascending order (repeats allowed). Labels below
// 2^32, the usual case, go through the 32-bit bitmap's bulk insert, which
// is much faster than Roaring64Map::addMany.
LabelSet LabelSetFromSorted(absl::Span<const uint64_t> labels);

// The union of `sets`, ORed in place into one result. Measured with CRoaring
// 0.2.66 over 100k labels: about 5 ns per label (0.5 ms for a range over
// 1000 postings of 100 labels). Scattering the labels into a flat bitmap
// first is slower, because Roaring64Map::toUint64Array alone costs about
// 7 ns per label.
LabelSet UnionOf(absl::Span<const LabelSet* const> sets);

// A set in CRoaring's portable format, after its u64 byte length.
absl::Status PutLabelSet(ByteWriter& out, const LabelSet& set);
// What PutLabelSet wrote; false (the reader unchanged) if the bytes are not
// a label set.
bool GetLabelSet(ByteReader& in, LabelSet* set);

}  // namespace vecdb

#endif  // VECDB_SECONDARY_LABEL_SET_H_
