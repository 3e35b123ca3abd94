// Merging chosen chunks into passages and rendering them (rules 3-5 of
// retrieval/context.h). Private to retrieval/ and its tests.
#ifndef VECDB_RETRIEVAL_INTERNAL_PASSAGES_H_
#define VECDB_RETRIEVAL_INTERNAL_PASSAGES_H_

#include <string>
#include <vector>

#include "retrieval/context.h"

namespace vecdb::retrieval_internal {

using retrieval::Passage;
using retrieval::RetrievedChunk;

// The numbered passages built from `chosen` (best rank first, already
// deduplicated). Chunks of one document whose code-point ranges overlap or
// touch become one passage whose text is stitched by offsets, so it equals
// the document's text over [char_start, char_end). Documents come in the
// order of their first chunk in `chosen`; a document's passages by
// char_start. The pointers must outlive the call only.
std::vector<Passage> BuildPassages(
    const std::vector<const RetrievedChunk*>& chosen);

// "[n] <title or source> › <section › path>", parts that are empty left out
// (no trailing separator).
std::string PassageHeader(const Passage& passage);

// Each passage as its header, a newline and its text; passages separated by
// a blank line.
std::string RenderContext(const std::vector<Passage>& passages);

}  // namespace vecdb::retrieval_internal

#endif  // VECDB_RETRIEVAL_INTERNAL_PASSAGES_H_
