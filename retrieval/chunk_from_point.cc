// ChunkFromPoint: the lineage fields of common/chunk_fields.h read back from
// a point. doc_id, chunk_index, char_start and char_end are required; the
// other reserved fields are optional, but when present must have the type
// vecdb-ingest writes.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/chunk_fields.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "retrieval/context.h"

namespace vecdb::retrieval {
namespace {

namespace fields = chunk_fields;

absl::Status NotAChunk(const Point& point, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "point ", point.id, ": not an ingested chunk (", AsAbsl(why), ")"));
}

absl::Status WrongType(const Point& point, std::string_view field,
                       std::string_view type) {
  return NotAChunk(point,
                   absl::StrCat(AsAbsl(field), " is not ", AsAbsl(type)));
}

// The value of `field` when present with type T; nullptr when absent;
// InvalidArgument when present with another type, or absent but `required`.
template <typename T>
absl::StatusOr<const T*> Field(const Point& point, std::string_view field,
                               std::string_view type, bool required) {
  auto it = point.metadata.find(field);
  if (it == point.metadata.end()) {
    if (required) return NotAChunk(point, absl::StrCat("no ", AsAbsl(field)));
    return nullptr;
  }
  const T* value = std::get_if<T>(&it->second);
  if (value == nullptr) return WrongType(point, field, type);
  return value;
}

absl::StatusOr<const std::string*> StringField(const Point& point,
                                               std::string_view field,
                                               bool required) {
  return Field<std::string>(point, field, "a string", required);
}

// A non-negative int field no larger than `max`.
absl::StatusOr<const int64_t*> IntField(const Point& point,
                                        std::string_view field, bool required,
                                        int64_t max) {
  VECDB_ASSIGN_OR_RETURN(const int64_t* value,
                         Field<int64_t>(point, field, "an int", required));
  if (value != nullptr && (*value < 0 || *value > max)) {
    return NotAChunk(
        point, absl::StrCat(AsAbsl(field), " is out of range (", *value, ")"));
  }
  return value;
}

}  // namespace

absl::StatusOr<RetrievedChunk> ChunkFromPoint(const Point& point) {
  constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMaxIndex = std::numeric_limits<uint32_t>::max();
  RetrievedChunk chunk;
  chunk.chunk_id = point.id;

  VECDB_ASSIGN_OR_RETURN(const std::string* doc_id,
                         StringField(point, fields::kDocId, true));
  VECDB_ASSIGN_OR_RETURN(const std::string* source,
                         StringField(point, fields::kSource, false));
  // Checked for its type only.
  VECDB_RETURN_IF_ERROR(StringField(point, fields::kDocHash, false).status());
  VECDB_ASSIGN_OR_RETURN(const std::string* chunk_hash,
                         StringField(point, fields::kChunkHash, false));
  VECDB_ASSIGN_OR_RETURN(
      const int64_t* chunk_count,
      IntField(point, fields::kChunkCount, false, kMaxIndex));
  VECDB_ASSIGN_OR_RETURN(const int64_t* chunk_index,
                         IntField(point, fields::kChunkIndex, true, kMaxIndex));
  VECDB_ASSIGN_OR_RETURN(const int64_t* char_start,
                         IntField(point, fields::kCharStart, true, kMaxInt));
  VECDB_ASSIGN_OR_RETURN(const int64_t* char_end,
                         IntField(point, fields::kCharEnd, true, kMaxInt));
  VECDB_ASSIGN_OR_RETURN(const std::vector<std::string>* section,
                         Field<std::vector<std::string>>(
                             point, fields::kSection, "a string list", false));
  if (*char_end < *char_start) {
    return NotAChunk(point, absl::StrCat("char_end ", *char_end,
                                         " < char_start ", *char_start));
  }
  if (chunk_count != nullptr && *chunk_index >= *chunk_count) {
    return NotAChunk(point, absl::StrCat("chunk_index ", *chunk_index,
                                         " >= chunk_count ", *chunk_count));
  }
  if (!point.document.has_value()) return NotAChunk(point, "no document");

  chunk.doc_id = *doc_id;
  if (source != nullptr) chunk.source = *source;
  if (chunk_hash != nullptr) chunk.chunk_hash = *chunk_hash;
  if (section != nullptr) chunk.section = *section;
  chunk.chunk_index = static_cast<uint32_t>(*chunk_index);
  chunk.char_start = static_cast<uint64_t>(*char_start);
  chunk.char_end = static_cast<uint64_t>(*char_end);
  chunk.text = *point.document;

  for (const auto& [field, value] : point.metadata) {
    if (fields::IsReserved(field)) continue;
    chunk.metadata.emplace(field, value);
  }
  // A title of another type is the document's own business, not a title.
  if (const auto it = chunk.metadata.find(fields::kTitle);
      it != chunk.metadata.end()) {
    if (const auto* title = std::get_if<std::string>(&it->second)) {
      chunk.title = *title;
    }
  }
  return chunk;
}

}  // namespace vecdb::retrieval
