#include "collection/secondary_load.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collection/op_log.h"
#include "collection/secondary_checkpoint.h"
#include "common/status_macros.h"
#include "secondary/entries.h"

namespace vecdb {
namespace {

constexpr size_t kBackfillBatch = 1024;

absl::Status Backfill(const CollectionRecord& record, RocksStore* store) {
  fprintf(stderr, "vecdb: collection %s: writing metadata and text index "
                  "entries for existing points\n",
          record.name.c_str());
  PointWriteBatch batch;
  size_t pending = 0;
  absl::Status status;
  VECDB_RETURN_IF_ERROR(store->Scan(
      record.id, "", SIZE_MAX,
      {.vector = false, .metadata = true, .document = true},
      [&](std::string_view, StoredPoint&& point) {
        batch.PutIndexEntries(
            EntriesFor(point.label, point.metadata, point.document));
        if (++pending == kBackfillBatch) {
          status = store->Commit(record.id, batch);
          batch = PointWriteBatch();
          pending = 0;
        }
        return status.ok();
      }));
  VECDB_RETURN_IF_ERROR(status);
  if (pending > 0) VECDB_RETURN_IF_ERROR(store->Commit(record.id, batch));
  return store->MarkIndexEntriesComplete(record.id);
}

absl::StatusOr<SecondaryIndexes> FromEntries(const CollectionRecord& record,
                                             RocksStore* store,
                                             const LabelMap& ids) {
  SecondaryIndexes indexes;
  for (const auto& [label, id] : ids) indexes.metadata.AddLabel(label);
  IndexEntryVisitor visitor;
  visitor.metadata = [&](MetadataEntry&& e) { indexes.metadata.Insert(e); };
  visitor.term = [&](TermEntry&& e) { indexes.text.Insert(e); };
  visitor.document_length = [&](uint64_t label, uint32_t length) {
    indexes.text.SetLength(label, length);
  };
  VECDB_RETURN_IF_ERROR(store->LoadIndexEntries(record.id, visitor));
  return indexes;
}

}  // namespace

absl::StatusOr<LoadedSecondary> LoadSecondaryCheckpoint(
    const CollectionRecord& record, RocksStore* store,
    const CollectionCounters& counters, const std::string& path) {
  VECDB_ASSIGN_OR_RETURN(bool complete, store->IndexEntriesComplete(record.id));
  if (!complete) {
    return absl::FailedPreconditionError(
        "the index entries are not complete yet");
  }
  VECDB_ASSIGN_OR_RETURN(SecondaryCheckpoint checkpoint,
                         ReadSecondaryCheckpoint(store->file_system(), path, record.id));
  VECDB_ASSIGN_OR_RETURN(
      FoldedOps folded,
      FoldOpsAfter(*store, record.id, checkpoint.seq, counters.last_seq));
  // Every touched label leaves the checkpoint's postings; the live ones
  // are indexed again from their records.
  std::vector<uint64_t> labels;
  std::vector<std::string> live_ids;
  std::vector<uint64_t> live_labels;
  labels.reserve(folded.labels.size());
  for (auto& [label, change] : folded.labels) {
    labels.push_back(label);
    if (!change.deleted) {
      live_ids.push_back(std::move(change.id));
      live_labels.push_back(label);
    }
  }
  std::sort(labels.begin(), labels.end());
  LoadedSecondary loaded;
  loaded.from_checkpoint = true;
  loaded.checkpoint_seq = checkpoint.seq;
  loaded.replayed_writes = folded.writes;
  VECDB_ASSIGN_OR_RETURN(
      loaded.indexes,
      ParseSecondaryCheckpoint(checkpoint, LabelSetFromSorted(labels)));
  if (!live_ids.empty()) {
    VECDB_ASSIGN_OR_RETURN(
        auto points, store->MultiGet(record.id, live_ids,
                                     {.vector = false, .metadata = true,
                                      .document = true}));
    for (size_t i = 0; i < points.size(); ++i) {
      // A point re-created later has another label, touched on its own.
      if (!points[i].has_value() || points[i]->label != live_labels[i]) {
        continue;
      }
      loaded.indexes.metadata.AddLabel(live_labels[i]);
      AddEntries(EntriesFor(live_labels[i], points[i]->metadata,
                            points[i]->document),
                 loaded.indexes.metadata, loaded.indexes.text);
    }
  }
  return loaded;
}

absl::StatusOr<LoadedSecondary> LoadSecondaryIndexes(
    const CollectionRecord& record, RocksStore* store, const LabelMap& ids,
    const CollectionCounters& counters,
    absl::StatusOr<LoadedSecondary> from_checkpoint) {
  if (from_checkpoint.ok()) {
    const uint64_t indexed = from_checkpoint->indexes.metadata.all().cardinality();
    if (indexed == ids.size()) return from_checkpoint;
    from_checkpoint = absl::DataLossError(
        absl::StrCat("the checkpoint indexes ", indexed,
                     " points after replay, the graph ", ids.size()));
  }
  VECDB_ASSIGN_OR_RETURN(bool complete, store->IndexEntriesComplete(record.id));
  if (!complete) VECDB_RETURN_IF_ERROR(Backfill(record, store));
  LoadedSecondary loaded;
  const bool new_collection =
      counters.last_seq == 0 && absl::IsNotFound(from_checkpoint.status());
  if (!new_collection) {
    loaded.fallback_reason = from_checkpoint.status().ToString();
    fprintf(stderr,
            "vecdb: collection %s: reading metadata and text indexes from "
            "RocksDB (%s)\n",
            record.name.c_str(), loaded.fallback_reason.c_str());
  }
  VECDB_ASSIGN_OR_RETURN(loaded.indexes, FromEntries(record, store, ids));
  return loaded;
}

}  // namespace vecdb
