// The metadata fields vecdb-ingest writes on every chunk it upserts: the
// document -> chunk lineage. Retrieve reads them back to cite chunks and to
// assemble context; filters can use them like any other field, e.g.
// {"field": "doc_id", "op": "eq", "value": "guide.md"}.
//
// A chunk point is:
//   id        ChunkId(doc_id, chunk_index) = doc_id + "#" + decimal index
//   vector    the embedding of the chunk text
//   document  the chunk text (indexed for BM25)
//   metadata  the document's own metadata fields, plus the fields below.
// The names below are reserved: a document whose own metadata uses one of
// them is rejected by vecdb-ingest.
//
// Offsets count Unicode code points (not bytes) into the document's text as
// read (after HTML/PDF extraction and UTF-8 repair), so text[char_start,
// char_end) in Python is the chunk.
// Header-only.
#ifndef VECDB_COMMON_CHUNK_FIELDS_H_
#define VECDB_COMMON_CHUNK_FIELDS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vecdb::chunk_fields {

// string: the document's id (file path relative to its input root, JSONL
// "id", SMART ".I").
inline constexpr std::string_view kDocId = "doc_id";
// string: where the document came from (path, path:line for JSONL).
inline constexpr std::string_view kSource = "source";
// string: hex SHA-256 of the document's content (text and metadata); all
// chunks of one ingested version share it.
inline constexpr std::string_view kDocHash = "doc_hash";
// int: how many chunks that version of the document has.
inline constexpr std::string_view kChunkCount = "chunk_count";
// int: 0-based position of the chunk in its document.
inline constexpr std::string_view kChunkIndex = "chunk_index";
// int: [char_start, char_end) in code points.
inline constexpr std::string_view kCharStart = "char_start";
inline constexpr std::string_view kCharEnd = "char_end";
// string list: heading path (markdown), outermost first; absent when empty.
inline constexpr std::string_view kSection = "section";
// string: hex SHA-256 of the chunk text.
inline constexpr std::string_view kChunkHash = "chunk_hash";

inline constexpr std::array<std::string_view, 9> kReserved = {
    kDocId,    kSource,  kDocHash, kChunkCount, kChunkIndex,
    kCharStart, kCharEnd, kSection, kChunkHash};

// Not reserved, but conventional: string, the document's title, set by the
// readers that find one (HTML <title>, SMART .T, PDF info) as an ordinary
// metadata field; a JSONL record may set it itself. Citations show it.
inline constexpr std::string_view kTitle = "title";

inline bool IsReserved(std::string_view field) {
  for (std::string_view name : kReserved) {
    if (name == field) return true;
  }
  return false;
}

// The point id of chunk `index` of document `doc_id`.
inline std::string ChunkId(std::string_view doc_id, uint32_t index) {
  std::string id(doc_id);
  id += '#';
  id += std::to_string(index);
  return id;
}

}  // namespace vecdb::chunk_fields

#endif  // VECDB_COMMON_CHUNK_FIELDS_H_
