// WalObserver: sees every WAL record RocksDB replays when a store opens
// and notes, per collection, the last write (op-log sequence number) it
// holds. Internal to the storage layer (pulls in RocksDB headers).
//
// RocksStore::Open() uses it to tell a clean recovery from one that lost
// acknowledged writes: see docs/on_disk_format.md, "WAL recovery".
#ifndef VECDB_STORAGE_WAL_RECOVERY_H_
#define VECDB_STORAGE_WAL_RECOVERY_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "rocksdb/wal_filter.h"

namespace vecdb {

class WalObserver final : public rocksdb::WalFilter {
 public:
  // Last op-log sequence number per collection id, over the records seen.
  const absl::flat_hash_map<uint32_t, uint64_t>& last_ops() const {
    return last_ops_;
  }
  uint64_t records() const { return records_; }
  void Reset() {
    last_ops_.clear();
    records_ = 0;
  }

  void ColumnFamilyLogNumberMap(
      const std::map<uint32_t, uint64_t>& cf_lognumber_map,
      const std::map<std::string, uint32_t>& cf_name_id_map) override;
  WalProcessingOption LogRecordFound(unsigned long long log_number,
                                     const std::string& log_file_name,
                                     const rocksdb::WriteBatch& batch,
                                     rocksdb::WriteBatch* new_batch,
                                     bool* batch_changed) override;
  const char* Name() const override { return "vecdb.WalObserver"; }

 private:
  uint32_t oplog_cf_ = UINT32_MAX;
  absl::flat_hash_map<uint32_t, uint64_t> last_ops_;
  uint64_t records_ = 0;
};

}  // namespace vecdb

#endif  // VECDB_STORAGE_WAL_RECOVERY_H_
