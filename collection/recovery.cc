#include "collection/recovery.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "collection/checkpoint.h"
#include "collection/op_log.h"
#include "collection/secondary_checkpoint.h"
#include "collection/secondary_load.h"
#include "common/status_macros.h"

namespace vecdb {
namespace {

constexpr size_t kRebuildBatch = 4096;

double SecondsBetween(std::chrono::steady_clock::time_point from,
                      std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Applies the writes after a checkpoint to its graph and id map: one
// removal of the deleted labels, then each re-vectored point's current
// vector (its record in RocksDB now, the last write's), in batches. So a
// point rewritten many times since the checkpoint is linked once, and the
// graph is not updated (nor, for a replacement, walked) per entry.
absl::Status ApplyToGraph(const CollectionRecord& record, RocksStore* store,
                          FoldedOps& folded, VectorIndex& index,
                          LabelMap& ids) {
  std::vector<uint64_t> removed;
  std::vector<uint64_t> labels;
  std::vector<std::string> point_ids;
  for (auto& [label, change] : folded.labels) {
    if (change.deleted) {
      removed.push_back(label);
    } else if (change.vector_changed) {
      labels.push_back(label);
      point_ids.push_back(std::move(change.id));
    }  // else only metadata changed: nothing in the graph
  }
  if (!removed.empty()) {
    index.Remove(removed);
    for (uint64_t label : removed) ids.erase(label);
  }
  for (size_t begin = 0; begin < labels.size(); begin += kRebuildBatch) {
    const size_t n = std::min(kRebuildBatch, labels.size() - begin);
    const auto batch_ids = absl::MakeConstSpan(point_ids).subspan(begin, n);
    VECDB_ASSIGN_OR_RETURN(
        auto points, store->MultiGet(record.id, batch_ids,
                                     {.vector = true, .metadata = false,
                                      .document = false}));
    std::vector<uint64_t> add_labels;
    std::vector<float> vectors;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t label = labels[begin + i];
      // Gone, or re-created under another label later: not this label's.
      if (!points[i].has_value() || points[i]->label != label) continue;
      add_labels.push_back(label);
      vectors.insert(vectors.end(), points[i]->vector.begin(),
                     points[i]->vector.end());
      ids[label] = batch_ids[i];
    }
    if (!add_labels.empty()) {
      VECDB_RETURN_IF_ERROR(index.Add(add_labels, vectors));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<LoadedCheckpoint> LoadAndReplay(
    const CollectionRecord& record, RocksStore* store,
    const std::string& path, const IndexOptions& options,
    const CollectionCounters& counters, uint64_t* replayed) {
  VECDB_ASSIGN_OR_RETURN(LoadedCheckpoint loaded,
                         ReadCheckpoint(store->file_system(), path, record, options));
  VECDB_ASSIGN_OR_RETURN(
      FoldedOps folded,
      FoldOpsAfter(*store, record.id, loaded.seq, counters.last_seq));
  *replayed = folded.writes;
  VECDB_RETURN_IF_ERROR(
      ApplyToGraph(record, store, folded, *loaded.index, loaded.ids));
  if (loaded.ids.size() != counters.live_count) {
    return absl::DataLossError(
        absl::StrCat("graph holds ", loaded.ids.size(),
                     " points after replay, RocksDB ", counters.live_count));
  }
  // Slots the replay linked are walked for reachability with the rest of
  // the loaded graph, by its first maintenance (LoadHnswIndex).
  return loaded;
}

}  // namespace

absl::StatusOr<LoadedCheckpoint> RebuildFromStore(
    const CollectionRecord& record, RocksStore* store,
    const IndexOptions& base_options, const CollectionCounters& counters) {
  IndexOptions options = base_options;
  options.initial_capacity =
      std::max<size_t>(options.initial_capacity, counters.live_count);
  LoadedCheckpoint rebuilt;
  rebuilt.seq = counters.last_seq;
  VECDB_ASSIGN_OR_RETURN(rebuilt.index, NewHnswIndex(options));
  std::vector<uint64_t> labels;
  std::vector<float> vectors;
  absl::Status add_status;
  auto flush = [&]() {
    if (labels.empty()) return absl::OkStatus();
    absl::Status s = rebuilt.index->Add(labels, vectors);
    labels.clear();
    vectors.clear();
    return s;
  };
  VECDB_RETURN_IF_ERROR(store->Scan(
      record.id, "", SIZE_MAX,
      {.vector = true, .metadata = false, .document = false},
      [&](std::string_view id, StoredPoint&& point) {
        labels.push_back(point.label);
        vectors.insert(vectors.end(), point.vector.begin(),
                       point.vector.end());
        rebuilt.ids.emplace(point.label, std::string(id));
        if (labels.size() == kRebuildBatch) {
          add_status = flush();
          if (!add_status.ok()) return false;
        }
        return true;
      }));
  VECDB_RETURN_IF_ERROR(add_status);
  VECDB_RETURN_IF_ERROR(flush());
  // Add() walks the graph only now and then during a bulk load.
  VECDB_RETURN_IF_ERROR(rebuilt.index->EnsureReachable());
  return rebuilt;
}

IndexOptions IndexOptionsFor(const CollectionRecord& record,
                             IndexOptions engine_wide) {
  IndexOptions options = std::move(engine_wide);
  options.dimension = record.dimension;
  options.metric = record.metric;
  options.hnsw = record.hnsw;
  return options;
}

std::string WalRecoveryNote(const WalRecovery& wal, uint32_t cid,
                            uint64_t last_seq) {
  if (wal.damage.empty()) return "";
  const std::string head =
      absl::StrCat("the write-ahead log was damaged (", wal.damage,
                   "); recovered up to write ", last_seq);
  auto it = wal.collections.find(cid);
  if (it != wal.collections.end() && it->second.seen > last_seq) {
    return absl::StrCat(head, "; acknowledged writes ", last_seq + 1, "..",
                        it->second.seen,
                        " (at least) are lost");
  }
  return absl::StrCat(head,
                      "; acknowledged writes after it, if any were in the "
                      "damaged part of the log, are lost");
}

namespace {

// The graph from its checkpoint and the op log, or rebuilt from RocksDB;
// `info` learns which and why.
absl::StatusOr<LoadedCheckpoint> RecoverGraph(
    const CollectionRecord& record, RocksStore* store,
    const std::string& checkpoint_path, const IndexOptions& index_options,
    const CollectionCounters& counters, RecoveryInfo& info) {
  uint64_t replayed = 0;
  absl::StatusOr<LoadedCheckpoint> loaded = LoadAndReplay(
      record, store, checkpoint_path, index_options, counters, &replayed);
  if (loaded.ok()) {
    info.kind = RecoveryKind::kCheckpoint;
    info.replayed_writes = replayed;
    return loaded;
  }
  const bool first_open =
      counters.last_seq == 0 && absl::IsNotFound(loaded.status());
  if (!first_open) {
    fprintf(stderr, "vecdb: collection %s: rebuilding graph from RocksDB (%s)\n",
            record.name.c_str(), loaded.status().ToString().c_str());
  }
  info.kind = first_open ? RecoveryKind::kCreated : RecoveryKind::kRebuilt;
  if (!first_open) info.rebuild_reason = loaded.status().ToString();
  return RebuildFromStore(record, store, index_options, counters);
}

}  // namespace

absl::StatusOr<std::shared_ptr<Collection>> RecoverCollection(
    const CollectionRecord& record, RocksStore* store,
    const std::string& checkpoint_path, const IndexOptions& index_options) {
  VECDB_ASSIGN_OR_RETURN(CollectionCounters counters,
                         store->ReadCounters(record.id));
  RecoveryInfo info;
  info.wal_recovery =
      WalRecoveryNote(store->wal_recovery(), record.id, counters.last_seq);
  if (!info.wal_recovery.empty()) {
    fprintf(stderr, "vecdb: collection %s: %s\n", record.name.c_str(),
            info.wal_recovery.c_str());
  }
  // The secondary indexes' checkpoint loads beside the graph, on another
  // core; nothing returns before the thread is joined.
  absl::StatusOr<LoadedSecondary> from_checkpoint =
      absl::UnknownError("not loaded");
  std::thread secondary_loader([&] {
    const auto start = std::chrono::steady_clock::now();
    from_checkpoint = LoadSecondaryCheckpoint(
        record, store, counters, SecondaryCheckpointPath(checkpoint_path));
    info.secondary_seconds =
        SecondsBetween(start, std::chrono::steady_clock::now());
  });
  const auto graph_start = std::chrono::steady_clock::now();
  absl::StatusOr<LoadedCheckpoint> graph = RecoverGraph(
      record, store, checkpoint_path, index_options, counters, info);
  const auto graph_end = std::chrono::steady_clock::now();
  secondary_loader.join();
  info.graph_seconds = SecondsBetween(graph_start, graph_end);
  VECDB_RETURN_IF_ERROR(graph.status());

  const auto join_time = std::chrono::steady_clock::now();
  VECDB_ASSIGN_OR_RETURN(
      LoadedSecondary secondary,
      LoadSecondaryIndexes(record, store, graph->ids, counters,
                           std::move(from_checkpoint)));
  info.secondary_seconds +=
      SecondsBetween(join_time, std::chrono::steady_clock::now());
  info.secondary_from_checkpoint = secondary.from_checkpoint;
  info.secondary_replayed_writes = secondary.replayed_writes;
  info.secondary_fallback_reason = secondary.fallback_reason;
  const bool graph_rebuilt = info.kind == RecoveryKind::kRebuilt;
  auto collection = std::make_shared<Collection>(
      record, store, checkpoint_path, index_options, std::move(graph->index),
      std::move(graph->ids), std::move(secondary.indexes), counters,
      graph_rebuilt ? Collection::kNoCheckpoint : graph->seq,
      secondary.from_checkpoint ? secondary.checkpoint_seq
                                : Collection::kNoCheckpoint);
  collection->set_recovery(std::move(info));
  if (graph_rebuilt || !secondary.fallback_reason.empty()) {
    // Save what was rebuilt so that the next open need not rebuild again.
    VECDB_RETURN_IF_ERROR(collection->Checkpoint());
  }
  return collection;
}

}  // namespace vecdb
