#include "collection/collection.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "collection/checkpoint.h"
#include "collection/validation.h"
#include "common/status_macros.h"
#include "filter/filter_validation.h"
#include "filter/matcher.h"
#include "secondary/entries.h"

namespace vecdb {
namespace {

// Reads of existing records before a write: their label, and what their
// secondary-index entries were derived from.
constexpr PointFields kIndexedFields = {
    .vector = false, .metadata = true, .document = true};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Point ToPoint(std::string id, StoredPoint&& stored, const Include& include) {
  Point point;
  point.id = std::move(id);
  if (include.vector) point.vector = std::move(stored.vector);
  if (include.metadata) point.metadata = std::move(stored.metadata);
  if (include.document) point.document = std::move(stored.document);
  return point;
}

// A filtered Scroll with at most this many matches pages through their ids;
// with more it scans the records in id order.
constexpr uint64_t kScrollGatherMax = 65536;

PointFields FieldsFor(const Include& include) {
  return PointFields{.vector = include.vector,
                     .metadata = include.metadata,
                     .document = include.document};
}

}  // namespace

Collection::Collection(CollectionRecord record, RocksStore* store,
                       std::string checkpoint_path,
                       std::unique_ptr<VectorIndex> index,
                       absl::flat_hash_map<uint64_t, std::string> ids,
                       SecondaryIndexes secondary, CollectionCounters counters,
                       uint64_t checkpoint_seq)
    : record_(std::move(record)),
      store_(store),
      checkpoint_path_(std::move(checkpoint_path)),
      counters_(counters),
      index_(std::move(index)),
      ids_(std::move(ids)),
      secondary_(std::move(secondary)),
      applied_seq_(counters.last_seq),
      live_count_(counters.live_count),
      last_seq_(counters.last_seq),
      checkpoint_seq_(checkpoint_seq),
      last_checkpoint_ns_(NowNs()) {}

absl::Status Collection::CheckLive() const {
  if (dropped_.load(std::memory_order_acquire)) {
    return absl::NotFoundError(
        absl::StrCat("collection \"", record_.name, "\" was dropped"));
  }
  return absl::OkStatus();
}

CollectionInfo Collection::Info() const {
  CollectionInfo info;
  info.record = record_;
  info.count = live_count_.load();
  info.last_seq = last_seq_.load();
  info.checkpoint_seq = checkpoint_seq_.load();
  ReaderMutexLock lock(&index_mu_);
  info.index_slots = index_->Slots();
  info.index_deleted_slots = index_->DeletedSlots();
  info.index_memory_bytes = index_->MemoryBytes();
  return info;
}

uint64_t Collection::Count() const { return live_count_.load(); }

uint64_t Collection::OpsSinceCheckpoint() const {
  return ops_since_checkpoint_.load();
}

double Collection::SecondsSinceCheckpoint() const {
  return static_cast<double>(NowNs() - last_checkpoint_ns_.load()) / 1e9;
}

void Collection::MarkDropped() {
  MutexLock lock(&write_mu_);
  dropped_.store(true, std::memory_order_release);
}

absl::StatusOr<WriteResult> Collection::Upsert(std::vector<Point> points) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(
      ValidatePoints(points, record_.dimension, record_.metric));
  const size_t n = points.size();
  const size_t dim = record_.dimension;
  std::vector<std::string> ids(n);
  for (size_t i = 0; i < n; ++i) ids[i] = points[i].id;

  // Everything the in-memory structures need is gathered before the
  // commit, so that only their update happens under the index lock.
  AppliedWrite write;
  write.add_labels.resize(n);
  write.add_vectors.resize(n * dim);
  {
    MutexLock lock(&write_mu_);
    VECDB_RETURN_IF_ERROR(CheckLive());
    VECDB_ASSIGN_OR_RETURN(auto existing,
                           store_->MultiGet(record_.id, ids, kIndexedFields));
    CollectionCounters counters = counters_;
    PointWriteBatch batch;
    std::vector<Op> ops;
    ops.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      Point& p = points[i];
      StoredPoint stored;
      bool same_entries = false;
      if (existing[i].has_value()) {
        stored.label = existing[i]->label;
        same_entries = existing[i]->metadata == p.metadata &&
                       existing[i]->document == p.document;
        if (!same_entries) {
          write.old_entries.push_back(EntriesFor(
              stored.label, existing[i]->metadata, existing[i]->document));
          batch.DeleteIndexEntries(write.old_entries.back());
        }
      } else {
        stored.label = counters.next_label++;
        ++counters.live_count;
        write.new_ids.emplace_back(stored.label, p.id);
      }
      if (!same_entries) {
        write.new_entries.push_back(
            EntriesFor(stored.label, p.metadata, p.document));
        batch.PutIndexEntries(write.new_entries.back());
      }
      write.add_labels[i] = stored.label;
      std::memcpy(write.add_vectors.data() + i * dim, p.vector.data(),
                  dim * sizeof(float));
      stored.vector = std::move(p.vector);
      stored.metadata = std::move(p.metadata);
      stored.document = std::move(p.document);
      batch.PutPoint(p.id, stored);
      ops.push_back({OpKind::kUpsert, stored.label, std::move(p.id)});
    }
    write.seq = ++counters.last_seq;
    batch.SetOps(write.seq, std::move(ops));
    batch.SetCounters(counters);
    VECDB_RETURN_IF_ERROR(store_->Commit(record_.id, batch));
    counters_ = counters;
    // Still under write_mu_, so in-memory updates happen in commit order.
    const uint64_t seq = write.seq;
    ApplyToIndex(std::move(write));
    live_count_.store(counters.live_count);
    last_seq_.store(seq);
  }
  ops_since_checkpoint_.fetch_add(n);
  return WriteResult{.affected = n, .seq = last_seq_.load()};
}

absl::StatusOr<WriteResult> Collection::Delete(
    absl::Span<const std::string> ids) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  if (ids.empty()) {
    return absl::InvalidArgumentError("ids: must not be empty");
  }
  VECDB_RETURN_IF_ERROR(ValidateIdList(ids, "ids"));
  MutexLock lock(&write_mu_);
  VECDB_RETURN_IF_ERROR(CheckLive());
  return DeleteLocked(ids);
}

absl::StatusOr<WriteResult> Collection::Delete(
    absl::Span<const std::string> ids, const Filter* filter) {
  if (filter == nullptr) return Delete(ids);
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(ValidateFilter(*filter));
  if (!ids.empty()) VECDB_RETURN_IF_ERROR(ValidateIdList(ids, "ids"));
  MutexLock lock(&write_mu_);
  VECDB_RETURN_IF_ERROR(CheckLive());
  // Writers are serialised by write_mu_, so the matching set cannot change
  // before the delete below commits.
  std::vector<std::string> doomed;
  {
    ReaderMutexLock index_lock(&index_mu_);
    VECDB_ASSIGN_OR_RETURN(LabelSet matches, Evaluate(*filter));
    if (ids.empty()) {
      doomed.reserve(matches.cardinality());
      for (uint64_t label : matches) {
        if (const std::string* id = IdOf(label)) doomed.push_back(*id);
      }
    } else {
      absl::flat_hash_map<std::string_view, bool> wanted;
      for (const std::string& id : ids) wanted[id] = true;
      for (uint64_t label : matches) {
        const std::string* id = IdOf(label);
        if (id != nullptr && wanted.contains(*id)) doomed.push_back(*id);
      }
    }
  }
  if (doomed.empty()) {
    return WriteResult{.affected = 0, .seq = counters_.last_seq};
  }
  return DeleteLocked(doomed);
}

absl::StatusOr<WriteResult> Collection::DeleteLocked(
    absl::Span<const std::string> ids) {
  VECDB_ASSIGN_OR_RETURN(auto existing,
                         store_->MultiGet(record_.id, ids, kIndexedFields));
  CollectionCounters counters = counters_;
  PointWriteBatch batch;
  std::vector<Op> ops;
  AppliedWrite write;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!existing[i].has_value()) continue;
    batch.DeletePoint(ids[i]);
    ops.push_back({OpKind::kDelete, existing[i]->label, ids[i]});
    write.removed_labels.push_back(existing[i]->label);
    write.old_entries.push_back(EntriesFor(
        existing[i]->label, existing[i]->metadata, existing[i]->document));
    batch.DeleteIndexEntries(write.old_entries.back());
  }
  const size_t removed = write.removed_labels.size();
  if (removed == 0) return WriteResult{.affected = 0, .seq = counters.last_seq};
  counters.live_count -= removed;
  write.seq = ++counters.last_seq;
  batch.SetOps(write.seq, std::move(ops));
  batch.SetCounters(counters);
  VECDB_RETURN_IF_ERROR(store_->Commit(record_.id, batch));
  counters_ = counters;
  const uint64_t seq = write.seq;
  ApplyToIndex(std::move(write));
  live_count_.store(counters.live_count);
  last_seq_.store(seq);
  ops_since_checkpoint_.fetch_add(removed);
  return WriteResult{.affected = removed, .seq = seq};
}

void Collection::ApplyToIndex(AppliedWrite write) {
  MutexLock lock(&index_mu_);
  if (!write.add_labels.empty()) {
    // The batch was validated before commit, so Add() cannot reject it; a
    // failure here (out of memory) leaves the graph behind RocksDB, which
    // the next open repairs by replaying the op log.
    if (absl::Status s = index_->Add(write.add_labels, write.add_vectors);
        !s.ok()) {
      fprintf(stderr, "vecdb: collection %s: graph update failed: %s\n",
              record_.name.c_str(), s.ToString().c_str());
    }
  }
  for (auto& [label, id] : write.new_ids) {
    ids_.emplace(label, std::move(id));
    secondary_.metadata.AddLabel(label);
  }
  if (!write.removed_labels.empty()) {
    index_->Remove(write.removed_labels);
    for (uint64_t label : write.removed_labels) {
      ids_.erase(label);
      secondary_.metadata.RemoveLabel(label);
    }
  }
  for (const PointIndexEntries& entries : write.old_entries) {
    for (const MetadataEntry& e : entries.metadata) {
      secondary_.metadata.Erase(e);
    }
    for (const TermEntry& e : entries.terms) secondary_.text.Erase(e);
    if (entries.document_length.has_value()) {
      secondary_.text.EraseLength(entries.label);
    }
  }
  for (const PointIndexEntries& entries : write.new_entries) {
    for (const MetadataEntry& e : entries.metadata) {
      secondary_.metadata.Insert(e);
    }
    for (const TermEntry& e : entries.terms) secondary_.text.Insert(e);
    if (entries.document_length.has_value()) {
      secondary_.text.SetLength(entries.label, *entries.document_length);
    }
  }
  applied_seq_ = write.seq;
}

absl::StatusOr<std::vector<std::optional<Point>>> Collection::Get(
    absl::Span<const std::string> ids, const Include& include,
    const Filter* filter, std::vector<bool>* exists) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  for (size_t i = 0; i < ids.size(); ++i) {
    VECDB_RETURN_IF_ERROR(ValidatePointId(ids[i], absl::StrCat("ids[", i, "]")));
  }
  if (filter != nullptr) VECDB_RETURN_IF_ERROR(ValidateFilter(*filter));
  // A filter is checked on the record itself (the reference semantics), so
  // its fields are read whatever `include` asks for.
  PointFields fields = FieldsFor(include);
  if (filter != nullptr) fields.metadata = fields.document = true;
  VECDB_ASSIGN_OR_RETURN(auto stored,
                         store_->MultiGet(record_.id, ids, fields));
  std::vector<std::optional<Point>> out(ids.size());
  if (exists != nullptr) exists->assign(ids.size(), false);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!stored[i].has_value()) continue;
    if (exists != nullptr) (*exists)[i] = true;
    if (filter != nullptr && !MatchesFilter(*filter, stored[i]->metadata,
                                            stored[i]->document)) {
      continue;
    }
    out[i] = ToPoint(ids[i], std::move(*stored[i]), include);
  }
  return out;
}

absl::StatusOr<uint64_t> Collection::Count(const Filter& filter) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(ValidateFilter(filter));
  ReaderMutexLock lock(&index_mu_);
  VECDB_ASSIGN_OR_RETURN(LabelSet matches, Evaluate(filter));
  return matches.cardinality();
}

absl::StatusOr<ScrollPage> Collection::Scroll(std::string_view cursor,
                                              size_t limit,
                                              const Include& include,
                                              const Filter* filter) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  if (limit == 0) return absl::InvalidArgumentError("limit: must be positive");
  std::optional<LabelSet> matches;
  std::vector<std::string> gathered;
  if (filter != nullptr) {
    VECDB_RETURN_IF_ERROR(ValidateFilter(*filter));
    ReaderMutexLock lock(&index_mu_);
    VECDB_ASSIGN_OR_RETURN(matches, Evaluate(*filter));
    if (matches->cardinality() <= kScrollGatherMax) {
      // Few matches: page through their ids instead of scanning every
      // record.
      for (uint64_t label : *matches) {
        const std::string* id = IdOf(label);
        if (id != nullptr && *id > cursor) gathered.push_back(*id);
      }
      std::sort(gathered.begin(), gathered.end());
      matches.reset();
      if (gathered.empty()) return ScrollPage{};
    }
  }
  if (!gathered.empty()) {
    const bool more = gathered.size() > limit;
    if (more) gathered.resize(limit);
    std::string next_cursor = more ? gathered.back() : std::string();
    VECDB_ASSIGN_OR_RETURN(auto stored, store_->MultiGet(record_.id, gathered,
                                                         FieldsFor(include)));
    ScrollPage page;
    for (size_t i = 0; i < gathered.size(); ++i) {
      if (!stored[i].has_value()) continue;  // deleted meanwhile
      page.points.push_back(
          ToPoint(std::move(gathered[i]), std::move(*stored[i]), include));
    }
    page.next_cursor = std::move(next_cursor);
    return page;
  }
  ScrollPage page;
  page.points.reserve(std::min<size_t>(limit, 1024));
  bool more = false;
  // Scan in id order; with a filter, skip records whose label does not
  // match (the label is always decoded, the other fields per `include`).
  VECDB_RETURN_IF_ERROR(store_->Scan(
      record_.id, cursor, matches.has_value() ? SIZE_MAX : limit + 1,
      FieldsFor(include),
      [&](std::string_view id, StoredPoint&& stored) {
        if (matches.has_value() && !matches->contains(stored.label)) {
          return true;
        }
        if (page.points.size() == limit) {
          more = true;
          return false;
        }
        page.points.push_back(
            ToPoint(std::string(id), std::move(stored), include));
        return true;
      }));
  if (more) page.next_cursor = page.points.back().id;
  return page;
}

absl::Status Collection::Checkpoint() {
  MutexLock checkpoint_lock(&checkpoint_mu_);
  VECDB_RETURN_IF_ERROR(CheckLive());
  uint64_t seq;
  uint64_t ops_before = ops_since_checkpoint_.load();
  {
    ReaderMutexLock lock(&index_mu_);
    seq = applied_seq_;
    if (seq == checkpoint_seq_.load()) return absl::OkStatus();
    VECDB_RETURN_IF_ERROR(
        WriteCheckpoint(checkpoint_path_, record_, seq, *index_, ids_));
  }
  checkpoint_seq_.store(seq);
  ops_since_checkpoint_.fetch_sub(ops_before);
  last_checkpoint_ns_.store(NowNs());
  return store_->TrimOps(record_.id, seq);
}

}  // namespace vecdb
