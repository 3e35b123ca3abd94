#include "storage/point_codec.h"

#include <bit>
#include <cstring>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"

namespace vecdb {
namespace {

// Metadata type tags: the MetadataValue variant index + 1.
enum class MetadataTag : uint8_t {
  kString = 1,
  kInt64 = 2,
  kDouble = 3,
  kBool = 4,
  kStringList = 5,
};

constexpr bool kLittleEndianHost = std::endian::native == std::endian::little;

// Appends little-endian fields to a string.
class Writer {
 public:
  explicit Writer(size_t reserve) { out_.reserve(reserve); }

  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Fixed(v); }
  void U64(uint64_t v) { Fixed(v); }
  void Bytes(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void Floats(const std::vector<float>& v) {
    if constexpr (kLittleEndianHost) {
      out_.append(reinterpret_cast<const char*>(v.data()),
                  v.size() * sizeof(float));
    } else {
      for (float f : v) U32(std::bit_cast<uint32_t>(f));
    }
  }
  // Writes a u32 placeholder and returns its offset for PatchU32().
  size_t ReserveU32() {
    size_t at = out_.size();
    U32(0);
    return at;
  }
  void PatchU32(size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<char>(v >> (8 * i));
  }
  size_t size() const { return out_.size(); }
  std::string Finish() && { return std::move(out_); }

 private:
  template <typename T>
  void Fixed(T v) {
    for (size_t i = 0; i < sizeof(T); ++i) {
      out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
  }

  std::string out_;
};

// Reads little-endian fields; every method returns false, consuming
// nothing, when too few bytes remain.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool U8(uint8_t* v) { return Fixed(v); }
  bool U32(uint32_t* v) { return Fixed(v); }
  bool U64(uint64_t* v) { return Fixed(v); }
  bool Raw(size_t n, std::string_view* s) {
    if (in_.size() < n) return false;
    *s = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool Bytes(std::string_view* s) {
    std::string_view saved = in_;
    uint32_t n;
    if (!U32(&n) || !Raw(n, s)) {
      in_ = saved;
      return false;
    }
    return true;
  }
  bool Skip(size_t n) {
    std::string_view unused;
    return Raw(n, &unused);
  }
  size_t remaining() const { return in_.size(); }

 private:
  template <typename T>
  bool Fixed(T* v) {
    if (in_.size() < sizeof(T)) return false;
    T x = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      x |= static_cast<T>(static_cast<uint8_t>(in_[i])) << (8 * i);
    }
    in_.remove_prefix(sizeof(T));
    *v = x;
    return true;
  }

  std::string_view in_;
};

absl::Status Corrupt(std::string_view what, std::string_view detail) {
  return absl::DataLossError(
      absl::StrCat("corrupt ", AsAbsl(what), ": ", AsAbsl(detail)));
}

// Reads and checks the leading version byte.
absl::Status ReadVersion(Reader& r, std::string_view what) {
  uint8_t version;
  if (!r.U8(&version)) return Corrupt(what, "empty value");
  if (version != kFormatVersion) {
    return Corrupt(what, absl::StrCat("unknown format version ", version));
  }
  return absl::OkStatus();
}

absl::Status ExpectEnd(const Reader& r, std::string_view what) {
  if (r.remaining() != 0) {
    return Corrupt(what, absl::StrCat(r.remaining(), " trailing bytes"));
  }
  return absl::OkStatus();
}

// --- Metadata ---------------------------------------------------------------

void WriteMetadataValue(const MetadataValue& value, Writer& w) {
  w.U8(static_cast<uint8_t>(value.index() + 1));
  switch (static_cast<MetadataTag>(value.index() + 1)) {
    case MetadataTag::kString:
      w.Bytes(std::get<std::string>(value));
      break;
    case MetadataTag::kInt64:
      w.U64(static_cast<uint64_t>(std::get<int64_t>(value)));
      break;
    case MetadataTag::kDouble:
      w.U64(std::bit_cast<uint64_t>(std::get<double>(value)));
      break;
    case MetadataTag::kBool:
      w.U8(std::get<bool>(value) ? 1 : 0);
      break;
    case MetadataTag::kStringList: {
      const auto& list = std::get<std::vector<std::string>>(value);
      w.U32(static_cast<uint32_t>(list.size()));
      for (const std::string& s : list) w.Bytes(s);
      break;
    }
  }
}

absl::Status ReadMetadataValue(Reader& r, MetadataValue* value) {
  constexpr std::string_view kWhat = "point metadata";
  uint8_t tag;
  if (!r.U8(&tag)) return Corrupt(kWhat, "truncated type tag");
  switch (static_cast<MetadataTag>(tag)) {
    case MetadataTag::kString: {
      std::string_view s;
      if (!r.Bytes(&s)) return Corrupt(kWhat, "truncated string");
      value->emplace<std::string>(s);
      return absl::OkStatus();
    }
    case MetadataTag::kInt64: {
      uint64_t v;
      if (!r.U64(&v)) return Corrupt(kWhat, "truncated int64");
      value->emplace<int64_t>(static_cast<int64_t>(v));
      return absl::OkStatus();
    }
    case MetadataTag::kDouble: {
      uint64_t v;
      if (!r.U64(&v)) return Corrupt(kWhat, "truncated double");
      value->emplace<double>(std::bit_cast<double>(v));
      return absl::OkStatus();
    }
    case MetadataTag::kBool: {
      uint8_t v;
      if (!r.U8(&v)) return Corrupt(kWhat, "truncated bool");
      if (v > 1) return Corrupt(kWhat, absl::StrCat("bad bool byte ", v));
      value->emplace<bool>(v == 1);
      return absl::OkStatus();
    }
    case MetadataTag::kStringList: {
      uint32_t count;
      if (!r.U32(&count)) return Corrupt(kWhat, "truncated list length");
      // Each element takes at least its 4-byte length.
      if (count > r.remaining() / 4) {
        return Corrupt(kWhat, "list length exceeds value");
      }
      auto& list = value->emplace<std::vector<std::string>>();
      list.reserve(count);
      for (uint32_t i = 0; i < count; ++i) {
        std::string_view s;
        if (!r.Bytes(&s)) return Corrupt(kWhat, "truncated list element");
        list.emplace_back(s);
      }
      return absl::OkStatus();
    }
  }
  return Corrupt(kWhat, absl::StrCat("unknown type tag ", tag));
}

// `section` holds exactly the metadata section (count + entries).
absl::Status ReadMetadata(std::string_view section, Metadata* metadata) {
  constexpr std::string_view kWhat = "point metadata";
  Reader r(section);
  uint32_t count;
  if (!r.U32(&count)) return Corrupt(kWhat, "truncated entry count");
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view key;
    if (!r.Bytes(&key)) return Corrupt(kWhat, "truncated key");
    // Keys are written in map order; anything else is corruption (and
    // appending at the end keeps decoding linear).
    if (!metadata->empty() && metadata->rbegin()->first >= key) {
      return Corrupt(kWhat, "keys out of order");
    }
    MetadataValue value;
    VECDB_RETURN_IF_ERROR(ReadMetadataValue(r, &value));
    metadata->emplace_hint(metadata->end(), std::string(key), std::move(value));
  }
  return ExpectEnd(r, kWhat);
}

// --- Ingest profile ---------------------------------------------------------

void WriteParameters(const SpecParameters& parameters, Writer& w) {
  w.U32(static_cast<uint32_t>(parameters.size()));
  for (const auto& [key, value] : parameters) {
    w.Bytes(key);
    w.Bytes(value);
  }
}

// Written after created_unix_ms: a presence byte, then the profile.
void WriteIngestProfile(const IngestProfile& profile, Writer& w) {
  if (profile.empty()) {
    w.U8(0);
    return;
  }
  w.U8(1);
  w.Bytes(profile.embedder.name);
  w.Bytes(profile.embedder.model);
  w.U32(profile.embedder.dimension);
  WriteParameters(profile.embedder.parameters, w);
  w.Bytes(profile.chunker.name);
  WriteParameters(profile.chunker.parameters, w);
}

absl::Status ReadParameters(Reader& r, std::string_view what,
                            SpecParameters* parameters) {
  uint32_t count;
  if (!r.U32(&count)) return Corrupt(what, "truncated parameter count");
  // Each pair takes at least its two 4-byte lengths.
  if (count > r.remaining() / 8) {
    return Corrupt(what, "parameter count exceeds value");
  }
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view key;
    std::string_view value;
    if (!r.Bytes(&key) || !r.Bytes(&value)) {
      return Corrupt(what, "truncated parameter");
    }
    if (!parameters->empty() && parameters->rbegin()->first >= key) {
      return Corrupt(what, "parameters out of order");
    }
    parameters->emplace_hint(parameters->end(), std::string(key),
                             std::string(value));
  }
  return absl::OkStatus();
}

absl::Status ReadIngestProfile(Reader& r, IngestProfile* profile) {
  constexpr std::string_view kWhat = "collection record ingest profile";
  uint8_t present;
  if (!r.U8(&present)) return Corrupt(kWhat, "truncated presence byte");
  if (present == 0) return absl::OkStatus();
  if (present != 1) {
    return Corrupt(kWhat, absl::StrCat("bad presence byte ", present));
  }
  std::string_view embedder;
  std::string_view model;
  if (!r.Bytes(&embedder) || !r.Bytes(&model) ||
      !r.U32(&profile->embedder.dimension)) {
    return Corrupt(kWhat, "truncated embedder");
  }
  if (embedder.empty()) return Corrupt(kWhat, "empty embedder name");
  profile->embedder.name = std::string(embedder);
  profile->embedder.model = std::string(model);
  VECDB_RETURN_IF_ERROR(
      ReadParameters(r, kWhat, &profile->embedder.parameters));
  std::string_view chunker;
  if (!r.Bytes(&chunker)) return Corrupt(kWhat, "truncated chunker name");
  profile->chunker.name = std::string(chunker);
  return ReadParameters(r, kWhat, &profile->chunker.parameters);
}

}  // namespace

// --- Point ------------------------------------------------------------------

std::string EncodePoint(const StoredPoint& point) {
  size_t estimate = 1 + 8 + 4 + point.vector.size() * sizeof(float) + 4 + 4 +
                    1 + 4 + (point.document ? point.document->size() : 0);
  for (const auto& [key, value] : point.metadata) {
    estimate += 4 + key.size() + 1 + 8;
    if (const auto* s = std::get_if<std::string>(&value)) estimate += s->size();
  }
  Writer w(estimate);
  w.U8(kFormatVersion);
  w.U64(point.label);
  w.U32(static_cast<uint32_t>(point.vector.size()));
  w.Floats(point.vector);
  size_t metadata_size_at = w.ReserveU32();
  size_t metadata_begin = w.size();
  w.U32(static_cast<uint32_t>(point.metadata.size()));
  for (const auto& [key, value] : point.metadata) {
    w.Bytes(key);
    WriteMetadataValue(value, w);
  }
  w.PatchU32(metadata_size_at,
             static_cast<uint32_t>(w.size() - metadata_begin));
  w.U8(point.document.has_value() ? 1 : 0);
  if (point.document) w.Bytes(*point.document);
  return std::move(w).Finish();
}

absl::Status DecodePoint(std::string_view bytes, const PointFields& fields,
                         StoredPoint* point) {
  constexpr std::string_view kWhat = "point";
  *point = StoredPoint();
  Reader r(bytes);
  VECDB_RETURN_IF_ERROR(ReadVersion(r, kWhat));
  if (!r.U64(&point->label)) return Corrupt(kWhat, "truncated label");

  uint32_t dim;
  std::string_view floats;
  if (!r.U32(&dim)) return Corrupt(kWhat, "truncated dimension");
  if (dim > r.remaining() / sizeof(float) ||
      !r.Raw(size_t{dim} * sizeof(float), &floats)) {
    return Corrupt(kWhat, "vector exceeds value");
  }
  if (fields.vector) {
    point->vector.resize(dim);
    if constexpr (kLittleEndianHost) {
      std::memcpy(point->vector.data(), floats.data(), floats.size());
    } else {
      Reader fr(floats);
      for (float& f : point->vector) {
        uint32_t bits;
        fr.U32(&bits);
        f = std::bit_cast<float>(bits);
      }
    }
  }

  std::string_view metadata;
  if (!r.Bytes(&metadata)) return Corrupt(kWhat, "metadata exceeds value");
  if (fields.metadata) {
    VECDB_RETURN_IF_ERROR(ReadMetadata(metadata, &point->metadata));
  }

  uint8_t has_document;
  if (!r.U8(&has_document)) return Corrupt(kWhat, "truncated document flag");
  if (has_document > 1) {
    return Corrupt(kWhat, absl::StrCat("bad document flag ", has_document));
  }
  if (has_document == 1) {
    std::string_view document;
    if (!r.Bytes(&document)) return Corrupt(kWhat, "document exceeds value");
    if (fields.document) point->document.emplace(document);
  }
  return ExpectEnd(r, kWhat);
}

// --- CollectionRecord -------------------------------------------------------

std::string EncodeCollectionRecord(const CollectionRecord& record) {
  Writer w(1 + 4 + 4 + record.name.size() + 4 + 1 + 12 + 8);
  w.U8(kFormatVersion);
  w.U32(record.id);
  w.Bytes(record.name);
  w.U32(record.dimension);
  w.U8(static_cast<uint8_t>(record.metric));
  w.U32(record.hnsw.m);
  w.U32(record.hnsw.ef_construction);
  w.U32(record.hnsw.ef_search);
  w.U64(static_cast<uint64_t>(record.created_unix_ms));
  WriteIngestProfile(record.ingest, w);
  return std::move(w).Finish();
}

absl::Status DecodeCollectionRecord(std::string_view bytes,
                                    CollectionRecord* record) {
  constexpr std::string_view kWhat = "collection record";
  Reader r(bytes);
  VECDB_RETURN_IF_ERROR(ReadVersion(r, kWhat));
  std::string_view name;
  uint8_t metric;
  uint64_t created;
  if (!r.U32(&record->id) || !r.Bytes(&name) || !r.U32(&record->dimension) ||
      !r.U8(&metric) || !r.U32(&record->hnsw.m) ||
      !r.U32(&record->hnsw.ef_construction) ||
      !r.U32(&record->hnsw.ef_search) || !r.U64(&created)) {
    return Corrupt(kWhat, "truncated");
  }
  if (metric < static_cast<uint8_t>(Metric::kCosine) ||
      metric > static_cast<uint8_t>(Metric::kInnerProduct)) {
    return Corrupt(kWhat, absl::StrCat("unknown metric ", metric));
  }
  record->name = std::string(name);
  record->metric = static_cast<Metric>(metric);
  record->created_unix_ms = static_cast<int64_t>(created);
  record->ingest = IngestProfile();
  // A record written before ingest profiles existed ends here.
  if (r.remaining() == 0) return absl::OkStatus();
  VECDB_RETURN_IF_ERROR(ReadIngestProfile(r, &record->ingest));
  return ExpectEnd(r, kWhat);
}

// --- CollectionCounters -----------------------------------------------------

std::string EncodeCounters(const CollectionCounters& counters) {
  Writer w(1 + 3 * 8);
  w.U8(kFormatVersion);
  w.U64(counters.last_seq);
  w.U64(counters.next_label);
  w.U64(counters.live_count);
  return std::move(w).Finish();
}

absl::Status DecodeCounters(std::string_view bytes,
                            CollectionCounters* counters) {
  constexpr std::string_view kWhat = "collection counters";
  Reader r(bytes);
  VECDB_RETURN_IF_ERROR(ReadVersion(r, kWhat));
  if (!r.U64(&counters->last_seq) || !r.U64(&counters->next_label) ||
      !r.U64(&counters->live_count)) {
    return Corrupt(kWhat, "truncated");
  }
  return ExpectEnd(r, kWhat);
}

// --- Op list ----------------------------------------------------------------

std::string EncodeOps(const std::vector<Op>& ops) {
  size_t estimate = 1 + 4;
  for (const Op& op : ops) estimate += 1 + 8 + 4 + op.id.size();
  Writer w(estimate);
  w.U8(kFormatVersion);
  w.U32(static_cast<uint32_t>(ops.size()));
  for (const Op& op : ops) {
    w.U8(static_cast<uint8_t>(op.kind));
    w.U64(op.label);
    w.Bytes(op.id);
  }
  return std::move(w).Finish();
}

absl::Status DecodeOps(std::string_view bytes, std::vector<Op>* ops) {
  constexpr std::string_view kWhat = "op-log entry";
  constexpr size_t kMinOpBytes = 1 + 8 + 4;
  ops->clear();
  Reader r(bytes);
  VECDB_RETURN_IF_ERROR(ReadVersion(r, kWhat));
  uint32_t count;
  if (!r.U32(&count)) return Corrupt(kWhat, "truncated op count");
  if (count > r.remaining() / kMinOpBytes) {
    return Corrupt(kWhat, "op count exceeds value");
  }
  ops->reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t kind;
    Op op;
    std::string_view id;
    if (!r.U8(&kind) || !r.U64(&op.label) || !r.Bytes(&id)) {
      return Corrupt(kWhat, "truncated op");
    }
    if (kind != static_cast<uint8_t>(OpKind::kUpsert) &&
        kind != static_cast<uint8_t>(OpKind::kDelete) &&
        kind != static_cast<uint8_t>(OpKind::kMetadata)) {
      return Corrupt(kWhat, absl::StrCat("unknown op kind ", kind));
    }
    op.kind = static_cast<OpKind>(kind);
    op.id = std::string(id);
    ops->push_back(std::move(op));
  }
  return ExpectEnd(r, kWhat);
}

// --- Next collection id -----------------------------------------------------

std::string EncodeCollectionId(uint32_t id) {
  Writer w(5);
  w.U8(kFormatVersion);
  w.U32(id);
  return std::move(w).Finish();
}

absl::Status DecodeCollectionId(std::string_view bytes, uint32_t* id) {
  constexpr std::string_view kWhat = "next collection id";
  Reader r(bytes);
  VECDB_RETURN_IF_ERROR(ReadVersion(r, kWhat));
  if (!r.U32(id)) return Corrupt(kWhat, "truncated");
  return ExpectEnd(r, kWhat);
}

}  // namespace vecdb
