// RocksDB options of a RocksStore: the tuning for this workload in one
// place (docs/on_disk_format.md lists every choice and why). Internal to the
// storage layer; only .cc files include it, as it pulls in RocksDB headers.
#ifndef VECDB_STORAGE_ROCKS_OPTIONS_H_
#define VECDB_STORAGE_ROCKS_OPTIONS_H_

#include <memory>
#include <vector>

#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/rocks_store.h"

namespace vecdb {

// Column family names; MakeColumnFamilies() returns them in this order,
// default first.
inline constexpr char kCollectionsCf[] = "collections";
inline constexpr char kCountersCf[] = "counters";
inline constexpr char kPointsCf[] = "points";
inline constexpr char kOplogCf[] = "oplog";
inline constexpr char kMetaIndexCf[] = "meta_index";
inline constexpr char kTextIndexCf[] = "text_index";

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options);

// Descriptors of default, collections, counters, points, oplog, meta_index
// and text_index, in that order, all sharing `block_cache`. Families missing
// from an existing database are created on open (MakeDbOptions sets
// create_missing_column_families).
std::vector<rocksdb::ColumnFamilyDescriptor> MakeColumnFamilies(
    const std::shared_ptr<rocksdb::Cache>& block_cache);

}  // namespace vecdb

#endif  // VECDB_STORAGE_ROCKS_OPTIONS_H_
