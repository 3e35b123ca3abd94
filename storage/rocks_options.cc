#include "storage/rocks_options.h"

#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace vecdb {

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options) {
  rocksdb::DBOptions db;
  db.create_if_missing = options.create_if_missing;
  db.create_missing_column_families = true;
  // The machine's cores are shared with graph building and serving.
  db.max_background_jobs = 2;
  // Smooths write-back of large SST files instead of one burst at the end.
  db.bytes_per_sync = 1u << 20;
  db.keep_log_file_num = 5;
  return db;
}

namespace {

rocksdb::ColumnFamilyOptions BaseCfOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, bool bloom) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Index and filter blocks live in the shared cache so that memory stays
  // bounded by block_cache_bytes; L0's are pinned as they are hit most.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Debian's RocksDB is built without hardware CRC32C, so block checksums
  // use XXH3, which is several times cheaper in software.
  table.checksum = rocksdb::kXXH3;
  if (bloom) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  rocksdb::ColumnFamilyOptions cf;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.level_compaction_dynamic_level_bytes = true;
  cf.compression = rocksdb::kLZ4Compression;
  return cf;
}

}  // namespace

std::vector<rocksdb::ColumnFamilyDescriptor> MakeColumnFamilies(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  // Memtables count towards the server's resident memory on top of the
  // graph, which already holds every vector: 8 MiB (two per family at
  // most) keeps that overhead small while batching flushes well.
  constexpr size_t kSmallBuffer = 4u << 20;
  constexpr size_t kLargeBuffer = 8u << 20;

  rocksdb::ColumnFamilyOptions small = BaseCfOptions(cache, /*bloom=*/false);
  small.write_buffer_size = kSmallBuffer;

  // Point reads (MultiGet by id) are the hot path: a whole-key bloom filter
  // skips SST files without the id. Float vectors hardly compress (see
  // docs/on_disk_format.md for the measurement), so points are stored
  // uncompressed and compaction spends no CPU on them.
  rocksdb::ColumnFamilyOptions points = BaseCfOptions(cache, /*bloom=*/true);
  points.write_buffer_size = kLargeBuffer;
  points.compression = rocksdb::kNoCompression;

  rocksdb::ColumnFamilyOptions oplog = BaseCfOptions(cache, /*bloom=*/false);
  oplog.write_buffer_size = kLargeBuffer;

  return {
      {rocksdb::kDefaultColumnFamilyName, small},
      {kCollectionsCf, small},
      {kCountersCf, small},
      {kPointsCf, points},
      {kOplogCf, oplog},
  };
}

}  // namespace vecdb
