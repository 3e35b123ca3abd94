#include "collection/secondary_checkpoint.h"

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/byte_io.h"
#include "common/status_macros.h"

namespace vecdb {
namespace {

constexpr char kMagic[8] = {'V', 'D', 'B', 'S', 'E', 'C', '0', '1'};
constexpr uint32_t kFormatVersion = 1;
constexpr char kWhat[] = "secondary-index checkpoint";

absl::Status Corrupt(const std::string& path, absl::string_view problem) {
  return absl::DataLossError(
      absl::StrCat(kWhat, " ", path, ": ", problem));
}

}  // namespace

std::string SecondaryCheckpointPath(const std::string& graph_checkpoint) {
  std::string base = graph_checkpoint;
  if (absl::EndsWith(base, ".ckpt")) base.resize(base.size() - 5);
  return base + ".sec";
}

absl::StatusOr<PendingFile> WriteSecondaryCheckpoint(
    rocksdb::FileSystem& fs, const std::string& path, uint32_t cid, uint64_t seq,
    const SecondaryIndexes& indexes) {
  // The metadata section is small next to the text index: it is encoded
  // first so that its length can lead it.
  std::string metadata;
  {
    const ByteSink to_string = [&](std::string_view bytes) {
      metadata.append(bytes);
      return absl::OkStatus();
    };
    ByteWriter out(to_string);
    VECDB_RETURN_IF_ERROR(indexes.metadata.Serialize(out));
    VECDB_RETURN_IF_ERROR(out.Flush());
  }
  return PendingFile::Write(fs, path, [&](const ByteSink& sink) -> absl::Status {
    ByteWriter out(sink);
    VECDB_RETURN_IF_ERROR(out.PutBytes(std::string_view(kMagic, 8)));
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(kFormatVersion));
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(cid));
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(seq));
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(metadata.size()));
    VECDB_RETURN_IF_ERROR(out.PutBytes(metadata));
    VECDB_RETURN_IF_ERROR(indexes.text.Serialize(out));
    return out.Flush();
  });
}

absl::StatusOr<SecondaryCheckpoint> ReadSecondaryCheckpoint(
    rocksdb::FileSystem& fs, const std::string& path, uint32_t cid) {
  SecondaryCheckpoint checkpoint;
  VECDB_ASSIGN_OR_RETURN(checkpoint.contents,
                         ReadChecksummedFile(fs, path, kWhat));
  ByteReader in(checkpoint.contents.bytes());
  std::string_view magic;
  uint32_t version = 0;
  uint32_t file_cid = 0;
  uint64_t metadata_bytes = 0;
  if (!in.GetBytes(8, &magic) || !in.Get(&version) || !in.Get(&file_cid) ||
      !in.Get(&checkpoint.seq) || !in.Get(&metadata_bytes)) {
    return Corrupt(path, "truncated header");
  }
  if (std::memcmp(magic.data(), kMagic, 8) != 0) {
    return Corrupt(path, "bad magic");
  }
  if (version != kFormatVersion) {
    return Corrupt(path, absl::StrCat("unknown format version ", version));
  }
  if (file_cid != cid) {
    return Corrupt(path, absl::StrCat("written for collection ", file_cid,
                                      ", not ", cid));
  }
  if (!in.GetBytes(metadata_bytes, &checkpoint.metadata)) {
    return Corrupt(path, "truncated metadata section");
  }
  in.GetBytes(in.remaining(), &checkpoint.text);
  return checkpoint;
}

absl::StatusOr<SecondaryIndexes> ParseSecondaryCheckpoint(
    const SecondaryCheckpoint& checkpoint, const LabelSet& drop) {
  SecondaryIndexes indexes;
  VECDB_ASSIGN_OR_RETURN(indexes.metadata,
                         MetadataIndex::Parse(checkpoint.metadata, drop));
  VECDB_ASSIGN_OR_RETURN(indexes.text,
                         TextIndex::Parse(checkpoint.text, drop));
  return indexes;
}

}  // namespace vecdb
