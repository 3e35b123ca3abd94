#include "collection/secondary_load.h"

#include <cstdio>

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

}  // namespace

absl::StatusOr<SecondaryIndexes> LoadSecondaryIndexes(
    const CollectionRecord& record, RocksStore* store, const LabelMap& ids) {
  VECDB_ASSIGN_OR_RETURN(bool complete, store->IndexEntriesComplete(record.id));
  if (!complete) VECDB_RETURN_IF_ERROR(Backfill(record, store));
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

}  // namespace vecdb
