// Chunk points: what vecdb-ingest writes for one chunk of one document
// (the layout is common/chunk_fields.h).
//
//   id        chunk_fields::ChunkId(doc_id, chunk.index)
//   vector    left empty here; the embedding of `document` is filled in
//             by the pipeline
//   document  the chunk text
//   metadata  the document's own metadata plus doc_id, source, doc_hash,
//             chunk_count, chunk_index, char_start, char_end (int64),
//             section (string list, omitted when empty) and chunk_hash.
//
// Thread safety: free functions without shared state.
#ifndef VECDB_INGEST_CHUNK_POINTS_H_
#define VECDB_INGEST_CHUNK_POINTS_H_

#include <string_view>
#include <vector>

#include "common/types.h"
#include "ingest/chunkers/chunker.h"
#include "ingest/document.h"

namespace vecdb::ingest {

// One point per chunk, in chunk order, for `document` whose content hash is
// `doc_hash`. The reserved fields override any document field of the same
// name (readers never produce one).
std::vector<Point> BuildChunkPoints(const Document& document,
                                    std::string_view doc_hash,
                                    const std::vector<Chunk>& chunks);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_CHUNK_POINTS_H_
