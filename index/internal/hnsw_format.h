// Serialisation of an HnswGraph (layout: the comment at the top of
// index/hnsw_index.cc). Included only by index/hnsw_index.cc.
//
// ParseHnswGraph() checks every field, count, link and level of the bytes
// before anything is allocated in proportion to them; InstallHnswGraph()
// then copies the checked bytes into a graph built for them.
#ifndef VECDB_INDEX_INTERNAL_HNSW_FORMAT_H_
#define VECDB_INDEX_INTERNAL_HNSW_FORMAT_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "index/internal/byte_io.h"
#include "index/internal/hnsw_graph.h"
#include "index/vector_index.h"

namespace vecdb::index_internal {

inline constexpr char kHnswMagic[8] = {'V', 'H', 'N', 'S', 'W', '0', '0', '1'};
inline constexpr uint32_t kHnswVersion = 1;
// hnswlib draws levels as -ln(U) / ln(M); even M = 2 gives about 53 at
// most, so anything above this is damage.
inline constexpr uint32_t kMaxEfConstruction = 1 << 16;
inline constexpr uint8_t kDeletedFlag = 0x01;

struct HnswHeader {
  char magic[8];
  uint32_t version;
  uint32_t dimension;
  uint32_t metric;
  uint32_t m;
  uint32_t max_m;
  uint32_t max_m0;
  uint32_t ef_construction;
  uint32_t entry_point;
  int32_t max_level;
  uint32_t reserved;
  uint64_t slots;
  uint64_t deleted;
  uint64_t bytes_per_slot;
  uint64_t bytes_per_upper_list;
};
static_assert(sizeof(HnswHeader) == 80, "header layout is part of the format");

// A checked image of the bytes; views point into the input.
struct ParsedHnsw {
  HnswHeader header;
  std::string_view level0;              // slots * bytes_per_slot
  std::vector<int32_t> levels;          // per slot
  std::vector<std::string_view> upper;  // per slot, levels[i] lists
  std::vector<uint32_t> free_slots;     // deleted slots, reuse order
};

// Writes the graph as it stands at `snapshot`: slots visible then are
// live, every other slot (removed, or staged by a write not yet published)
// is written as deleted. REQUIRES: no concurrent insert or publish (the
// caller holds the index's link mutex exclusively); searches may run.
inline absl::Status WriteHnswGraph(const HnswGraph& graph, Metric metric,
                                   uint32_t dimension, uint64_t snapshot,
                                   const ByteSink& sink) {
  const size_t slots = graph.SlotCount();
  std::vector<uint32_t> deleted_slots;
  for (tableint slot = 0; slot < slots; ++slot) {
    if (!graph.VisibleAt(slot, snapshot)) deleted_slots.push_back(slot);
  }
  const HnswGraph::Entry entry = graph.LoadEntry();
  HnswHeader h{};
  std::memcpy(h.magic, kHnswMagic, sizeof(h.magic));
  h.version = kHnswVersion;
  h.dimension = dimension;
  h.metric = static_cast<uint32_t>(metric);
  h.m = graph.M_;
  h.max_m = graph.maxM_;
  h.max_m0 = graph.maxM0_;
  h.ef_construction = graph.ef_construction_;
  h.entry_point = slots == 0 ? kNoEntryPoint : entry.slot;
  h.max_level = slots == 0 ? -1 : entry.level;
  h.slots = slots;
  h.deleted = deleted_slots.size();
  h.bytes_per_slot = graph.size_data_per_element_;
  h.bytes_per_upper_list = graph.size_links_per_element_;

  ByteWriter out(sink);
  VECDB_RETURN_IF_ERROR(out.Put(h));
  // Each record as held in memory, with the link word rebuilt from the
  // count and the deleted flag (the flag bits are not kept in memory).
  std::string record(h.bytes_per_slot, '\0');
  size_t next_deleted = 0;
  for (tableint slot = 0; slot < slots; ++slot) {
    const char* at = graph.data_level0_memory_ + slot * h.bytes_per_slot;
    std::memcpy(record.data(), at, h.bytes_per_slot);
    const bool deleted = next_deleted < deleted_slots.size() &&
                         deleted_slots[next_deleted] == slot;
    if (deleted) ++next_deleted;
    const uint32_t word =
        static_cast<uint32_t>(LoadCount(graph.get_linklist0(slot))) |
        (deleted ? static_cast<uint32_t>(kDeletedFlag) << 16 : 0u);
    std::memcpy(record.data(), &word, sizeof(word));
    VECDB_RETURN_IF_ERROR(out.PutBytes(record));
  }
  for (size_t i = 0; i < slots; ++i) {
    const int32_t level = graph.element_levels_[i];
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(level));
    if (level > 0) {
      VECDB_RETURN_IF_ERROR(out.PutBytes(std::string_view(
          graph.linkLists_[i], level * h.bytes_per_upper_list)));
    }
  }
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(deleted_slots.size()));
  for (uint32_t slot : deleted_slots) {
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(slot));
  }
  return out.Flush();
}

namespace hnsw_format_internal {

inline absl::Status Corrupt(const std::string& what) {
  return absl::DataLossError(absl::StrCat("hnsw index bytes: ", what));
}

// Checks one link list: a u32 header (count in the low 16 bits, then a flag
// byte and a zero byte), at most `max_links` neighbours, each an existing
// slot whose top level reaches `level`. Returns the flag byte.
inline absl::StatusOr<uint8_t> CheckLinkList(const char* list,
                                             uint32_t max_links, int32_t level,
                                             const std::vector<int32_t>& levels,
                                             size_t slot) {
  uint32_t word;
  std::memcpy(&word, list, sizeof(word));
  const uint32_t count = word & 0xFFFF;
  const uint8_t flags = (word >> 16) & 0xFF;
  if ((word >> 24) != 0 || (flags & ~kDeletedFlag) != 0 ||
      (level > 0 && flags != 0)) {
    return Corrupt(absl::StrCat("slot ", slot, " level ", level,
                                ": bad link list header"));
  }
  if (count > max_links) {
    return Corrupt(absl::StrCat("slot ", slot, " level ", level, ": ", count,
                                " links, at most ", max_links, " allowed"));
  }
  for (uint32_t j = 0; j < count; ++j) {
    uint32_t id;
    std::memcpy(&id, list + sizeof(uint32_t) * (1 + j), sizeof(id));
    if (id >= levels.size() || levels[id] < level) {
      return Corrupt(absl::StrCat("slot ", slot, " level ", level,
                                  ": link to missing slot ", id));
    }
  }
  return flags;
}

inline absl::Status CheckHeader(const HnswHeader& h,
                                const IndexOptions& options) {
  if (std::memcmp(h.magic, kHnswMagic, sizeof(h.magic)) != 0) {
    return Corrupt("bad magic");
  }
  if (h.version != kHnswVersion || h.reserved != 0) {
    return Corrupt(absl::StrCat("unsupported format version ", h.version));
  }
  if (h.dimension != options.dimension) {
    return Corrupt(absl::StrCat("written for dimension ", h.dimension,
                                ", expected ", options.dimension));
  }
  if (h.metric != static_cast<uint32_t>(options.metric)) {
    return Corrupt(absl::StrCat("written for metric ", h.metric, ", expected ",
                                static_cast<int>(options.metric)));
  }
  if (h.m != options.hnsw.m || h.max_m != h.m || h.max_m0 != 2 * h.m) {
    return Corrupt(absl::StrCat("written for m ", h.m, " (", h.max_m, ", ",
                                h.max_m0, "), expected ", options.hnsw.m));
  }
  if (h.ef_construction < 1 || h.ef_construction > kMaxEfConstruction) {
    return Corrupt(absl::StrCat("ef_construction ", h.ef_construction));
  }
  const uint64_t expected_slot_bytes = sizeof(uint32_t) * (1 + h.max_m0) +
                                       sizeof(float) * h.dimension +
                                       sizeof(uint64_t);
  if (h.bytes_per_slot != expected_slot_bytes ||
      h.bytes_per_upper_list != sizeof(uint32_t) * (1 + h.max_m)) {
    return Corrupt("slot sizes do not match the dimension and m");
  }
  if (h.slots >= kNoEntryPoint || h.deleted > h.slots) {
    return Corrupt(absl::StrCat(h.slots, " slots, ", h.deleted, " deleted"));
  }
  const bool empty = h.slots == 0;
  if (empty ? (h.entry_point != kNoEntryPoint || h.max_level != -1)
            : (h.entry_point >= h.slots || h.max_level < 0 ||
               h.max_level > kMaxLevel)) {
    return Corrupt(absl::StrCat("entry point ", h.entry_point, " at level ",
                                h.max_level, " in ", h.slots, " slots"));
  }
  return absl::OkStatus();
}

}  // namespace hnsw_format_internal

inline absl::StatusOr<ParsedHnsw> ParseHnswGraph(std::string_view bytes,
                                                 const IndexOptions& options) {
  using hnsw_format_internal::CheckLinkList;
  using hnsw_format_internal::Corrupt;
  ParsedHnsw p;
  ByteReader in(bytes);
  if (!in.Get(&p.header)) return Corrupt("truncated header");
  const HnswHeader& h = p.header;
  VECDB_RETURN_IF_ERROR(hnsw_format_internal::CheckHeader(h, options));

  // Each slot needs its base-layer record and a 4-byte level: bound the
  // slot count by the bytes before allocating anything per slot.
  if (h.slots > in.remaining() / (h.bytes_per_slot + sizeof(uint32_t))) {
    return Corrupt(
        absl::StrCat(h.slots, " slots do not fit in ", bytes.size(), " bytes"));
  }
  in.GetBytes(h.slots * h.bytes_per_slot, &p.level0);

  p.levels.resize(h.slots);
  p.upper.resize(h.slots);
  for (size_t i = 0; i < h.slots; ++i) {
    uint32_t level;
    if (!in.Get(&level)) return Corrupt("truncated upper levels");
    if (level > static_cast<uint32_t>(h.max_level)) {
      return Corrupt(absl::StrCat("slot ", i, " has level ", level,
                                  " above the top level ", h.max_level));
    }
    if (!in.GetBytes(level * h.bytes_per_upper_list, &p.upper[i])) {
      return Corrupt("truncated upper levels");
    }
    p.levels[i] = static_cast<int32_t>(level);
  }
  if (h.slots > 0 && p.levels[h.entry_point] != h.max_level) {
    return Corrupt("entry point is not on the top level");
  }

  const size_t vector_offset = sizeof(uint32_t) * (1 + h.max_m0);
  const size_t label_offset = vector_offset + sizeof(float) * h.dimension;
  std::vector<bool> deleted(h.slots);
  uint64_t deleted_count = 0;
  std::unordered_set<uint64_t> labels;
  std::vector<float> row(h.dimension);
  for (size_t i = 0; i < h.slots; ++i) {
    const char* record = p.level0.data() + i * h.bytes_per_slot;
    VECDB_ASSIGN_OR_RETURN(uint8_t flags,
                           CheckLinkList(record, h.max_m0, 0, p.levels, i));
    for (int32_t level = 1; level <= p.levels[i]; ++level) {
      const char* list =
          p.upper[i].data() + (level - 1) * h.bytes_per_upper_list;
      VECDB_RETURN_IF_ERROR(
          CheckLinkList(list, h.max_m, level, p.levels, i).status());
    }
    std::memcpy(row.data(), record + vector_offset,
                sizeof(float) * h.dimension);
    for (float x : row) {
      if (!std::isfinite(x)) {
        return Corrupt(absl::StrCat("slot ", i, " has a non-finite vector"));
      }
    }
    deleted[i] = (flags & kDeletedFlag) != 0;
    if (deleted[i]) {
      ++deleted_count;
      continue;
    }
    uint64_t label;
    std::memcpy(&label, record + label_offset, sizeof(label));
    if (!labels.insert(label).second) {
      return Corrupt(absl::StrCat("label ", label, " is in two slots"));
    }
  }
  if (deleted_count != h.deleted) {
    return Corrupt(absl::StrCat(
        deleted_count, " slots marked deleted, header says ", h.deleted));
  }

  uint64_t free_count;
  if (!in.Get(&free_count) || free_count != h.deleted ||
      in.remaining() != free_count * sizeof(uint32_t)) {
    return Corrupt("free list does not match the deleted slots");
  }
  p.free_slots.resize(free_count);
  for (uint32_t& slot : p.free_slots) {
    in.Get(&slot);
    if (slot >= h.slots || !deleted[slot]) {
      return Corrupt(
          absl::StrCat("free slot ", slot, " is not a deleted slot"));
    }
    deleted[slot] = false;  // so that a repeated entry is caught
  }
  return p;
}

// Copies a parsed image into `graph`, which was built empty with capacity
// for at least header.slots slots. Returns ResourceExhausted if a link list
// cannot be allocated; the graph stays destructible.
inline absl::Status InstallHnswGraph(const ParsedHnsw& p, HnswGraph& graph) {
  const HnswHeader& h = p.header;
  std::memcpy(graph.data_level0_memory_, p.level0.data(), p.level0.size());
  // hnswlib frees linkLists_[i] for every slot of the first
  // cur_element_count with a positive level, so a level is set only once
  // its list is allocated.
  for (size_t i = 0; i < h.slots; ++i) {
    graph.linkLists_[i] = nullptr;
    graph.element_levels_[i] = 0;
  }
  graph.cur_element_count = h.slots;
  for (size_t i = 0; i < h.slots; ++i) {
    if (p.levels[i] == 0) continue;
    // One spare link's worth of zeros: prefetching may read a link past
    // the end of a full list.
    const size_t size = p.upper[i].size() + sizeof(tableint);
    char* lists = static_cast<char*>(std::calloc(size, 1));
    if (lists == nullptr) {
      return absl::ResourceExhaustedError("no memory for hnsw link lists");
    }
    std::memcpy(lists, p.upper[i].data(), p.upper[i].size());
    graph.linkLists_[i] = lists;
    graph.element_levels_[i] = p.levels[i];
  }
  graph.ef_construction_ = h.ef_construction;
  const size_t label_offset = graph.label_offset_;
  MutexLock lock(&graph.labels_mu);
  for (size_t i = 0; i < h.slots; ++i) {
    const char* record = p.level0.data() + i * h.bytes_per_slot;
    uint32_t word;
    std::memcpy(&word, record, sizeof(word));
    const bool deleted = ((word >> 16) & kDeletedFlag) != 0;
    // In memory the link word holds the count alone.
    const uint32_t count = word & 0xFFFF;
    std::memcpy(graph.data_level0_memory_ + i * h.bytes_per_slot, &count,
                sizeof(count));
    graph.life(i).born.store(0, std::memory_order_relaxed);
    graph.life(i).dead.store(deleted ? 0 : kNever, std::memory_order_relaxed);
    if (deleted) continue;
    uint64_t label;
    std::memcpy(&label, record + label_offset, sizeof(label));
    graph.current[label] = static_cast<tableint>(i);
  }
  graph.SetSlotCount(h.slots);
  if (h.slots > 0) {
    std::lock_guard<std::mutex> raise(graph.raise_mu);
    graph.StoreEntry(h.entry_point, h.max_level);
  }
  return absl::OkStatus();
}

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_HNSW_FORMAT_H_
