// The domain types of the collection API: what writes return, what queries
// take and give back, and what a collection reports about itself.
#ifndef VECDB_COLLECTION_COLLECTION_TYPES_H_
#define VECDB_COLLECTION_COLLECTION_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/filter.h"
#include "common/query_explain.h"
#include "common/types.h"
#include "secondary/metadata_index.h"
#include "secondary/text_index.h"
#include "storage/rocks_store.h"

namespace vecdb {

struct CollectionInfo {
  CollectionRecord record;
  uint64_t count = 0;
  // Sequence number of the last committed write, and of the last one the
  // in-memory indexes have applied (equal when no write is in flight).
  uint64_t last_seq = 0;
  uint64_t applied_seq = 0;
  uint64_t checkpoint_seq = 0;
  uint64_t index_slots = 0;
  // Slots of replaced or deleted vectors, until compaction reclaims them;
  // tombstone ratio = index_deleted_slots / index_slots.
  uint64_t index_deleted_slots = 0;
  uint64_t index_memory_bytes = 0;
  // Compactions since the collection was opened; the last one's end
  // (seconds since the epoch, 0 = none) and slots reclaimed.
  uint64_t compactions = 0;
  int64_t last_compaction_unix = 0;
  uint64_t last_compaction_reclaimed = 0;
  // Set when a committed write could not be applied to the graph: the
  // graph is rebuilt from RocksDB, and no checkpoint is written before.
  std::string index_stale_reason;
  // Non-empty when this open found the WAL damaged: the last write of the
  // collection recovered and which acknowledged writes were lost.
  std::string wal_recovery;
};

struct WriteResult {
  // Points upserted, or ids that existed and were deleted.
  uint64_t affected = 0;
  // Sequence number of this write (unchanged when nothing was written).
  uint64_t seq = 0;
};

// How a hybrid query fuses its two rankings (collection/fusion.h).
enum class Fusion : uint8_t {
  // Reciprocal rank fusion: a point's score is
  // vector_weight / (rrf_k + vector_rank) + text_weight / (rrf_k + text_rank),
  // each term only when the point is in that ranking (ranks from 1).
  kRrf = 1,
  // Relative score fusion: vector_weight * (min-max normalised similarity)
  // + text_weight * (min-max normalised BM25 score).
  kRelativeScore = 2,
};

struct HybridOptions {
  Fusion fusion = Fusion::kRrf;
  // RRF only. (0, 1e6].
  float rrf_k = 60;
  // >= 0, not both 0.
  float vector_weight = 1;
  float text_weight = 1;
  // Candidates each ranking contributes; 0 = max(k, 100); at most
  // kMaxHybridCandidates; raised to k when lower.
  uint32_t candidates = 0;
};
inline constexpr uint32_t kMaxHybridCandidates = 10000;
inline constexpr size_t kMaxTextQueryBytes = 4096;

struct QueryOptions {
  // 1..kMaxK.
  uint32_t k = 10;
  // 0 = the collection's ef_search; else 1..kMaxEf (raised to k if lower).
  uint32_t ef = 0;
  Include include;
  // Only matching points are returned (exactly min(k, matching) for a
  // vector query).
  std::optional<Filter> filter;
  HybridOptions hybrid;
  Bm25Params bm25;
  // Fill QueryResult::explain.
  bool explain = false;
};

struct Hit {
  Point point;  // id always set; other fields per Include
  // Vector distance (vector queries; hybrid when vector_rank > 0).
  float distance = 0;
  // BM25 score (text queries) or fused RRF score (hybrid).
  float score = 0;
  // Hybrid: 1-based rank in each ranking, 0 when absent; BM25 score when
  // text_rank > 0.
  uint32_t vector_rank = 0;
  uint32_t text_rank = 0;
  float text_score = 0;
};

struct QueryResult {
  std::vector<Hit> hits;
  std::optional<QueryExplain> explain;  // when QueryOptions::explain
};

// The in-memory secondary indexes of a collection (loaded by recovery).
struct SecondaryIndexes {
  MetadataIndex metadata;
  TextIndex text;
};

struct ScrollPage {
  std::vector<Point> points;
  // Empty when no points follow.
  std::string next_cursor;
};

// Where a collection's graph came from when it was opened.
enum class RecoveryKind { kCreated, kCheckpoint, kRebuilt };

struct RecoveryInfo {
  RecoveryKind kind = RecoveryKind::kCreated;
  // Op-log entries replayed on top of the checkpoint (kCheckpoint).
  uint64_t replayed_writes = 0;
  // Why the graph was rebuilt (kRebuilt).
  std::string rebuild_reason;
  // CollectionInfo::wal_recovery: empty unless the WAL was damaged.
  std::string wal_recovery;
  // Whether the metadata and text indexes came from their checkpoint
  // (collection/secondary_load.h), the op-log entries replayed after it,
  // and why it was not used (empty when it was, or for a new collection).
  bool secondary_from_checkpoint = false;
  uint64_t secondary_replayed_writes = 0;
  std::string secondary_fallback_reason;
  // Seconds the open spent on the graph (load and replay, or rebuild) and
  // on the secondary indexes.
  double graph_seconds = 0;
  double secondary_seconds = 0;
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_COLLECTION_TYPES_H_
