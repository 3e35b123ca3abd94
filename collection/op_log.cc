#include "collection/op_log.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vecdb {

absl::StatusOr<FoldedOps> FoldOpsAfter(RocksStore& store, uint32_t cid,
                                       uint64_t seq, uint64_t last_seq) {
  if (seq > last_seq) {
    return absl::DataLossError(absl::StrCat("checkpoint covers sequence ", seq,
                                            " but RocksDB ends at ", last_seq));
  }
  FoldedOps folded;
  uint64_t expected = seq + 1;
  VECDB_RETURN_IF_ERROR(store.ForEachOp(
      cid, seq, [&](uint64_t s, std::vector<Op>&& ops) {
        if (s != expected) {
          return absl::DataLossError(absl::StrCat(
              "op log gap: expected sequence ", expected, ", found ", s));
        }
        ++expected;
        ++folded.writes;
        for (Op& op : ops) {
          LabelChange& change = folded.labels[op.label];
          if (op.kind == OpKind::kDelete) {
            change.deleted = true;
            change.id.clear();
          } else {
            change.id = std::move(op.id);
            change.vector_changed |= op.kind == OpKind::kUpsert;
          }
        }
        return absl::OkStatus();
      }));
  if (expected != last_seq + 1) {
    return absl::DataLossError(absl::StrCat("op log ends at ", expected - 1,
                                            ", RocksDB at ", last_seq));
  }
  return folded;
}

}  // namespace vecdb
