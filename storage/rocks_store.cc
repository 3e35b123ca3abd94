#include "storage/rocks_store.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/write_batch.h"
#include "storage/file_system.h"
#include "storage/index_keys.h"
#include "storage/keys.h"
#include "storage/point_codec.h"
#include "storage/rocks_options.h"
#include "storage/rocks_status.h"
#include "storage/wal_recovery.h"

namespace vecdb {
namespace {

namespace keys = storage_keys;

// The value of a collection's index_entries_complete marker.
constexpr std::string_view kIndexEntriesCompleteValue = "\x01";

// Adds where a corrupt value was found to a codec's DataLoss status.
absl::Status WithLocation(absl::Status s, uint32_t cid, std::string_view id) {
  if (s.ok()) return s;
  return absl::Status(
      s.code(), absl::StrCat(s.message(), " (collection ", cid, ", key \"",
                             absl::CHexEscape(AsAbsl(id)), "\")"));
}

class RocksStoreImpl final : public RocksStore {
 public:
  RocksStoreImpl(std::shared_ptr<rocksdb::FileSystem> fs,
                 std::unique_ptr<rocksdb::Env> env,
                 std::unique_ptr<rocksdb::DB> db,
                 std::vector<rocksdb::ColumnFamilyHandle*> handles,
                 const StoreOptions& options,
                 std::unique_ptr<WalObserver> observer, WalRecovery recovery)
      : fs_(std::move(fs)),
        env_(std::move(env)),
        observer_(std::move(observer)),
        recovery_(std::move(recovery)),
        db_(std::move(db)),
        handles_(std::move(handles)),
        default_(handles_[0]),
        collections_(handles_[1]),
        counters_(handles_[2]),
        points_(handles_[3]),
        oplog_(handles_[4]),
        meta_index_(handles_[5]),
        text_index_(handles_[6]) {
    write_options_.sync = options.sync_writes;
    metadata_write_options_.sync = true;
  }

  ~RocksStoreImpl() override {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    // Close() releases the directory lock; its error cannot be reported
    // from a destructor, and the WAL already holds every committed write.
    db_->Close().PermitUncheckedError();
  }

  absl::StatusOr<std::vector<CollectionRecord>> ListCollections() override;
  absl::StatusOr<CollectionRecord> CreateCollection(
      CollectionRecord record) override;
  absl::Status DropCollection(const CollectionRecord& record) override;
  absl::StatusOr<CollectionCounters> ReadCounters(uint32_t cid) override;
  absl::Status CommitAll(
      uint32_t cid,
      absl::Span<const PointWriteBatch* const> batches) override;
  absl::StatusOr<std::vector<std::optional<StoredPoint>>> MultiGet(
      uint32_t cid, absl::Span<const std::string> ids,
      const PointFields& fields) override;
  absl::Status Scan(uint32_t cid, std::string_view start_after, size_t limit,
                    const PointFields& fields, const PointVisitor& fn) override;
  absl::Status ForEachOp(uint32_t cid, uint64_t after_seq,
                         const OpVisitor& fn) override;
  absl::Status LoadIndexEntries(uint32_t cid,
                                const IndexEntryVisitor& visitor) override;
  absl::StatusOr<bool> IndexEntriesComplete(uint32_t cid) override;
  absl::Status MarkIndexEntriesComplete(uint32_t cid) override;
  absl::Status TrimOps(uint32_t cid, uint64_t upto_seq) override;
  absl::Status Flush() override;
  absl::Status SyncWal() override;
  const WalRecovery& wal_recovery() const override { return recovery_; }
  rocksdb::FileSystem& file_system() const override { return *fs_; }

 private:
  // Adds one write's points, index entries, op-log entry and counters.
  absl::Status AddBatch(uint32_t cid, const std::string& prefix,
                        const PointWriteBatch& batch, rocksdb::WriteBatch* wb,
                        const std::string& context);
  // Adds the secondary-index deletes, then the puts, of `batch` to `wb`.
  absl::Status AddIndexEntries(uint32_t cid, const PointWriteBatch& batch,
                               rocksdb::WriteBatch* wb,
                               std::string_view context);
  absl::Status LoadMetadataEntries(
      uint32_t cid, const std::function<void(MetadataEntry&&)>& fn);
  absl::Status LoadTextEntries(uint32_t cid, const IndexEntryVisitor& visitor);
  // Reads the record of `name` into `*record`; NotFound if absent.
  absl::Status ReadRecord(std::string_view name, CollectionRecord* record);
  absl::StatusOr<uint32_t> ReadNextCollectionId();
  // Every write goes through here. A write that fails with an I/O error
  // leaves RocksDB refusing writes (a background error); the next write
  // tries Resume(), which clears errors RocksDB can recover from in
  // place. A failed write-ahead-log append or sync it cannot (RocksDB
  // 7.8 treats it as fatal): writes then fail with Unavailable, naming the
  // first error, until the store is reopened; reads go on.
  absl::Status Write(const rocksdb::WriteOptions& options,
                     rocksdb::WriteBatch* batch, const std::string& context);

  // The DB's options point at the environment and the observer: they
  // outlive the DB.
  const std::shared_ptr<rocksdb::FileSystem> fs_;
  const std::unique_ptr<rocksdb::Env> env_;
  const std::unique_ptr<WalObserver> observer_;
  const WalRecovery recovery_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* const default_;
  rocksdb::ColumnFamilyHandle* const collections_;
  rocksdb::ColumnFamilyHandle* const counters_;
  rocksdb::ColumnFamilyHandle* const points_;
  rocksdb::ColumnFamilyHandle* const oplog_;
  rocksdb::ColumnFamilyHandle* const meta_index_;
  rocksdb::ColumnFamilyHandle* const text_index_;
  rocksdb::WriteOptions write_options_;
  // Collection creation and drop are rare and always synced.
  rocksdb::WriteOptions metadata_write_options_;
  // Set by a write that failed with an I/O error; the next write resumes
  // the database first (Write()).
  std::mutex resume_mu_;
  bool needs_resume_ = false;  // guarded by resume_mu_
  std::string write_error_;    // guarded by resume_mu_: the failure
  // Serialises CreateCollection and DropCollection (name check, id
  // allocation and write must not interleave).
  std::mutex collections_mu_;
};

// --- Collections -------------------------------------------------------------

absl::StatusOr<std::vector<CollectionRecord>>
RocksStoreImpl::ListCollections() {
  std::vector<CollectionRecord> records;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), collections_));
  // Keys are names, so iteration order is bytewise name order.
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    CollectionRecord record;
    VECDB_RETURN_IF_ERROR(WithLocation(
        DecodeCollectionRecord(it->value().ToStringView(), &record), 0,
        it->key().ToStringView()));
    records.push_back(std::move(record));
  }
  VECDB_RETURN_IF_ERROR(FromRocks(it->status(), "list collections"));
  return records;
}

absl::Status RocksStoreImpl::ReadRecord(std::string_view name,
                                        CollectionRecord* record) {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), collections_, name, &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("collection \"", AsAbsl(name), "\" not found"));
  }
  VECDB_RETURN_IF_ERROR(FromRocks(s, "read collection record"));
  return DecodeCollectionRecord(value, record);
}

absl::StatusOr<uint32_t> RocksStoreImpl::ReadNextCollectionId() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), default_,
                               keys::kNextCollectionIdKey, &value);
  if (s.IsNotFound()) return 1;
  VECDB_RETURN_IF_ERROR(FromRocks(s, "read next collection id"));
  uint32_t id = 0;
  VECDB_RETURN_IF_ERROR(DecodeCollectionId(value, &id));
  return id;
}

absl::StatusOr<CollectionRecord> RocksStoreImpl::CreateCollection(
    CollectionRecord record) {
  std::lock_guard<std::mutex> lock(collections_mu_);
  CollectionRecord existing;
  absl::Status found = ReadRecord(record.name, &existing);
  if (found.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("collection \"", record.name, "\" already exists"));
  }
  if (!absl::IsNotFound(found)) return found;

  VECDB_ASSIGN_OR_RETURN(uint32_t id, ReadNextCollectionId());
  if (id == 0 || id > keys::kMaxCollectionId) {
    return absl::ResourceExhaustedError(
        "no collection ids left in this data directory");
  }
  record.id = id;
  rocksdb::WriteBatch batch;
  VECDB_RETURN_IF_ERROR(FromRocks(
      batch.Put(collections_, record.name, EncodeCollectionRecord(record)),
      "create collection"));
  VECDB_RETURN_IF_ERROR(
      FromRocks(batch.Put(counters_, keys::CollectionPrefix(id),
                          EncodeCounters(CollectionCounters())),
                "create collection"));
  VECDB_RETURN_IF_ERROR(
      FromRocks(batch.Put(default_, keys::kNextCollectionIdKey,
                          EncodeCollectionId(id + 1)),
                "create collection"));
  VECDB_RETURN_IF_ERROR(
      FromRocks(batch.Put(default_, keys::IndexEntriesCompleteKey(id),
                          kIndexEntriesCompleteValue),
                "create collection"));
  VECDB_RETURN_IF_ERROR(
      Write(metadata_write_options_, &batch, "create collection"));
  return record;
}

absl::Status RocksStoreImpl::DropCollection(const CollectionRecord& record) {
  std::lock_guard<std::mutex> lock(collections_mu_);
  CollectionRecord stored;
  VECDB_RETURN_IF_ERROR(ReadRecord(record.name, &stored));
  if (stored.id != record.id) {
    return absl::NotFoundError(absl::StrCat(
        "collection \"", record.name, "\" with id ", record.id, " not found"));
  }
  const std::string begin = keys::CollectionPrefix(record.id);
  const std::string end = keys::CollectionEnd(record.id);
  rocksdb::WriteBatch batch;
  std::string context = absl::StrCat("drop collection ", record.id);
  VECDB_RETURN_IF_ERROR(
      FromRocks(batch.Delete(collections_, record.name), context));
  VECDB_RETURN_IF_ERROR(FromRocks(batch.Delete(counters_, begin), context));
  VECDB_RETURN_IF_ERROR(FromRocks(
      batch.Delete(default_, keys::IndexEntriesCompleteKey(record.id)),
      context));
  for (rocksdb::ColumnFamilyHandle* cf :
       {points_, oplog_, meta_index_, text_index_}) {
    VECDB_RETURN_IF_ERROR(
        FromRocks(batch.DeleteRange(cf, begin, end), context));
  }
  VECDB_RETURN_IF_ERROR(Write(metadata_write_options_, &batch, context));

  // Range tombstones hide the keys at once but free no space until
  // compaction drops what they cover; force it over just these ranges.
  rocksdb::CompactRangeOptions compact;
  compact.exclusive_manual_compaction = false;
  compact.bottommost_level_compaction =
      rocksdb::BottommostLevelCompaction::kForceOptimized;
  rocksdb::Slice begin_slice(begin), end_slice(end);
  for (rocksdb::ColumnFamilyHandle* cf :
       {points_, oplog_, meta_index_, text_index_}) {
    VECDB_RETURN_IF_ERROR(FromRocks(
        db_->CompactRange(compact, cf, &begin_slice, &end_slice), context));
  }
  return absl::OkStatus();
}

absl::StatusOr<CollectionCounters> RocksStoreImpl::ReadCounters(uint32_t cid) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), counters_,
                               keys::CollectionPrefix(cid), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("no counters for collection ", cid));
  }
  VECDB_RETURN_IF_ERROR(FromRocks(s, "read counters"));
  CollectionCounters counters;
  VECDB_RETURN_IF_ERROR(DecodeCounters(value, &counters));
  return counters;
}

// --- Points -----------------------------------------------------------------

absl::Status RocksStoreImpl::CommitAll(
    uint32_t cid, absl::Span<const PointWriteBatch* const> batches) {
  const std::string prefix = keys::CollectionPrefix(cid);
  size_t reserve = 256;
  for (const PointWriteBatch* batch : batches) {
    for (const auto& put : batch->puts()) {
      reserve += 24 + prefix.size() + put.id.size() + put.encoded.size();
    }
    for (const auto& id : batch->deletes()) {
      reserve += 16 + prefix.size() + id.size();
    }
  }
  rocksdb::WriteBatch wb(reserve);
  const std::string context = absl::StrCat("commit to collection ", cid);
  for (const PointWriteBatch* batch : batches) {
    VECDB_RETURN_IF_ERROR(AddBatch(cid, prefix, *batch, &wb, context));
  }
  return Write(write_options_, &wb, context);
}

absl::Status RocksStoreImpl::Write(const rocksdb::WriteOptions& options,
                                   rocksdb::WriteBatch* batch,
                                   const std::string& context) {
  {
    std::lock_guard<std::mutex> lock(resume_mu_);
    if (needs_resume_) {
      const rocksdb::Status resumed = db_->Resume();
      if (!resumed.ok()) {
        return absl::UnavailableError(absl::StrCat(
            context, ": writes are stopped since an I/O error (",
            write_error_, "); reads go on; restart once its cause is fixed (",
            resumed.ToString(), ")"));
      }
      needs_resume_ = false;
    }
  }
  const rocksdb::Status s = db_->Write(options, batch);
  if (s.IsIOError()) {
    std::lock_guard<std::mutex> lock(resume_mu_);
    if (!needs_resume_) write_error_ = s.ToString();
    needs_resume_ = true;
  }
  return FromRocks(s, context);
}

absl::Status RocksStoreImpl::AddBatch(uint32_t cid, const std::string& prefix,
                                      const PointWriteBatch& batch,
                                      rocksdb::WriteBatch* wb,
                                      const std::string& context) {
  // Deletes go first so that a put of the same id in this batch wins.
  for (const std::string& id : batch.deletes()) {
    rocksdb::Slice parts[2] = {prefix, id};
    VECDB_RETURN_IF_ERROR(
        FromRocks(wb->Delete(points_, rocksdb::SliceParts(parts, 2)), context));
  }
  for (const auto& put : batch.puts()) {
    // SliceParts lets the batch copy prefix + id without building the key.
    rocksdb::Slice key_parts[2] = {prefix, put.id};
    rocksdb::Slice value(put.encoded);
    VECDB_RETURN_IF_ERROR(
        FromRocks(wb->Put(points_, rocksdb::SliceParts(key_parts, 2),
                          rocksdb::SliceParts(&value, 1)),
                  context));
  }
  VECDB_RETURN_IF_ERROR(AddIndexEntries(cid, batch, wb, context));
  if (!batch.ops().empty()) {
    VECDB_RETURN_IF_ERROR(FromRocks(
        wb->Put(oplog_, keys::OpKey(cid, batch.seq()), EncodeOps(batch.ops())),
        context));
  }
  if (batch.counters()) {
    VECDB_RETURN_IF_ERROR(FromRocks(
        wb->Put(counters_, prefix, EncodeCounters(*batch.counters())),
        context));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::optional<StoredPoint>>>
RocksStoreImpl::MultiGet(uint32_t cid, absl::Span<const std::string> ids,
                         const PointFields& fields) {
  const size_t n = ids.size();
  std::vector<std::string> keys(n);
  std::vector<rocksdb::Slice> slices(n);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = keys::PointKey(cid, ids[i]);
    slices[i] = keys[i];
  }
  std::vector<rocksdb::PinnableSlice> values(n);
  std::vector<rocksdb::Status> statuses(n);
  db_->MultiGet(rocksdb::ReadOptions(), points_, n, slices.data(),
                values.data(), statuses.data());

  std::vector<std::optional<StoredPoint>> points(n);
  for (size_t i = 0; i < n; ++i) {
    if (statuses[i].IsNotFound()) continue;
    VECDB_RETURN_IF_ERROR(
        FromRocks(statuses[i], absl::StrCat("read collection ", cid)));
    VECDB_RETURN_IF_ERROR(WithLocation(
        DecodePoint(values[i].ToStringView(), fields, &points[i].emplace()),
        cid, ids[i]));
  }
  return points;
}

absl::Status RocksStoreImpl::Scan(uint32_t cid, std::string_view start_after,
                                  size_t limit, const PointFields& fields,
                                  const PointVisitor& fn) {
  const std::string upper = keys::CollectionEnd(cid);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, points_));

  // The smallest key strictly after `start_after` is start_after + '\0'.
  std::string start = keys::PointKey(cid, start_after);
  if (!start_after.empty()) start.push_back('\0');
  size_t visited = 0;
  for (it->Seek(start); it->Valid() && visited < limit; it->Next()) {
    std::string_view id = keys::PointIdFromKey(it->key().ToStringView());
    StoredPoint point;
    VECDB_RETURN_IF_ERROR(WithLocation(
        DecodePoint(it->value().ToStringView(), fields, &point), cid, id));
    ++visited;
    if (!fn(id, std::move(point))) break;
  }
  return FromRocks(it->status(), absl::StrCat("scan collection ", cid));
}

// --- Secondary-index entries ------------------------------------------------

absl::Status RocksStoreImpl::AddIndexEntries(uint32_t cid,
                                             const PointWriteBatch& batch,
                                             rocksdb::WriteBatch* wb,
                                             std::string_view context) {
  // A replaced point lists its old entries as deletes and its new ones as
  // puts. Every delete goes first, so an entry in both ends up present.
  // Metadata and term keys carry their entry's own label; the document
  // length is keyed by the point's label.
  for (const PointIndexEntries& entries : batch.index_deletes()) {
    for (const MetadataEntry& entry : entries.metadata) {
      VECDB_RETURN_IF_ERROR(
          FromRocks(wb->Delete(meta_index_, keys::MetadataIndexKey(cid, entry)),
                    context));
    }
    for (const TermEntry& entry : entries.terms) {
      VECDB_RETURN_IF_ERROR(FromRocks(
          wb->Delete(text_index_, keys::TermKey(cid, entry.term, entry.label)),
          context));
    }
    if (entries.document_length) {
      VECDB_RETURN_IF_ERROR(FromRocks(
          wb->Delete(text_index_, keys::DocumentLengthKey(cid, entries.label)),
          context));
    }
  }
  for (const PointIndexEntries& entries : batch.index_puts()) {
    for (const MetadataEntry& entry : entries.metadata) {
      VECDB_RETURN_IF_ERROR(FromRocks(
          wb->Put(meta_index_, keys::MetadataIndexKey(cid, entry), ""),
          context));
    }
    for (const TermEntry& entry : entries.terms) {
      VECDB_RETURN_IF_ERROR(FromRocks(
          wb->Put(text_index_, keys::TermKey(cid, entry.term, entry.label),
                  keys::EncodeTextIndexValue(entry.frequency)),
          context));
    }
    if (entries.document_length) {
      VECDB_RETURN_IF_ERROR(FromRocks(
          wb->Put(text_index_, keys::DocumentLengthKey(cid, entries.label),
                  keys::EncodeTextIndexValue(*entries.document_length)),
          context));
    }
  }
  return absl::OkStatus();
}

absl::Status RocksStoreImpl::LoadIndexEntries(
    uint32_t cid, const IndexEntryVisitor& visitor) {
  if (visitor.metadata) {
    VECDB_RETURN_IF_ERROR(LoadMetadataEntries(cid, visitor.metadata));
  }
  if (visitor.term || visitor.document_length) {
    VECDB_RETURN_IF_ERROR(LoadTextEntries(cid, visitor));
  }
  return absl::OkStatus();
}

// Both index families have a 4-byte prefix extractor (rocks_options.cc):
// prefix_same_as_start keeps an iterator seeked into a collection inside
// that collection and lets the prefix bloom filters skip SST files.
absl::Status RocksStoreImpl::LoadMetadataEntries(
    uint32_t cid, const std::function<void(MetadataEntry&&)>& fn) {
  rocksdb::ReadOptions read_options;
  read_options.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, meta_index_));
  for (it->Seek(keys::CollectionPrefix(cid)); it->Valid(); it->Next()) {
    uint32_t key_cid = 0;
    MetadataEntry entry;
    VECDB_RETURN_IF_ERROR(keys::DecodeMetadataIndexKey(it->key().ToStringView(),
                                                       &key_cid, &entry));
    if (!it->value().empty()) {
      return absl::DataLossError(
          absl::StrCat("corrupt meta_index value of collection ", cid, ": ",
                       it->value().size(), " bytes instead of none"));
    }
    fn(std::move(entry));
  }
  return FromRocks(it->status(), absl::StrCat("load metadata index of ", cid));
}

absl::Status RocksStoreImpl::LoadTextEntries(uint32_t cid,
                                             const IndexEntryVisitor& visitor) {
  rocksdb::ReadOptions read_options;
  read_options.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, text_index_));
  // Term keys sort before document-length keys; skip them when unwanted.
  const keys::TextKeyKind first = visitor.term
                                      ? keys::TextKeyKind::kTerm
                                      : keys::TextKeyKind::kDocumentLength;
  for (it->Seek(keys::TextKindPrefix(cid, first)); it->Valid(); it->Next()) {
    keys::TextIndexKey key;
    VECDB_RETURN_IF_ERROR(
        keys::DecodeTextIndexKey(it->key().ToStringView(), &key));
    uint32_t value = 0;
    VECDB_RETURN_IF_ERROR(WithLocation(
        keys::DecodeTextIndexValue(it->value().ToStringView(), &value), cid,
        it->key().ToStringView()));
    if (key.kind == keys::TextKeyKind::kTerm) {
      if (visitor.term) {
        visitor.term(TermEntry{std::move(key.term), key.label, value});
      }
    } else if (visitor.document_length) {
      visitor.document_length(key.label, value);
    }
  }
  return FromRocks(it->status(), absl::StrCat("load text index of ", cid));
}

absl::StatusOr<bool> RocksStoreImpl::IndexEntriesComplete(uint32_t cid) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), default_,
                               keys::IndexEntriesCompleteKey(cid), &value);
  if (s.IsNotFound()) return false;
  VECDB_RETURN_IF_ERROR(
      FromRocks(s, absl::StrCat("read index marker of ", cid)));
  if (value != kIndexEntriesCompleteValue) {
    return absl::DataLossError(
        absl::StrCat("corrupt index_entries_complete marker of collection ",
                     cid, ": \"", absl::CHexEscape(value), "\""));
  }
  return true;
}

absl::Status RocksStoreImpl::MarkIndexEntriesComplete(uint32_t cid) {
  rocksdb::WriteBatch batch;
  VECDB_RETURN_IF_ERROR(FromRocks(
      batch.Put(default_, keys::IndexEntriesCompleteKey(cid),
                rocksdb::Slice(kIndexEntriesCompleteValue.data(),
                               kIndexEntriesCompleteValue.size())),
      "mark index entries complete"));
  return Write(metadata_write_options_, &batch,
               absl::StrCat("mark index entries of ", cid, " complete"));
}

// --- Op log -----------------------------------------------------------------

absl::Status RocksStoreImpl::ForEachOp(uint32_t cid, uint64_t after_seq,
                                       const OpVisitor& fn) {
  if (after_seq == std::numeric_limits<uint64_t>::max()) {
    return absl::OkStatus();
  }
  const std::string upper = keys::CollectionEnd(cid);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, oplog_));
  for (it->Seek(keys::OpKey(cid, after_seq + 1)); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    std::optional<uint64_t> seq = keys::SeqFromOpKey(key);
    if (!seq) {
      return absl::DataLossError(absl::StrCat(
          "corrupt op-log key \"", absl::CHexEscape(AsAbsl(key)), "\""));
    }
    std::vector<Op> ops;
    VECDB_RETURN_IF_ERROR(
        WithLocation(DecodeOps(it->value().ToStringView(), &ops), cid, key));
    VECDB_RETURN_IF_ERROR(fn(*seq, std::move(ops)));
  }
  return FromRocks(it->status(), absl::StrCat("read op log of ", cid));
}

absl::Status RocksStoreImpl::TrimOps(uint32_t cid, uint64_t upto_seq) {
  const std::string begin = keys::CollectionPrefix(cid);
  const std::string end = upto_seq == std::numeric_limits<uint64_t>::max()
                              ? keys::CollectionEnd(cid)
                              : keys::OpKey(cid, upto_seq + 1);
  const std::string context = absl::StrCat("trim op log of ", cid);
  rocksdb::WriteBatch batch;
  VECDB_RETURN_IF_ERROR(
      FromRocks(batch.DeleteRange(oplog_, begin, end), context));
  return Write(write_options_, &batch, context);
}

absl::Status RocksStoreImpl::SyncWal() {
  // A synced empty write, not FlushWAL(): it queues behind the writes in
  // flight, so it sees a WAL that one of them failed (and resumes, in
  // Write()) instead of syncing a file writer with an earlier error, which
  // RocksDB asserts against.
  rocksdb::WriteOptions synced;
  synced.sync = true;
  rocksdb::WriteBatch empty;
  return Write(synced, &empty, "sync WAL");
}

absl::Status RocksStoreImpl::Flush() {
  VECDB_RETURN_IF_ERROR(SyncWal());
  rocksdb::FlushOptions options;
  options.wait = true;
  return FromRocks(db_->Flush(options, handles_), "flush memtables");
}

}  // namespace

// --- PointWriteBatch --------------------------------------------------------

void PointWriteBatch::PutPoint(std::string_view id, const StoredPoint& point) {
  puts_.push_back(Put{std::string(id), EncodePoint(point)});
}

void PointWriteBatch::DeletePoint(std::string_view id) {
  deletes_.emplace_back(id);
}

void PointWriteBatch::SetOps(uint64_t seq, std::vector<Op> ops) {
  seq_ = seq;
  ops_ = std::move(ops);
}

void PointWriteBatch::SetCounters(const CollectionCounters& counters) {
  counters_ = counters;
}

void PointWriteBatch::PutIndexEntries(const PointIndexEntries& entries) {
  index_puts_.push_back(entries);
}

void PointWriteBatch::DeleteIndexEntries(const PointIndexEntries& entries) {
  index_deletes_.push_back(entries);
}

// --- Open -------------------------------------------------------------------

namespace {

// Notes in `recovery` the last write of each collection that the damaged
// WAL holds anywhere, from a read-only replay that skips damaged records.
void RecoverPastDamage(
    rocksdb::DBOptions db_options, const std::string& dir,
    const std::vector<rocksdb::ColumnFamilyDescriptor>& families,
    WalObserver* observer, WalRecovery* recovery) {
  observer->Reset();
  db_options.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(db_options, dir, families, &handles, &db)
           .ok()) {
    return;  // what lies past the damage stays unknown
  }
  for (const auto& [cid, seq] : observer->last_ops()) {
    recovery->collections[cid].seen = seq;
  }
  for (rocksdb::ColumnFamilyHandle* h : handles) {
    db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  db->Close().PermitUncheckedError();
  delete db;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksStore>> RocksStore::Open(
    const std::string& dir, const StoreOptions& options) {
  const std::string context = absl::StrCat("open ", dir);
  std::shared_ptr<rocksdb::FileSystem> fs =
      options.file_system != nullptr ? options.file_system : DefaultFileSystem();
  if (!options.create_if_missing) {
    if (fs->FileExists(dir, rocksdb::IOOptions(), nullptr).IsNotFound()) {
      return absl::NotFoundError(
          absl::StrCat(context, ": data directory does not exist"));
    }
  } else {
    // RocksDB syncs the directory for the files it creates in it, not the
    // directory's own entry in its parent.
    VECDB_RETURN_IF_ERROR(CreateDirectoryDurably(*fs, dir));
  }
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);

  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(options.block_cache_bytes);
  const std::vector<rocksdb::ColumnFamilyDescriptor> families =
      MakeColumnFamilies(cache);
  auto observer = std::make_unique<WalObserver>();
  rocksdb::DBOptions db_options = MakeDbOptions(options);
  db_options.env = env.get();
  db_options.wal_filter = observer.get();
  // A torn last record (a write cut off by a crash, never acknowledged) is
  // dropped silently; a damaged record anywhere else fails the open.
  db_options.wal_recovery_mode =
      rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status opened =
      rocksdb::DB::Open(db_options, dir, families, &handles, &raw_db);
  WalRecovery recovery;
  if (opened.IsCorruption()) {
    // Acknowledged writes follow the damage. Replay up to it (point in
    // time: what is kept is a prefix of what was acknowledged, so the
    // store stays consistent) and report what was lost.
    recovery.damage = opened.ToString();
    RecoverPastDamage(db_options, dir, families, observer.get(), &recovery);
    observer->Reset();
    db_options.wal_recovery_mode =
        rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    handles.clear();
    opened = rocksdb::DB::Open(db_options, dir, families, &handles, &raw_db);
  }
  VECDB_RETURN_IF_ERROR(FromRocks(opened, context));
  recovery.records = observer->records();
  for (const auto& [cid, seq] : observer->last_ops()) {
    WalRecovery::Writes& w = recovery.collections[cid];
    w.replayed = seq;
    w.seen = std::max(w.seen, seq);
  }
  return std::make_unique<RocksStoreImpl>(std::move(fs), std::move(env),
                                          std::unique_ptr<rocksdb::DB>(raw_db),
                                          std::move(handles), options,
                                          std::move(observer),
                                          std::move(recovery));
}

}  // namespace vecdb
