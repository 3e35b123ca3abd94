// Loading a collection's in-memory secondary indexes (metadata postings and
// the BM25 text index) when the engine opens.
//
//   1. From the secondary-index checkpoint (collection/secondary_checkpoint.h)
//      plus the op log after it: every label a later write touched is left
//      out of the checkpoint's postings and, if its point is still live,
//      indexed again from its current record in RocksDB.
//   2. If there is no usable checkpoint (missing, damaged, newer than
//      RocksDB, the op log has a gap after it, or the result disagrees with
//      the graph's live labels), from the index entries RocksDB keeps with
//      every point. The reason is returned and logged.
//
// A collection from a data directory that predates the entries (its
// "entries complete" marker is missing) is backfilled first: every point's
// entries are derived and written, in batches, then the marker is set. A
// crash during the backfill leaves the marker unset, so the next open
// backfills again (writing an entry twice is harmless).
#ifndef VECDB_COLLECTION_SECONDARY_LOAD_H_
#define VECDB_COLLECTION_SECONDARY_LOAD_H_

#include <string>

#include "absl/status/statusor.h"
#include "collection/checkpoint.h"
#include "collection/collection_types.h"
#include "storage/rocks_store.h"

namespace vecdb {

struct LoadedSecondary {
  SecondaryIndexes indexes;
  // Whether the indexes came from the checkpoint, the write it covers, and
  // the op-log entries replayed after it.
  bool from_checkpoint = false;
  uint64_t checkpoint_seq = 0;
  uint64_t replayed_writes = 0;
  // Why the checkpoint was not used (empty when it was, or when the
  // collection is new).
  std::string fallback_reason;
};

// Step 1, which needs no graph and may run beside its load: the indexes
// from the checkpoint at `checkpoint_path` and the op log after it.
// FailedPrecondition for a data directory whose index entries are not
// complete yet; NotFound without a checkpoint; DataLoss if it is damaged,
// newer than `counters`, or the op log has a gap after it.
absl::StatusOr<LoadedSecondary> LoadSecondaryCheckpoint(
    const CollectionRecord& record, RocksStore* store,
    const CollectionCounters& counters, const std::string& checkpoint_path);

// Step 2: the indexes for the graph's live labels `ids` (the recovered
// label map; MetadataIndex::all() equals its labels): `from_checkpoint` if
// it loaded and indexes exactly those labels, else read from RocksDB's
// index entries (backfilled first when missing), with the reason logged
// and returned.
absl::StatusOr<LoadedSecondary> LoadSecondaryIndexes(
    const CollectionRecord& record, RocksStore* store, const LabelMap& ids,
    const CollectionCounters& counters,
    absl::StatusOr<LoadedSecondary> from_checkpoint);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_SECONDARY_LOAD_H_
