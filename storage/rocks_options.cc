#include "storage/rocks_options.h"

#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
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
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer builds only: no write groups. A group's leader copies
  // its followers' batches, handed over through RocksDB's own atomics,
  // which ThreadSanitizer cannot see in the uninstrumented library; the
  // copy is then reported as a race on the follower's memory, from
  // libstdc++ frames that no suppression can tell apart from ours. With a
  // 1-byte group limit every write is its own group.
  db.max_write_batch_group_size_bytes = 1;
#endif
  return db;
}

namespace {

// What a column family's bloom filter holds.
enum class Bloom {
  kNone,
  // Whole keys: skips SST files in point lookups.
  kWholeKey,
  // The 4-byte collection prefix only: skips SST files when iterating one
  // collection's range.
  kCollectionPrefix,
};

rocksdb::ColumnFamilyOptions BaseCfOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, Bloom bloom) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Index and filter blocks live in the shared cache so that memory stays
  // bounded by block_cache_bytes; L0's are pinned as they are hit most.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Debian's RocksDB is built without hardware CRC32C, so block checksums
  // use XXH3, which is several times cheaper in software.
  table.checksum = rocksdb::kXXH3;
  if (bloom != Bloom::kNone) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = bloom == Bloom::kWholeKey;
  }
  rocksdb::ColumnFamilyOptions cf;
  if (bloom == Bloom::kCollectionPrefix) {
    cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(4));
  }
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

  rocksdb::ColumnFamilyOptions small = BaseCfOptions(cache, Bloom::kNone);
  small.write_buffer_size = kSmallBuffer;

  // Point reads (MultiGet by id) are the hot path: a whole-key bloom filter
  // skips SST files without the id. Float vectors hardly compress (see
  // docs/on_disk_format.md for the measurement), so points are stored
  // uncompressed and compaction spends no CPU on them.
  rocksdb::ColumnFamilyOptions points = BaseCfOptions(cache, Bloom::kWholeKey);
  points.write_buffer_size = kLargeBuffer;
  points.compression = rocksdb::kNoCompression;

  rocksdb::ColumnFamilyOptions oplog = BaseCfOptions(cache, Bloom::kNone);
  oplog.write_buffer_size = kLargeBuffer;

  // The secondary-index families are only written and scanned one
  // collection at a time (never read by whole key), so their bloom filter
  // holds the 4-byte collection prefix: loading one collection skips SST
  // files that hold none of its keys.
  rocksdb::ColumnFamilyOptions index =
      BaseCfOptions(cache, Bloom::kCollectionPrefix);
  index.write_buffer_size = kLargeBuffer;

  return {
      {rocksdb::kDefaultColumnFamilyName, small},
      {kCollectionsCf, small},
      {kCountersCf, small},
      {kPointsCf, points},
      {kOplogCf, oplog},
      {kMetaIndexCf, index},
      {kTextIndexCf, index},
  };
}

}  // namespace vecdb
