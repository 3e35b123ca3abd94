// Content hashes that decide whether a document changed since it was last
// ingested, and that identify chunk texts.
//
//   DocumentHash  hex SHA-256 over the document text (length-prefixed: the
//                 separator from what follows) and a canonical encoding of
//                 its metadata: keys in sorted order, each value tagged
//                 with its type (so "1" and 1 differ), every string
//                 length-prefixed (so no two different documents encode
//                 alike). The id and the source are not part of it.
//   ChunkHash     hex SHA-256 of the chunk text.
//
// Both are stable across runs, machines and builds: they are stored with
// every chunk (common/chunk_fields.h: doc_hash, chunk_hash) and compared on
// the next run.
//
// Thread safety: free functions without shared state.
#ifndef VECDB_INGEST_CONTENT_HASH_H_
#define VECDB_INGEST_CONTENT_HASH_H_

#include <string>
#include <string_view>

#include "common/types.h"
#include "ingest/document.h"

namespace vecdb::ingest {

// 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

// The canonical encoding of `metadata` that DocumentHash hashes.
std::string EncodeMetadata(const Metadata& metadata);

std::string DocumentHash(std::string_view text, const Metadata& metadata);
inline std::string DocumentHash(const Document& document) {
  return DocumentHash(document.text, document.metadata);
}

inline std::string ChunkHash(std::string_view chunk_text) {
  return Sha256Hex(chunk_text);
}

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_CONTENT_HASH_H_
