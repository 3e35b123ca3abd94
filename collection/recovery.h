// Recovery: brings a collection's graph up to date with RocksDB when the
// engine opens.
//
//   1. Load the checkpoint (collection/checkpoint.h) and replay the op-log
//      entries after its sequence number.
//   2. If the checkpoint is missing, corrupt, written for another
//      collection, newer than RocksDB, or the op log has a gap after it,
//      rebuild the graph from the point records instead, and write a fresh
//      checkpoint. The reason is logged to stderr.
#ifndef VECDB_COLLECTION_RECOVERY_H_
#define VECDB_COLLECTION_RECOVERY_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "collection/checkpoint.h"
#include "collection/collection.h"
#include "storage/rocks_store.h"

namespace vecdb {

// The collection's recovery() says how its graph was obtained.
absl::StatusOr<std::shared_ptr<Collection>> RecoverCollection(
    const CollectionRecord& record, RocksStore* store,
    const std::string& checkpoint_path, const IndexOptions& index_options);

// What the open of `wal` means for collection `cid`, whose counters say
// `last_seq`: empty when the WAL was intact, else the last write recovered
// and the acknowledged writes lost (CollectionInfo::wal_recovery).
std::string WalRecoveryNote(const WalRecovery& wal, uint32_t cid,
                            uint64_t last_seq);

// Index options for a collection's graph: `engine_wide` (threads,
// priority, fault injection) with the record's dimension, metric and HNSW
// parameters.
IndexOptions IndexOptionsFor(const CollectionRecord& record,
                             IndexOptions engine_wide = {});

// A graph and label map built from every point record of the collection
// (a scan of RocksDB), covering counters.last_seq.
absl::StatusOr<LoadedCheckpoint> RebuildFromStore(
    const CollectionRecord& record, RocksStore* store,
    const IndexOptions& options, const CollectionCounters& counters);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_RECOVERY_H_
