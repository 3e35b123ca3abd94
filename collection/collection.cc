#include "collection/collection.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"
#include "collection/checkpoint.h"
#include "collection/recovery.h"
#include "collection/secondary_checkpoint.h"
#include "collection/validation.h"
#include "common/status_macros.h"
#include "filter/filter_validation.h"
#include "filter/matcher.h"

namespace vecdb {
namespace {

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
                       std::string checkpoint_path, IndexOptions index_options,
                       std::unique_ptr<VectorIndex> index,
                       absl::flat_hash_map<uint64_t, std::string> ids,
                       SecondaryIndexes secondary, CollectionCounters counters,
                       uint64_t checkpoint_seq,
                       uint64_t secondary_checkpoint_seq)
    : record_(std::move(record)),
      store_(store),
      checkpoint_path_(std::move(checkpoint_path)),
      secondary_checkpoint_path_(SecondaryCheckpointPath(checkpoint_path_)),
      index_options_(std::move(index_options)),
      state_(std::move(index), std::move(ids), std::move(secondary),
             counters.last_seq),
      writes_(record_, store, &state_, counters),
      checkpoint_seq_(checkpoint_seq),
      secondary_checkpoint_seq_(secondary_checkpoint_seq),
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
  info.count = writes_.live_count();
  info.last_seq = writes_.last_seq();
  info.applied_seq = state_.applied_seq();
  info.checkpoint_seq = checkpoint_seq_.load();
  const std::shared_ptr<VectorIndex> graph = state_.graph();
  info.index_slots = graph->Slots();
  info.index_deleted_slots = graph->DeletedSlots();
  info.index_memory_bytes = graph->MemoryBytes();
  const MaintenanceStats maintenance = graph->Maintenance();
  info.compactions = maintenance.compactions;
  info.last_compaction_unix = maintenance.last_compaction_unix;
  info.last_compaction_reclaimed = maintenance.last_compaction_reclaimed;
  info.index_stale_reason = state_.stale_reason();
  info.wal_recovery = recovery_.wal_recovery;
  return info;
}

uint64_t Collection::Count() const { return writes_.live_count(); }

uint64_t Collection::OpsSinceCheckpoint() const {
  return ops_since_checkpoint_.load();
}

double Collection::SecondsSinceCheckpoint() const {
  return static_cast<double>(NowNs() - last_checkpoint_ns_.load()) / 1e9;
}

void Collection::MarkDropped() {
  writes_.Paused([&] {
    dropped_.store(true, std::memory_order_release);
    return 0;
  });
}

absl::StatusOr<WriteResult> Collection::Upsert(std::vector<Point> points) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(
      ValidatePoints(points, record_.dimension, record_.metric));
  const size_t n = points.size();
  VECDB_ASSIGN_OR_RETURN(WriteResult result, writes_.Upsert(std::move(points)));
  ops_since_checkpoint_.fetch_add(n);
  return result;
}

absl::StatusOr<WriteResult> Collection::Delete(
    absl::Span<const std::string> ids) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  if (ids.empty()) {
    return absl::InvalidArgumentError("ids: must not be empty");
  }
  VECDB_RETURN_IF_ERROR(ValidateIdList(ids, "ids"));
  VECDB_ASSIGN_OR_RETURN(WriteResult result, writes_.Delete(ids));
  ops_since_checkpoint_.fetch_add(result.affected);
  return result;
}

absl::StatusOr<WriteResult> Collection::Delete(
    absl::Span<const std::string> ids, const Filter* filter) {
  if (filter == nullptr) return Delete(ids);
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(ValidateFilter(*filter));
  if (!ids.empty()) VECDB_RETURN_IF_ERROR(ValidateIdList(ids, "ids"));
  VECDB_ASSIGN_OR_RETURN(
      WriteResult result,
      writes_.DeleteMatching(ids, [&] { return Evaluate(*filter); }));
  ops_since_checkpoint_.fetch_add(result.affected);
  return result;
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
    VECDB_ASSIGN_OR_RETURN(matches, Evaluate(*filter));
    if (matches->cardinality() <= kScrollGatherMax) {
      // Few matches: page through their ids instead of scanning every
      // record.
      state_.Read([&](const SecondaryIndexes&, const LabelMap& ids, uint64_t) {
        for (uint64_t label : *matches) {
          auto it = ids.find(label);
          if (it != ids.end() && it->second > cursor) {
            gathered.push_back(it->second);
          }
        }
        return 0;
      });
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
  if (std::string stale = state_.stale_reason(); !stale.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection ", record_.name, ": the graph is being rebuilt (", stale,
        "); no checkpoint until then"));
  }
  const uint64_t ops_before = ops_since_checkpoint_.load();
  // The files' bytes are written while writes wait (a consistent image);
  // they are made durable and put in place after the writes go on.
  std::optional<PendingFile> graph_file;
  std::optional<PendingFile> secondary_file;
  const int64_t start = NowNs();
  VECDB_ASSIGN_OR_RETURN(
      uint64_t seq,
      state_.Frozen([&](const VectorIndex& index, const LabelMap& ids,
                        const SecondaryIndexes& secondary,
                        uint64_t applied) -> absl::StatusOr<uint64_t> {
        if (applied != checkpoint_seq_.load()) {
          VECDB_ASSIGN_OR_RETURN(graph_file,
                                 WriteCheckpoint(store_->file_system(),
                                                 checkpoint_path_, record_,
                                                 applied, index, ids));
        }
        if (applied != secondary_checkpoint_seq_.load()) {
          VECDB_ASSIGN_OR_RETURN(
              secondary_file,
              WriteSecondaryCheckpoint(store_->file_system(),
                                       secondary_checkpoint_path_, record_.id,
                                       applied, secondary));
        }
        return applied;
      }));
  if (!graph_file.has_value() && !secondary_file.has_value()) {
    return absl::OkStatus();
  }
  const int64_t frozen = NowNs();
  // Under --sync none the writes the files cover may not be durable yet: a
  // checkpoint ahead of RocksDB after a power cut would be set aside.
  VECDB_RETURN_IF_ERROR(store_->SyncWal());
  if (graph_file.has_value()) {
    VECDB_RETURN_IF_ERROR(graph_file->Commit());
    checkpoint_seq_.store(seq);
  }
  if (secondary_file.has_value()) {
    VECDB_RETURN_IF_ERROR(secondary_file->Commit());
    secondary_checkpoint_seq_.store(seq);
  }
  const int64_t end = NowNs();
  fprintf(stderr,
          "vecdb: collection %s: checkpoint at write %llu in %.0f ms (writes "
          "waited %.0f ms)\n",
          record_.name.c_str(), static_cast<unsigned long long>(seq),
          static_cast<double>(end - start) / 1e6,
          static_cast<double>(frozen - start) / 1e6);
  ops_since_checkpoint_.fetch_sub(ops_before);
  last_checkpoint_ns_.store(end);
  return store_->TrimOps(record_.id, seq);
}

absl::StatusOr<bool> Collection::Maintain(double compact_fraction) {
  MutexLock checkpoint_lock(&checkpoint_mu_);
  VECDB_RETURN_IF_ERROR(CheckLive());
  if (!state_.stale_reason().empty()) {
    VECDB_RETURN_IF_ERROR(RebuildGraph());
    return true;
  }
  const std::shared_ptr<VectorIndex> graph = state_.graph();
  if (!graph->MaintenanceDue(compact_fraction)) return false;
  const uint64_t before = graph->Maintenance().compactions;
  const int64_t start = NowNs();
  VECDB_RETURN_IF_ERROR(graph->Maintain(compact_fraction));
  const MaintenanceStats after = graph->Maintenance();
  if (after.compactions != before) {
    fprintf(stderr,
            "vecdb: collection %s: graph compacted, %llu slots reclaimed in "
            "%.0f ms\n",
            record_.name.c_str(),
            static_cast<unsigned long long>(after.last_compaction_reclaimed),
            static_cast<double>(NowNs() - start) / 1e6);
  }
  return true;
}

absl::Status Collection::RebuildGraph() {
  return writes_.Paused([&]() -> absl::Status {
    VECDB_ASSIGN_OR_RETURN(CollectionCounters counters,
                           store_->ReadCounters(record_.id));
    VECDB_ASSIGN_OR_RETURN(
        LoadedCheckpoint rebuilt,
        RebuildFromStore(record_, store_, index_options_, counters));
    // The rebuilt graph's vectors are published at sequence 0, so
    // searches see them at every snapshot.
    state_.ReplaceGraph(std::move(rebuilt.index));
    fprintf(stderr, "vecdb: collection %s: graph rebuilt from RocksDB\n",
            record_.name.c_str());
    return absl::OkStatus();
  });
}

}  // namespace vecdb
