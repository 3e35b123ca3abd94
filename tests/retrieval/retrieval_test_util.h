// Builders for the retrieval tests: chunks cut from a document by code-point
// range, as vecdb-ingest would store them.
#ifndef VECDB_TESTS_RETRIEVAL_RETRIEVAL_TEST_UTIL_H_
#define VECDB_TESTS_RETRIEVAL_RETRIEVAL_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/chunk_fields.h"
#include "retrieval/context.h"

namespace vecdb::testing {

// Byte offsets of every code point of valid UTF-8 `text`, plus text.size().
// Written out here so the tests do not trust text/utf8.h to check code that
// uses it.
inline std::vector<size_t> CodePointStarts(std::string_view text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      starts.push_back(i);
    }
  }
  starts.push_back(text.size());
  return starts;
}

inline size_t CodePoints(std::string_view text) {
  return CodePointStarts(text).size() - 1;
}

// document[start, end) in code points.
inline std::string Slice(std::string_view document, size_t start, size_t end) {
  const std::vector<size_t> starts = CodePointStarts(document);
  return std::string(
      document.substr(starts[start], starts[end] - starts[start]));
}

// Chunk `index` of `doc_id` covering document[start, end); its hash is its
// id, so no two chunks deduplicate unless a test says so.
inline retrieval::RetrievedChunk ChunkOf(std::string_view doc_id,
                                         std::string_view document,
                                         uint32_t index, uint64_t start,
                                         uint64_t end, uint32_t rank) {
  retrieval::RetrievedChunk chunk;
  chunk.doc_id = std::string(doc_id);
  chunk.chunk_id = chunk_fields::ChunkId(doc_id, index);
  chunk.source = std::string(doc_id);
  chunk.chunk_index = index;
  chunk.char_start = start;
  chunk.char_end = end;
  chunk.text = Slice(document, start, end);
  chunk.chunk_hash = chunk.chunk_id;
  chunk.rank = rank;
  return chunk;
}

// A whole-text chunk (chunk 0 of `doc_id`, offsets [0, length)).
inline retrieval::RetrievedChunk WholeChunk(std::string_view doc_id,
                                            std::string_view text,
                                            uint32_t rank) {
  return ChunkOf(doc_id, text, 0, 0, CodePoints(text), rank);
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_RETRIEVAL_RETRIEVAL_TEST_UTIL_H_
