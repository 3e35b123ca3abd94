// Graph checkpoint files: one per collection, <data>/indexes/<cid>.ckpt.
//
// A checkpoint holds the serialised HNSW index, the label -> point id map
// and the sequence number of the last write it contains. It is written to
// "<path>.tmp", fsynced, renamed over <path>, and the directory fsynced
// (storage/checksummed_file.h), so a crash leaves either the old or the new
// file. A CRC-32 over the whole
// file guards against torn or corrupted files. Byte layout:
// docs/on_disk_format.md, "Checkpoint files".
#ifndef VECDB_COLLECTION_CHECKPOINT_H_
#define VECDB_COLLECTION_CHECKPOINT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/checksummed_file.h"
#include "index/vector_index.h"
#include "storage/rocks_store.h"

namespace rocksdb {
class FileSystem;
}  // namespace rocksdb

namespace vecdb {

using LabelMap = absl::flat_hash_map<uint64_t, std::string>;

// Writes a checkpoint of `index` and `ids` covering writes up to `seq`;
// it replaces `path` once the caller commits it (PendingFile::Commit,
// which need not hold what kept them unchanged).
// REQUIRES: the caller keeps `index` and `ids` unchanged during the call.
absl::StatusOr<PendingFile> WriteCheckpoint(rocksdb::FileSystem& fs,
                                            const std::string& path,
                                            const CollectionRecord& record,
                                            uint64_t seq,
                                            const VectorIndex& index,
                                            const LabelMap& ids);

struct LoadedCheckpoint {
  uint64_t seq = 0;
  std::unique_ptr<VectorIndex> index;
  LabelMap ids;
};

// Reads and verifies a checkpoint. NotFound if there is no file; DataLoss
// if it is truncated, fails its checksum, or was written for a different
// collection (id, dimension, metric or HNSW parameters).
absl::StatusOr<LoadedCheckpoint> ReadCheckpoint(rocksdb::FileSystem& fs,
                                                const std::string& path,
                                                const CollectionRecord& record,
                                                const IndexOptions& options);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_CHECKPOINT_H_
