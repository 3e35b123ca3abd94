// A document as read from a source, before chunking.
// Header-only.
#ifndef VECDB_INGEST_DOCUMENT_H_
#define VECDB_INGEST_DOCUMENT_H_

#include <string>
#include <vector>

#include "common/types.h"

namespace vecdb::ingest {

// The format a document was read as.
enum class Format { kText, kMarkdown, kHtml, kPdf, kJsonl, kSmart };

struct Document {
  // Stable id: the chunk ids derive from it (common/chunk_fields.h).
  // 1..400 bytes so that "<id>#<index>" fits a point id.
  std::string id;
  // Where it came from: a path, "path:line" for JSONL, "path#.I 12" for
  // SMART, or what a streaming client sent.
  std::string source;
  Format format = Format::kText;
  // Valid UTF-8 (repaired by the reader when the input was not), with the
  // markup removed (HTML, PDF). Offsets of chunks index into it.
  std::string text;
  // The document's own fields (JSONL "metadata", a title the reader found
  // as "title"); never a reserved chunk field.
  Metadata metadata;
  // Non-fatal problems, e.g. "repaired 3 invalid UTF-8 sequences".
  std::vector<std::string> warnings;
};

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_DOCUMENT_H_
