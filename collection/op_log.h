// Reading the op log back at open: the entries after a checkpoint, checked
// to run contiguously to the collection's last write, folded into what
// each label's writes since then amount to. Both the graph
// (collection/recovery.cc) and the secondary indexes
// (collection/secondary_load.cc) replay from it.
#ifndef VECDB_COLLECTION_OP_LOG_H_
#define VECDB_COLLECTION_OP_LOG_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "storage/rocks_store.h"

namespace vecdb {

// What the writes after a checkpoint did to one label. A label is never
// reused, so a delete is its last operation.
struct LabelChange {
  // The point id of its last upsert (empty once deleted).
  std::string id;
  bool deleted = false;
  // An upsert gave it a new vector (kUpsert, not only kMetadata).
  bool vector_changed = false;
};

struct FoldedOps {
  // Op-log entries read (writes after the checkpoint).
  uint64_t writes = 0;
  absl::flat_hash_map<uint64_t, LabelChange> labels;
};

// The entries of collection `cid` after `seq`, which must cover every write
// up to `last_seq`: DataLoss if `seq` is beyond it, on a gap, or if the log
// ends early.
absl::StatusOr<FoldedOps> FoldOpsAfter(RocksStore& store, uint32_t cid,
                                       uint64_t seq, uint64_t last_seq);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_OP_LOG_H_
