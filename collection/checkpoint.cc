#include "collection/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vecdb {
namespace {

constexpr char kMagic[8] = {'V', 'D', 'B', 'C', 'K', 'P', 'T', '1'};
constexpr uint32_t kFormatVersion = 1;
// magic, version, cid, seq, dimension, metric, m, ef_construction
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 4 + 4 + 4 + 4;
// index offset, index length, ids offset, id count, crc
constexpr size_t kFooterBytes = 8 + 8 + 8 + 8 + 4;

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

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

// Buffered, checksummed writes to a file descriptor.
class FileWriter {
 public:
  FileWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    buffer_.reserve(kBufferBytes);
  }
  absl::Status Append(std::string_view bytes) {
    crc_ = crc32_z(crc_, reinterpret_cast<const Bytef*>(bytes.data()),
                   bytes.size());
    offset_ += bytes.size();
    if (buffer_.size() + bytes.size() > kBufferBytes) {
      VECDB_RETURN_IF_ERROR(FlushBuffer());
      if (bytes.size() >= kBufferBytes) return WriteAll(bytes);
    }
    buffer_.append(bytes);
    return absl::OkStatus();
  }
  absl::Status FlushBuffer() {
    VECDB_RETURN_IF_ERROR(WriteAll(buffer_));
    buffer_.clear();
    return absl::OkStatus();
  }
  uint64_t offset() const { return offset_; }
  uint32_t crc() const { return static_cast<uint32_t>(crc_); }

 private:
  static constexpr size_t kBufferBytes = 1 << 20;
  absl::Status WriteAll(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoError("write", path_);
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }
  int fd_;
  std::string path_;
  std::string buffer_;
  uLong crc_ = crc32_z(0L, Z_NULL, 0);
  uint64_t offset_ = 0;
};

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

absl::Status WriteBody(FileWriter& out, const CollectionRecord& record,
                       uint64_t seq, const VectorIndex& index,
                       const LabelMap& ids) {
  VECDB_RETURN_IF_ERROR(out.Append(EncodeHeader(record, seq)));
  const uint64_t index_offset = out.offset();
  VECDB_RETURN_IF_ERROR(index.Serialize(
      [&out](std::string_view bytes) { return out.Append(bytes); }));
  const uint64_t index_length = out.offset() - index_offset;
  const uint64_t ids_offset = out.offset();
  std::string entry;
  for (const auto& [label, id] : ids) {
    entry.clear();
    AppendFixed<uint64_t>(entry, label);
    AppendFixed<uint32_t>(entry, static_cast<uint32_t>(id.size()));
    entry.append(id);
    VECDB_RETURN_IF_ERROR(out.Append(entry));
  }
  std::string footer;
  AppendFixed<uint64_t>(footer, index_offset);
  AppendFixed<uint64_t>(footer, index_length);
  AppendFixed<uint64_t>(footer, ids_offset);
  AppendFixed<uint64_t>(footer, ids.size());
  VECDB_RETURN_IF_ERROR(out.Append(footer));
  std::string crc;
  AppendFixed<uint32_t>(crc, out.crc());
  VECDB_RETURN_IF_ERROR(out.Append(crc));
  return out.FlushBuffer();
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return ErrnoError("open", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return ErrnoError("fsync", dir);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no checkpoint at ", path));
    }
    return ErrnoError("open", path);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return ErrnoError("stat", path);
  }
  // The allocation is bounded by the file's real size.
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return n == 0 ? absl::DataLossError(absl::StrCat(path, ": short read"))
                    : ErrnoError("read", path);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return data;
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

absl::Status WriteCheckpoint(const std::string& path,
                             const CollectionRecord& record, uint64_t seq,
                             const VectorIndex& index, const LabelMap& ids) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return ErrnoError("create", tmp);
  FileWriter writer(fd, tmp);
  absl::Status status = WriteBody(writer, record, seq, index, ids);
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoError("fsync", tmp);
  if (::close(fd) != 0 && status.ok()) status = ErrnoError("close", tmp);
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = ErrnoError("rename", tmp);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  return SyncDirectory(std::filesystem::path(path).parent_path().string());
}

absl::StatusOr<LoadedCheckpoint> ReadCheckpoint(const std::string& path,
                                                const CollectionRecord& record,
                                                const IndexOptions& options) {
  VECDB_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  if (data.size() < kHeaderBytes + kFooterBytes) {
    return Corrupt(path, absl::StrCat("truncated (", data.size(), " bytes)"));
  }
  const size_t body = data.size() - 4;
  const uint32_t stored_crc = ReadFixed<uint32_t>(data.data() + body);
  const uint32_t crc = static_cast<uint32_t>(
      crc32_z(crc32_z(0L, Z_NULL, 0),
              reinterpret_cast<const Bytef*>(data.data()), body));
  if (crc != stored_crc) return Corrupt(path, "checksum mismatch");
  VECDB_RETURN_IF_ERROR(CheckHeader(path, data, record));

  const char* footer = data.data() + body - (kFooterBytes - 4);
  const uint64_t index_offset = ReadFixed<uint64_t>(footer);
  const uint64_t index_length = ReadFixed<uint64_t>(footer + 8);
  const uint64_t ids_offset = ReadFixed<uint64_t>(footer + 16);
  const uint64_t id_count = ReadFixed<uint64_t>(footer + 24);
  const uint64_t ids_end = body - (kFooterBytes - 4);
  if (index_offset != kHeaderBytes || index_length > ids_end ||
      ids_offset != index_offset + index_length || ids_offset > ids_end) {
    return Corrupt(path, "bad section offsets");
  }

  LoadedCheckpoint loaded;
  loaded.seq = ReadFixed<uint64_t>(data.data() + 16);
  VECDB_ASSIGN_OR_RETURN(
      loaded.ids, ParseIds(path,
                           std::string_view(data).substr(
                               ids_offset, ids_end - ids_offset),
                           id_count));
  VECDB_ASSIGN_OR_RETURN(
      loaded.index,
      LoadHnswIndex(options,
                    std::string_view(data).substr(index_offset, index_length)));
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
