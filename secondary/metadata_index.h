// MetadataIndex: the in-memory inverted index over metadata values of one
// collection, loaded from the RocksDB entries at open and kept in step
// with every write (the collection changes it under its index lock, after
// the write is durable). RocksDB holds the same entries; this is a cache.
//
// Per field: presence, bools and strings map value -> LabelSet; numbers
// are kept in numeric order (int64 and double together, compared exactly,
// filter/matcher.h CompareNumbers) so that ranges cost O(log n + matches);
// strings also in bytewise order for string ranges.
//
// Thread safety: none; the caller serialises mutations against reads.
#ifndef VECDB_SECONDARY_METADATA_INDEX_H_
#define VECDB_SECONDARY_METADATA_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/byte_io.h"
#include "common/filter.h"
#include "common/index_entries.h"
#include "secondary/label_set.h"

namespace vecdb {

class MetadataIndex {
 public:
  MetadataIndex();
  ~MetadataIndex();
  MetadataIndex(MetadataIndex&&) noexcept;
  MetadataIndex& operator=(MetadataIndex&&) noexcept;

  // Every live point's label, with or without metadata: the universe that
  // negations (kNe, kNotIn, kNot) complement against.
  void AddLabel(uint64_t label);
  void RemoveLabel(uint64_t label);
  const LabelSet& all() const;

  void Insert(const MetadataEntry& entry);
  // Removes an entry added by Insert; an absent entry is ignored.
  void Erase(const MetadataEntry& entry);

  // The labels matching one field condition (kind kField, validated).
  // kNe and kNotIn complement against all().
  LabelSet Match(const Filter& condition) const;
  // An estimate of Match(condition).cardinality() from the index's counts,
  // without building the set: exact for kEq/kIn/kExists/kContainsAny on
  // bools and strings, bounded by the number of entries in range for
  // ranges.
  uint64_t Estimate(const Filter& condition) const;

  // Approximate heap bytes held.
  size_t MemoryBytes() const;

  // The whole index, for a checkpoint (docs/on_disk_format.md,
  // "Secondary-index checkpoints").
  absl::Status Serialize(ByteWriter& out) const;
  // The index Serialize() wrote, without the labels in `drop`. DataLoss if
  // the bytes are not such an index.
  static absl::StatusOr<MetadataIndex> Parse(std::string_view bytes,
                                             const LabelSet& drop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vecdb

#endif  // VECDB_SECONDARY_METADATA_INDEX_H_
