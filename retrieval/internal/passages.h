// Merging chunks into passages and rendering them (rules 3-5 of
// retrieval/context.h). Private to retrieval/ and its tests.
#ifndef VECDB_RETRIEVAL_INTERNAL_PASSAGES_H_
#define VECDB_RETRIEVAL_INTERNAL_PASSAGES_H_

#include <string>
#include <vector>

#include "retrieval/context.h"

namespace vecdb::retrieval_internal {

using retrieval::Passage;
using retrieval::RetrievedChunk;

// The passages made of chunks of one document: each maximal group whose
// code-point ranges overlap or touch becomes one passage, its text stitched
// by offsets so that it equals the document's text over [char_start,
// char_end). In reading order; not yet numbered.
std::vector<Passage> MergeDocumentChunks(
    std::vector<const RetrievedChunk*> chunks);

// "<title or source> › <section › path>" with empty parts left out;
// newlines in them become spaces.
std::string HeaderPath(const Passage& passage);

// "[n]", then " " and the header path unless that is empty.
std::string PassageHeader(const Passage& passage);

// Each passage as its header, a newline and its text; passages separated by
// a blank line.
std::string RenderContext(const std::vector<Passage>& passages);

}  // namespace vecdb::retrieval_internal

#endif  // VECDB_RETRIEVAL_INTERNAL_PASSAGES_H_
