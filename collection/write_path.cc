#include "collection/write_path.h"

#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "secondary/entries.h"

namespace vecdb {
namespace {

// What a write reads of the records it replaces: the label, the vector (a
// bit-identical one is not linked again) and what the secondary-index
// entries were derived from.
constexpr PointFields kExistingFields = {
    .vector = true, .metadata = true, .document = true};
constexpr PointFields kDeletedFields = {
    .vector = false, .metadata = true, .document = true};

void Relabel(PointIndexEntries& entries, uint64_t label) {
  entries.label = label;
  for (MetadataEntry& e : entries.metadata) e.label = label;
  for (TermEntry& e : entries.terms) e.label = label;
}

bool SameVector(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

struct WritePath::Prepared {
  IndexState::Change change;
  // Vectors to link: labels and rows.
  std::vector<uint64_t> stage_labels;
  std::vector<float> stage_vectors;
  uint64_t affected = 0;
  // The queued commit; null when the write changes nothing.
  std::shared_ptr<CommitQueue::Ticket> ticket;
};

WritePath::WritePath(const CollectionRecord& record, RocksStore* store,
                     IndexState* state, CollectionCounters counters)
    : record_(record),
      state_(state),
      queue_(store, record.id, counters),
      counters_(counters) {}

uint64_t WritePath::live_count() const {
  return queue_.committed().live_count;
}

uint64_t WritePath::last_seq() const { return queue_.committed().last_seq; }

void WritePath::RestartAfterFailure() {
  const uint64_t failures = queue_.failures();
  if (failures == seen_failures_) return;
  // The failed writes and every one queued after them are gone: go on
  // from what RocksDB holds. (A later failure bumps failures() again.)
  queue_.Drain();
  counters_ = queue_.committed();
  seen_failures_ = failures;
}

absl::StatusOr<WriteResult> WritePath::Upsert(std::vector<Point> points) {
  const size_t n = points.size();
  std::vector<std::string> ids(n);
  // The new versions' entries need no lock: only their label is filled in
  // under it.
  std::vector<PointIndexEntries> entries(n);
  for (size_t i = 0; i < n; ++i) {
    ids[i] = points[i].id;
    entries[i] = EntriesFor(0, points[i].metadata, points[i].document);
  }
  Prepared write;
  uint64_t unchanged_since_failures = 0;
  {
    MutexLock lock(&commit_mu_);
    RestartAfterFailure();
    VECDB_ASSIGN_OR_RETURN(auto existing,
                           queue_.Lookup(ids, kExistingFields));
    CollectionCounters counters = counters_;
    PointWriteBatch batch;
    std::vector<Op> ops;
    ops.reserve(n);
    std::vector<CommitQueue::PendingPoint> pending;
    pending.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      Point& p = points[i];
      StoredPoint stored;
      bool same_entries = false;
      bool same_vector = false;
      if (existing[i].has_value()) {
        const StoredPoint& old = *existing[i];
        stored.label = old.label;
        same_vector = SameVector(old.vector, p.vector);
        same_entries = old.metadata == p.metadata && old.document == p.document;
        if (same_vector && same_entries) continue;  // nothing changes
        if (!same_entries) {
          write.change.old_entries.push_back(
              EntriesFor(stored.label, old.metadata, old.document));
          batch.DeleteIndexEntries(write.change.old_entries.back());
        }
      } else {
        stored.label = counters.next_label++;
        ++counters.live_count;
        write.change.new_ids.emplace_back(stored.label, p.id);
      }
      if (!same_entries) {
        Relabel(entries[i], stored.label);
        batch.PutIndexEntries(entries[i]);
        write.change.new_entries.push_back(std::move(entries[i]));
      }
      if (!same_vector) {
        write.stage_labels.push_back(stored.label);
        write.stage_vectors.insert(write.stage_vectors.end(), p.vector.begin(),
                                   p.vector.end());
      }
      stored.vector = std::move(p.vector);
      stored.metadata = std::move(p.metadata);
      stored.document = std::move(p.document);
      batch.PutPoint(p.id, stored);
      ops.push_back({same_vector ? OpKind::kMetadata : OpKind::kUpsert,
                     stored.label, p.id});
      pending.push_back({std::move(p.id), std::move(stored)});
    }
    write.affected = n;
    if (ops.empty()) {
      // Every point is stored exactly so already (perhaps by a write still
      // committing): nothing to commit.
      write.change.seq = counters_.last_seq;
      unchanged_since_failures = seen_failures_;
    } else {
      Queue(std::move(batch), std::move(ops), std::move(pending), counters,
            &write);
    }
  }
  if (write.ticket == nullptr) {
    VECDB_RETURN_IF_ERROR(
        queue_.WaitCommitted(write.change.seq, unchanged_since_failures));
    return WriteResult{.affected = n, .seq = write.change.seq};
  }
  return Finish(write);
}

absl::StatusOr<WriteResult> WritePath::Finish(Prepared& write) {
  // Link the vectors while the commit (and its fsync) is under way; they
  // stay invisible until Apply().
  std::string stage_error;
  if (!write.stage_labels.empty()) {
    std::shared_ptr<VectorIndex> graph = state_->graph();
    absl::StatusOr<StagedWrite> staged =
        graph->Stage(write.stage_labels, write.stage_vectors);
    if (staged.ok()) {
      write.change.staged = *std::move(staged);
    } else {
      stage_error = staged.status().ToString();
    }
  }
  // On failure nothing was acknowledged; the staged slots are abandoned.
  VECDB_RETURN_IF_ERROR(queue_.Wait(write.ticket));
  if (!stage_error.empty()) {
    // The write is durable; the graph lacks it until it is rebuilt.
    const std::string reason = absl::StrCat(
        "write ", write.change.seq, " (", write.stage_labels.size(),
        " vectors) could not be linked into the graph: ", stage_error);
    fprintf(stderr, "vecdb: collection %s: %s; the graph will be rebuilt\n",
            record_.name.c_str(), reason.c_str());
    state_->MarkStale(reason);
  }
  state_->Apply(std::move(write.change));
  return WriteResult{.affected = write.affected, .seq = write.change.seq};
}

absl::StatusOr<WriteResult> WritePath::Delete(
    absl::Span<const std::string> ids) {
  Prepared write;
  {
    MutexLock lock(&commit_mu_);
    RestartAfterFailure();
    VECDB_RETURN_IF_ERROR(CommitDelete(ids, &write));
  }
  if (write.ticket == nullptr) {
    return WriteResult{.affected = 0, .seq = write.change.seq};
  }
  return Finish(write);
}

absl::StatusOr<WriteResult> WritePath::DeleteMatching(
    absl::Span<const std::string> ids,
    const std::function<absl::StatusOr<LabelSet>()>& evaluate) {
  Prepared write;
  {
    MutexLock lock(&commit_mu_);
    // No write commits meanwhile, and every committed one is applied once
    // this returns: the filter sees exactly the state this delete follows.
    WaitAllApplied();
    std::vector<std::string> doomed;
    VECDB_ASSIGN_OR_RETURN(LabelSet matches, evaluate());
    absl::flat_hash_set<std::string_view> wanted(ids.begin(), ids.end());
    state_->Read([&](const SecondaryIndexes&, const LabelMap& id_of,
                     uint64_t) {
      doomed.reserve(matches.cardinality());
      for (uint64_t label : matches) {
        auto it = id_of.find(label);
        if (it == id_of.end()) continue;
        if (wanted.empty() || wanted.contains(it->second)) {
          doomed.push_back(it->second);
        }
      }
      return 0;
    });
    VECDB_RETURN_IF_ERROR(CommitDelete(doomed, &write));
  }
  if (write.ticket == nullptr) {
    return WriteResult{.affected = 0, .seq = write.change.seq};
  }
  return Finish(write);
}

void WritePath::WaitAllApplied() {
  queue_.Drain();
  RestartAfterFailure();
  state_->WaitApplied(counters_.last_seq);
}

absl::Status WritePath::CommitDelete(absl::Span<const std::string> ids,
                                     Prepared* write) {
  write->change.seq = counters_.last_seq;
  if (ids.empty()) return absl::OkStatus();
  VECDB_ASSIGN_OR_RETURN(auto existing, queue_.Lookup(ids, kDeletedFields));
  CollectionCounters counters = counters_;
  PointWriteBatch batch;
  std::vector<Op> ops;
  std::vector<CommitQueue::PendingPoint> pending;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!existing[i].has_value()) continue;
    batch.DeletePoint(ids[i]);
    pending.push_back({ids[i], std::nullopt});
    ops.push_back({OpKind::kDelete, existing[i]->label, ids[i]});
    write->change.removed_labels.push_back(existing[i]->label);
    write->change.old_entries.push_back(EntriesFor(
        existing[i]->label, existing[i]->metadata, existing[i]->document));
    batch.DeleteIndexEntries(write->change.old_entries.back());
  }
  write->affected = write->change.removed_labels.size();
  if (write->affected == 0) return absl::OkStatus();
  counters.live_count -= write->affected;
  Queue(std::move(batch), std::move(ops), std::move(pending), counters, write);
  return absl::OkStatus();
}

void WritePath::Queue(PointWriteBatch batch, std::vector<Op> ops,
                      std::vector<CommitQueue::PendingPoint> pending,
                      CollectionCounters counters, Prepared* write) {
  write->change.seq = ++counters.last_seq;
  batch.SetOps(write->change.seq, std::move(ops));
  batch.SetCounters(counters);
  write->ticket =
      queue_.Enqueue(std::move(batch), std::move(pending), seen_failures_);
  counters_ = counters;
}

}  // namespace vecdb
