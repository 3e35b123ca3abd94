// Context assembly for retrieval-augmented generation: ranked chunks in, a
// prompt-ready context block with numbered citations out.
//
//   std::vector<RetrievedChunk> ranked = ...;   // best first
//   AssembledContext context = AssembleContext(ranked, {.max_chars = 6000});
//   prompt = context.context + "\n\nQuestion: " + question;
//
// Rules, in this order:
//   1. Deduplicate: a chunk whose chunk_hash (or, without one, text) equals
//      a better-ranked chunk's is dropped (the same passage ingested twice).
//   2. Budget: chunks are taken best rank first while the passages built
//      from them (with their headers) fit max_chars and max_tokens (0 = no
//      limit for that unit); a chunk that does not fit is skipped and later,
//      smaller ones are still tried. `truncated` says some were left out.
//      When no chunk fits whole, the best one is cut at a word boundary to
//      fit (no marker; `truncated` says so) rather than returning nothing.
//   3. Merge: the chosen chunks of one document whose code-point ranges
//      overlap or touch become one passage; overlapping text appears once.
//      Chunks with a gap between them stay separate passages, so every
//      passage is exact document text [char_start, char_end).
//   4. Order: passages of a document in reading order (char_start);
//      documents ordered by their best chunk's rank. Passages are numbered
//      1, 2, ... in that order.
//   5. Render: each passage as
//        [n] <title or source> › <section path joined by " › ">
//        <passage text>
//      separated by a blank line; the header omits parts that are empty.
// max_chars counts code points of the whole context string.
//
// Thread safety: pure functions.
#ifndef VECDB_RETRIEVAL_CONTEXT_H_
#define VECDB_RETRIEVAL_CONTEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/types.h"

namespace vecdb::retrieval {

// One retrieved chunk with its lineage, read from its point
// (common/chunk_fields.h).
struct RetrievedChunk {
  std::string chunk_id;
  std::string doc_id;
  std::string source;
  std::string title;  // metadata "title" when present
  uint32_t chunk_index = 0;
  uint64_t char_start = 0;
  uint64_t char_end = 0;
  std::vector<std::string> section;
  std::string chunk_hash;
  std::string text;
  // The document's own metadata (the reserved chunk fields removed).
  Metadata metadata;
  // 1-based rank in the search result; score/distance as the search gave.
  uint32_t rank = 0;
  float score = 0;
  float distance = 0;
};

// Reads a chunk from a point returned with metadata and document.
// InvalidArgument "point <id>: not an ingested chunk (no doc_id)" when the
// lineage fields are missing or of the wrong type, naming the field.
absl::StatusOr<RetrievedChunk> ChunkFromPoint(const Point& point);

struct ContextBudget {
  // Code points of the context string; 0 = no limit.
  size_t max_chars = 0;
  // text/token_count.h tokens of the context string; 0 = no limit.
  size_t max_tokens = 0;
};

struct Passage {
  // 1-based citation number, as in "[n]" in the context.
  uint32_t number = 0;
  std::string doc_id;
  std::string source;
  std::string title;
  std::vector<std::string> section;  // of its first chunk
  uint64_t char_start = 0;
  uint64_t char_end = 0;
  std::string text;
  // The merged chunks, in reading order.
  std::vector<std::string> chunk_ids;
  // Best (smallest) rank among them.
  uint32_t best_rank = 0;
};

struct AssembledContext {
  std::vector<Passage> passages;
  std::string context;
  size_t chars = 0;   // code points of `context`
  size_t tokens = 0;  // CountTokens(context)
  // Some deduplicated chunks did not fit (or one was cut).
  bool truncated = false;
};

AssembledContext AssembleContext(const std::vector<RetrievedChunk>& ranked,
                                 const ContextBudget& budget);

}  // namespace vecdb::retrieval

#endif  // VECDB_RETRIEVAL_CONTEXT_H_
