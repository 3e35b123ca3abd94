#include "storage/wal_recovery.h"

#include <algorithm>

#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/rocks_options.h"

namespace vecdb {
namespace {

// Collects the op-log keys of one batch; ignores everything else.
class OpKeys final : public rocksdb::WriteBatch::Handler {
 public:
  OpKeys(uint32_t oplog_cf, absl::flat_hash_map<uint32_t, uint64_t>* last)
      : oplog_cf_(oplog_cf), last_(last) {}

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice&) override {
    if (cf != oplog_cf_) return rocksdb::Status::OK();
    const std::string_view op_key(key.data(), key.size());
    const auto seq = storage_keys::SeqFromOpKey(op_key);
    if (!seq.has_value()) return rocksdb::Status::OK();
    uint64_t& last = (*last_)[*storage_keys::CidFromKey(op_key)];
    last = std::max(last, *seq);
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t, const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&,
                                const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&,
                          const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }

 private:
  const uint32_t oplog_cf_;
  absl::flat_hash_map<uint32_t, uint64_t>* const last_;
};

}  // namespace

void WalObserver::ColumnFamilyLogNumberMap(
    const std::map<uint32_t, uint64_t>&,
    const std::map<std::string, uint32_t>& cf_name_id_map) {
  auto it = cf_name_id_map.find(kOplogCf);
  if (it != cf_name_id_map.end()) oplog_cf_ = it->second;
}

rocksdb::WalFilter::WalProcessingOption WalObserver::LogRecordFound(
    unsigned long long, const std::string&, const rocksdb::WriteBatch& batch,
    rocksdb::WriteBatch*, bool* batch_changed) {
  *batch_changed = false;
  ++records_;
  OpKeys keys(oplog_cf_, &last_ops_);
  // A batch this store did not write is replayed untouched.
  batch.Iterate(&keys).PermitUncheckedError();
  return WalProcessingOption::kContinueProcessing;
}

}  // namespace vecdb
