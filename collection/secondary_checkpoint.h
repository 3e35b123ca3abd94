// Secondary-index checkpoint files: one per collection,
// <data>/indexes/<cid>.sec, beside the graph's <cid>.ckpt and written at
// the same sequence number. They hold the metadata postings and the BM25
// text index as they stood after write `seq`, so an open loads them
// instead of reading every index entry back from RocksDB.
//
// Written atomically and guarded by a CRC-32 (storage/checksummed_file.h).
// Byte layout: docs/on_disk_format.md, "Secondary-index checkpoints".
#ifndef VECDB_COLLECTION_SECONDARY_CHECKPOINT_H_
#define VECDB_COLLECTION_SECONDARY_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collection/collection_types.h"
#include "storage/checksummed_file.h"
#include "secondary/label_set.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace vecdb {

// "<dir>/<cid>.sec" for the graph checkpoint "<dir>/<cid>.ckpt".
std::string SecondaryCheckpointPath(const std::string& graph_checkpoint);

// Writes `indexes`, which hold every write up to `seq`, for collection
// `cid`; the file replaces `path` once the caller commits it.
// REQUIRES: the caller keeps `indexes` unchanged during the call.
absl::StatusOr<PendingFile> WriteSecondaryCheckpoint(
    rocksdb::FileSystem& fs, const std::string& path, uint32_t cid, uint64_t seq,
    const SecondaryIndexes& indexes);

// A verified checkpoint file whose sections are not parsed yet.
struct SecondaryCheckpoint {
  uint64_t seq = 0;
  FileContents contents;
  std::string_view metadata;  // MetadataIndex::Serialize()
  std::string_view text;      // TextIndex::Serialize()
};

// NotFound if there is no file; DataLoss if it is truncated, fails its
// checksum or belongs to another collection.
absl::StatusOr<SecondaryCheckpoint> ReadSecondaryCheckpoint(
    rocksdb::FileSystem& fs, const std::string& path, uint32_t cid);

// The indexes of `checkpoint`, without the labels in `drop` (those the op
// log says changed after checkpoint.seq). DataLoss if a section is damaged.
absl::StatusOr<SecondaryIndexes> ParseSecondaryCheckpoint(
    const SecondaryCheckpoint& checkpoint, const LabelSet& drop);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_SECONDARY_CHECKPOINT_H_
