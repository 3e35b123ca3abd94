// Conversions for Retrieve: search hits to retrieval chunks, and retrieved
// chunks plus their assembled context to the RetrieveResponse message.
//
// Thread safety: stateless free functions.
#ifndef VECDB_SERVER_RETRIEVE_CONVERT_H_
#define VECDB_SERVER_RETRIEVE_CONVERT_H_

#include <vector>

#include "collection/collection.h"
#include "retrieval/context.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb {

// The hits as ranked chunks (rank = position + 1, score and distance as the
// search gave). A point without the lineage fields (common/chunk_fields.h)
// is its own document: doc_id and chunk_id = the point id, text = its
// document, [0, code points of the text), title from a string "title"
// field, every metadata field kept.
std::vector<retrieval::RetrievedChunk> ChunksFromHits(std::vector<Hit>&& hits);

// Fills chunks (citations, with the number of the passage holding each),
// passages, context and its sizes, and the truncated flag.
void RetrievedToProto(const std::vector<retrieval::RetrievedChunk>& chunks,
                      const retrieval::AssembledContext& context,
                      v1::RetrieveResponse* response);

}  // namespace vecdb

#endif  // VECDB_SERVER_RETRIEVE_CONVERT_H_
