#include "collection/collection.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "collection/checkpoint.h"
#include "collection/validation.h"
#include "common/status_macros.h"

namespace vecdb {
namespace {

// Reads of existing records that only need their graph label.
constexpr PointFields kLabelOnly = {
    .vector = false, .metadata = false, .document = false};

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
                       CollectionCounters counters, uint64_t checkpoint_seq)
    : record_(std::move(record)),
      store_(store),
      checkpoint_path_(std::move(checkpoint_path)),
      counters_(counters),
      index_(std::move(index)),
      ids_(std::move(ids)),
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

  // Everything the graph needs is gathered before the commit, so that only
  // the graph update happens under the index lock.
  std::vector<uint64_t> labels(n);
  std::vector<float> vectors(n * dim);
  std::vector<std::pair<uint64_t, std::string>> new_ids;
  uint64_t seq;
  {
    MutexLock lock(&write_mu_);
    VECDB_RETURN_IF_ERROR(CheckLive());
    VECDB_ASSIGN_OR_RETURN(auto existing,
                           store_->MultiGet(record_.id, ids, kLabelOnly));
    CollectionCounters counters = counters_;
    PointWriteBatch batch;
    std::vector<Op> ops;
    ops.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      Point& p = points[i];
      StoredPoint stored;
      if (existing[i].has_value()) {
        stored.label = existing[i]->label;
      } else {
        stored.label = counters.next_label++;
        ++counters.live_count;
        new_ids.emplace_back(stored.label, p.id);
      }
      labels[i] = stored.label;
      std::memcpy(vectors.data() + i * dim, p.vector.data(),
                  dim * sizeof(float));
      stored.vector = std::move(p.vector);
      stored.metadata = std::move(p.metadata);
      stored.document = std::move(p.document);
      batch.PutPoint(p.id, stored);
      ops.push_back({OpKind::kUpsert, stored.label, std::move(p.id)});
    }
    seq = ++counters.last_seq;
    batch.SetOps(seq, std::move(ops));
    batch.SetCounters(counters);
    VECDB_RETURN_IF_ERROR(store_->Commit(record_.id, batch));
    counters_ = counters;
    // Still under write_mu_, so graph updates happen in commit order.
    ApplyToIndex(seq, labels, vectors, std::move(new_ids), {});
    live_count_.store(counters.live_count);
    last_seq_.store(seq);
  }
  ops_since_checkpoint_.fetch_add(n);
  return WriteResult{.affected = n, .seq = seq};
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
  VECDB_ASSIGN_OR_RETURN(auto existing,
                         store_->MultiGet(record_.id, ids, kLabelOnly));
  CollectionCounters counters = counters_;
  PointWriteBatch batch;
  std::vector<Op> ops;
  std::vector<uint64_t> removed;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!existing[i].has_value()) continue;
    batch.DeletePoint(ids[i]);
    ops.push_back({OpKind::kDelete, existing[i]->label, ids[i]});
    removed.push_back(existing[i]->label);
  }
  if (removed.empty()) return WriteResult{.affected = 0, .seq = counters.last_seq};
  counters.live_count -= removed.size();
  const uint64_t seq = ++counters.last_seq;
  batch.SetOps(seq, std::move(ops));
  batch.SetCounters(counters);
  VECDB_RETURN_IF_ERROR(store_->Commit(record_.id, batch));
  counters_ = counters;
  ApplyToIndex(seq, {}, {}, {}, removed);
  live_count_.store(counters.live_count);
  last_seq_.store(seq);
  ops_since_checkpoint_.fetch_add(removed.size());
  return WriteResult{.affected = removed.size(), .seq = seq};
}

void Collection::ApplyToIndex(
    uint64_t seq, absl::Span<const uint64_t> add_labels,
    absl::Span<const float> add_vectors,
    std::vector<std::pair<uint64_t, std::string>> new_ids,
    absl::Span<const uint64_t> removed_labels) {
  MutexLock lock(&index_mu_);
  if (!add_labels.empty()) {
    // The batch was validated before commit, so Add() cannot reject it; a
    // failure here (out of memory) leaves the graph behind RocksDB, which
    // the next open repairs by replaying the op log.
    if (absl::Status s = index_->Add(add_labels, add_vectors); !s.ok()) {
      fprintf(stderr, "vecdb: collection %s: graph update failed: %s\n",
              record_.name.c_str(), s.ToString().c_str());
    }
  }
  for (auto& [label, id] : new_ids) ids_.emplace(label, std::move(id));
  if (!removed_labels.empty()) {
    index_->Remove(removed_labels);
    for (uint64_t label : removed_labels) ids_.erase(label);
  }
  applied_seq_ = seq;
}

absl::StatusOr<std::vector<std::optional<Point>>> Collection::Get(
    absl::Span<const std::string> ids, const Include& include) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  for (size_t i = 0; i < ids.size(); ++i) {
    VECDB_RETURN_IF_ERROR(ValidatePointId(ids[i], absl::StrCat("ids[", i, "]")));
  }
  VECDB_ASSIGN_OR_RETURN(auto stored,
                         store_->MultiGet(record_.id, ids, FieldsFor(include)));
  std::vector<std::optional<Point>> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (stored[i].has_value()) {
      out[i] = ToPoint(ids[i], std::move(*stored[i]), include);
    }
  }
  return out;
}

absl::StatusOr<ScrollPage> Collection::Scroll(std::string_view cursor,
                                              size_t limit,
                                              const Include& include) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  if (limit == 0) return absl::InvalidArgumentError("limit: must be positive");
  ScrollPage page;
  page.points.reserve(std::min<size_t>(limit, 1024));
  bool more = false;
  VECDB_RETURN_IF_ERROR(store_->Scan(
      record_.id, cursor, limit + 1, FieldsFor(include),
      [&](std::string_view id, StoredPoint&& stored) {
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

absl::Status Collection::ValidateQuery(
    absl::Span<const std::vector<float>> queries,
    const QueryOptions& options) const {
  if (queries.empty()) {
    return absl::InvalidArgumentError("queries: must not be empty");
  }
  if (options.k < 1 || options.k > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k: must be in 1..", kMaxK, ", got ", options.k));
  }
  if (options.ef > kMaxEf) {
    return absl::InvalidArgumentError(
        absl::StrCat("ef: must be in 0..", kMaxEf, ", got ", options.ef));
  }
  for (size_t i = 0; i < queries.size(); ++i) {
    VECDB_RETURN_IF_ERROR(ValidateVector(queries[i], record_.dimension,
                                         record_.metric,
                                         absl::StrCat("queries[", i, "]")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Hit>> Collection::Search(
    absl::Span<const float> query, size_t k, size_t ef) const {
  ReaderMutexLock lock(&index_mu_);
  VECDB_ASSIGN_OR_RETURN(auto hits, index_->Search(query, k, ef));
  std::vector<Hit> out;
  out.reserve(hits.size());
  for (const SearchHit& hit : hits) {
    auto it = ids_.find(hit.label);
    if (it == ids_.end()) continue;  // cannot happen: map and graph agree
    Hit& h = out.emplace_back();
    h.point.id = it->second;
    h.distance = hit.distance;
  }
  return out;
}

absl::StatusOr<std::vector<std::vector<Hit>>> Collection::Query(
    absl::Span<const std::vector<float>> queries, const QueryOptions& options) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(ValidateQuery(queries, options));
  const size_t k = options.k;
  const size_t ef = std::max<size_t>(
      options.ef != 0 ? options.ef : record_.hnsw.ef_search, k);
  std::vector<std::vector<Hit>> results(queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    VECDB_ASSIGN_OR_RETURN(results[q], Search(queries[q], k, ef));
  }
  const Include& include = options.include;
  if (!include.vector && !include.metadata && !include.document) {
    return results;
  }
  VECDB_RETURN_IF_ERROR(FillPoints(results, include));
  // A point deleted between the search and the read above is dropped; search
  // such a query again, wider, so that it still returns min(k, live) hits.
  for (size_t q = 0; q < queries.size(); ++q) {
    for (size_t wider = 2 * k; results[q].size() < k && wider <= 8 * k;
         wider *= 2) {
      VECDB_ASSIGN_OR_RETURN(auto hits,
                             Search(queries[q], wider, std::max(ef, wider)));
      const size_t found = hits.size();
      std::vector<std::vector<Hit>> retry = {std::move(hits)};
      VECDB_RETURN_IF_ERROR(FillPoints(retry, include));
      if (retry[0].size() > k) retry[0].resize(k);
      results[q] = std::move(retry[0]);
      if (found < wider) break;  // the collection has no more points
    }
  }
  return results;
}

absl::Status Collection::FillPoints(std::vector<std::vector<Hit>>& results,
                                    const Include& include) {
  std::vector<std::string> ids;
  for (const auto& hits : results) {
    for (const Hit& hit : hits) ids.push_back(hit.point.id);
  }
  VECDB_ASSIGN_OR_RETURN(auto stored,
                         store_->MultiGet(record_.id, ids, FieldsFor(include)));
  size_t next = 0;
  for (auto& hits : results) {
    std::vector<Hit> kept;
    kept.reserve(hits.size());
    for (Hit& hit : hits) {
      auto& record = stored[next++];
      if (!record.has_value()) continue;  // deleted after the search
      hit.point = ToPoint(std::move(hit.point.id), std::move(*record), include);
      kept.push_back(std::move(hit));
    }
    hits = std::move(kept);
  }
  return absl::OkStatus();
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
