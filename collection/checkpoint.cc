#include "collection/checkpoint.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/byte_io.h"
#include "storage/checksummed_file.h"
#include "common/status_macros.h"

namespace vecdb {
namespace {

constexpr char kMagic[8] = {'V', 'D', 'B', 'C', 'K', 'P', 'T', '1'};
constexpr uint32_t kFormatVersion = 1;
// magic, version, cid, seq, dimension, metric, m, ef_construction
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 4 + 4 + 4 + 4;
// index offset, index length, ids offset, id count (the CRC-32 after them
// is checked and stripped by ReadChecksummedFile)
constexpr size_t kFooterBytes = 8 + 8 + 8 + 8;

template <typename T>
void AppendFixed(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // little-endian hosts only
  out.append(bytes, sizeof(T));
}

template <typename T>
T ReadFixed(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

std::string EncodeHeader(const CollectionRecord& record, uint64_t seq) {
  std::string header(kMagic, sizeof(kMagic));
  AppendFixed<uint32_t>(header, kFormatVersion);
  AppendFixed<uint32_t>(header, record.id);
  AppendFixed<uint64_t>(header, seq);
  AppendFixed<uint32_t>(header, record.dimension);
  AppendFixed<uint32_t>(header, static_cast<uint32_t>(record.metric));
  AppendFixed<uint32_t>(header, record.hnsw.m);
  AppendFixed<uint32_t>(header, record.hnsw.ef_construction);
  return header;
}

absl::Status WriteBody(const ByteSink& sink, const CollectionRecord& record,
                       uint64_t seq, const VectorIndex& index,
                       const LabelMap& ids) {
  uint64_t offset = 0;
  const ByteSink counted = [&](std::string_view bytes) {
    offset += bytes.size();
    return sink(bytes);
  };
  ByteWriter out(counted);
  VECDB_RETURN_IF_ERROR(out.PutBytes(EncodeHeader(record, seq)));
  VECDB_RETURN_IF_ERROR(out.Flush());
  const uint64_t index_offset = offset;
  VECDB_RETURN_IF_ERROR(index.Serialize(counted));
  const uint64_t index_length = offset - index_offset;
  const uint64_t ids_offset = offset;
  for (const auto& [label, id] : ids) {
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(label));
    VECDB_RETURN_IF_ERROR(out.PutString(id));
  }
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(index_offset));
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(index_length));
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(ids_offset));
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(ids.size()));
  return out.Flush();
}

absl::Status Corrupt(const std::string& path, absl::string_view problem) {
  return absl::DataLossError(absl::StrCat("checkpoint ", path, ": ", problem));
}

absl::Status CheckHeader(const std::string& path, std::string_view data,
                         const CollectionRecord& record) {
  const char* p = data.data();
  if (std::memcmp(p, kMagic, sizeof(kMagic)) != 0) {
    return Corrupt(path, "bad magic");
  }
  if (ReadFixed<uint32_t>(p + 8) != kFormatVersion) {
    return Corrupt(path, "unknown format version");
  }
  const bool same = ReadFixed<uint32_t>(p + 12) == record.id &&
                    ReadFixed<uint32_t>(p + 24) == record.dimension &&
                    ReadFixed<uint32_t>(p + 28) ==
                        static_cast<uint32_t>(record.metric) &&
                    ReadFixed<uint32_t>(p + 32) == record.hnsw.m &&
                    ReadFixed<uint32_t>(p + 36) == record.hnsw.ef_construction;
  if (!same) return Corrupt(path, "written for a different collection");
  return absl::OkStatus();
}

absl::StatusOr<LabelMap> ParseIds(const std::string& path,
                                  std::string_view section, uint64_t count) {
  // Each entry takes at least 12 bytes: bound `count` before reserving.
  if (count > section.size() / 12) return Corrupt(path, "bad id count");
  LabelMap ids;
  ids.reserve(count);
  const char* p = section.data();
  const char* end = p + section.size();
  for (uint64_t i = 0; i < count; ++i) {
    if (end - p < 12) return Corrupt(path, "truncated id table");
    const uint64_t label = ReadFixed<uint64_t>(p);
    const uint32_t len = ReadFixed<uint32_t>(p + 8);
    p += 12;
    if (static_cast<size_t>(end - p) < len) {
      return Corrupt(path, "truncated id");
    }
    if (!ids.emplace(label, std::string(p, len)).second) {
      return Corrupt(path, "duplicate label in id table");
    }
    p += len;
  }
  if (p != end) return Corrupt(path, "trailing bytes after id table");
  return ids;
}

}  // namespace

absl::StatusOr<PendingFile> WriteCheckpoint(rocksdb::FileSystem& fs,
                                            const std::string& path,
                                            const CollectionRecord& record,
                                            uint64_t seq,
                                            const VectorIndex& index,
                                            const LabelMap& ids) {
  return PendingFile::Write(fs, path, [&](const ByteSink& sink) {
    return WriteBody(sink, record, seq, index, ids);
  });
}

absl::StatusOr<LoadedCheckpoint> ReadCheckpoint(rocksdb::FileSystem& fs,
                                                const std::string& path,
                                                const CollectionRecord& record,
                                                const IndexOptions& options) {
  VECDB_ASSIGN_OR_RETURN(FileContents contents,
                         ReadChecksummedFile(fs, path, "checkpoint"));
  const std::string_view data = contents.bytes();
  if (data.size() < kHeaderBytes + kFooterBytes) {
    return Corrupt(path, absl::StrCat("truncated (", data.size(), " bytes)"));
  }
  VECDB_RETURN_IF_ERROR(CheckHeader(path, data, record));

  const char* footer = data.data() + data.size() - kFooterBytes;
  const uint64_t index_offset = ReadFixed<uint64_t>(footer);
  const uint64_t index_length = ReadFixed<uint64_t>(footer + 8);
  const uint64_t ids_offset = ReadFixed<uint64_t>(footer + 16);
  const uint64_t id_count = ReadFixed<uint64_t>(footer + 24);
  const uint64_t ids_end = data.size() - kFooterBytes;
  if (index_offset != kHeaderBytes || index_length > ids_end ||
      ids_offset != index_offset + index_length || ids_offset > ids_end) {
    return Corrupt(path, "bad section offsets");
  }

  LoadedCheckpoint loaded;
  loaded.seq = ReadFixed<uint64_t>(data.data() + 16);
  VECDB_ASSIGN_OR_RETURN(
      loaded.ids, ParseIds(path,
                           data.substr(
                               ids_offset, ids_end - ids_offset),
                           id_count));
  VECDB_ASSIGN_OR_RETURN(
      loaded.index,
      LoadHnswIndex(options,
                    data.substr(index_offset, index_length)));
  if (loaded.index->Size() != loaded.ids.size()) {
    return Corrupt(path, absl::StrCat("index holds ", loaded.index->Size(),
                                      " vectors but the id table ",
                                      loaded.ids.size()));
  }
  for (const auto& entry : loaded.ids) {
    if (!loaded.index->Contains(entry.first)) {
      return Corrupt(path, absl::StrCat("label ", entry.first,
                                        " of the id table is not in the graph"));
    }
  }
  return loaded;
}

}  // namespace vecdb
