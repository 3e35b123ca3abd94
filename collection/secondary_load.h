// Loading a collection's in-memory secondary indexes (metadata postings and
// the BM25 text index) from their RocksDB entries when the engine opens.
//
// A collection from a data directory that predates the entries (its
// "entries complete" marker is missing) is backfilled first: every point's
// entries are derived and written, in batches, then the marker is set. A
// crash during the backfill leaves the marker unset, so the next open
// backfills again (writing an entry twice is harmless).
#ifndef VECDB_COLLECTION_SECONDARY_LOAD_H_
#define VECDB_COLLECTION_SECONDARY_LOAD_H_

#include "absl/status/statusor.h"
#include "collection/checkpoint.h"
#include "collection/collection.h"
#include "storage/rocks_store.h"

namespace vecdb {

// `ids` holds every live label (the recovered label map): each becomes a
// member of MetadataIndex::all().
absl::StatusOr<SecondaryIndexes> LoadSecondaryIndexes(
    const CollectionRecord& record, RocksStore* store, const LabelMap& ids);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_SECONDARY_LOAD_H_
