// Binary codecs for the values of the RocksStore column families.
//
// Every value starts with a format-version byte (kFormatVersion) followed by
// little-endian fields; docs/on_disk_format.md gives every byte. Decoders
// check each length against the bytes that remain and reject trailing bytes,
// so truncated or corrupted input yields absl::DataLossError, never a crash,
// and never an allocation larger than the input.
//
// Pure functions; thread-safe.
//
// Example:
//   std::string bytes = EncodePoint(point);
//   StoredPoint decoded;
//   VECDB_RETURN_IF_ERROR(
//       DecodePoint(bytes, PointFields{.vector = false}, &decoded));
#ifndef VECDB_STORAGE_POINT_CODEC_H_
#define VECDB_STORAGE_POINT_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "storage/rocks_store.h"

namespace vecdb {

// The version byte written at the start of every value.
inline constexpr uint8_t kFormatVersion = 1;

std::string EncodePoint(const StoredPoint& point);
// Decodes `bytes` into `*point`. The label is always decoded; vector,
// metadata and document only when selected in `fields` (the others are
// skipped, their lengths still checked, and left empty in `*point`).
absl::Status DecodePoint(std::string_view bytes, const PointFields& fields,
                         StoredPoint* point);

std::string EncodeCollectionRecord(const CollectionRecord& record);
absl::Status DecodeCollectionRecord(std::string_view bytes,
                                    CollectionRecord* record);

std::string EncodeCounters(const CollectionCounters& counters);
absl::Status DecodeCounters(std::string_view bytes,
                            CollectionCounters* counters);

std::string EncodeOps(const std::vector<Op>& ops);
absl::Status DecodeOps(std::string_view bytes, std::vector<Op>* ops);

// The value of the default column family's "next_collection_id" key.
std::string EncodeCollectionId(uint32_t id);
absl::Status DecodeCollectionId(std::string_view bytes, uint32_t* id);

}  // namespace vecdb

#endif  // VECDB_STORAGE_POINT_CODEC_H_
