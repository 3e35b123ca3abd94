// Key layouts of the RocksStore column families (docs/on_disk_format.md).
//
// Every per-collection key starts with the collection id as a big-endian
// u32, so the keys of one collection are contiguous and
// [CollectionPrefix(cid), CollectionEnd(cid)) covers exactly them.
//   points:   cid (u32 BE) + raw id bytes  (bytewise order = id order)
//   oplog:    cid (u32 BE) + seq (u64 BE)  (bytewise order = seq order)
//   counters: cid (u32 BE)
//   default:  "index_entries_complete/" + cid (u32 BE)
// The secondary-index families (meta_index, text_index) are in
// storage/index_keys.h; their keys also start with the cid.
//
// Pure functions; thread-safe.
#ifndef VECDB_STORAGE_KEYS_H_
#define VECDB_STORAGE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vecdb::storage_keys {

// The largest collection id ever handed out. CollectionEnd(cid) needs cid + 1
// to exist, so 0xFFFFFFFF itself is never used.
inline constexpr uint32_t kMaxCollectionId = 0xFFFFFFFEu;

// Key of the default column family holding the next collection id.
inline constexpr std::string_view kNextCollectionIdKey = "next_collection_id";

// Key of the default column family marking that the secondary-index
// entries of `cid` are complete.
std::string IndexEntriesCompleteKey(uint32_t cid);

// The 4-byte big-endian collection id; also the counters key.
std::string CollectionPrefix(uint32_t cid);
// The first key past every key of `cid` (the prefix of cid + 1).
// REQUIRES: cid <= kMaxCollectionId.
std::string CollectionEnd(uint32_t cid);

std::string PointKey(uint32_t cid, std::string_view id);
// The id part of a points key (the bytes after the prefix).
// REQUIRES: key.size() >= 4.
std::string_view PointIdFromKey(std::string_view key);

std::string OpKey(uint32_t cid, uint64_t seq);
// The collection id a key starts with; nullopt if `key` is under 4 bytes.
std::optional<uint32_t> CidFromKey(std::string_view key);
// The sequence number of an oplog key; nullopt if `key` is not 12 bytes.
std::optional<uint64_t> SeqFromOpKey(std::string_view key);

}  // namespace vecdb::storage_keys

#endif  // VECDB_STORAGE_KEYS_H_
