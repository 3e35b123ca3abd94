// Chunkers split a document's text into chunks that are embedded and
// indexed one by one.
//
//   recursive  (default for everything but markdown) cut at the coarsest
//              boundary that gets pieces to at most `target_tokens`:
//              paragraphs (blank lines), then lines, then sentences
//              (. ! ? followed by a space), then words, then — for a single
//              word longer than the target — code points. Adjacent pieces
//              are packed up to the target; each chunk after the first
//              starts `overlap_tokens` earlier than where the previous one
//              ended (at a word boundary when one is near).
//   fixed      windows of exactly `target_tokens` tokens (the last may be
//              shorter), each starting `target_tokens - overlap_tokens`
//              after the previous.
//   markdown   splits at ATX headings ("#".."######") first; each section
//              is chunked recursively and its chunks carry the heading path
//              (outermost first, e.g. {"Guide", "Install", "Debian"}).
//              Headings inside fenced code blocks are not headings. The
//              heading line itself belongs to its section's first chunk.
//   auto       markdown for Format::kMarkdown and Format::kHtml (the HTML
//              reader writes headings as "#" lines), recursive otherwise.
//
// Parameters (ChunkerSpec::parameters, all optional): "target_tokens"
// (default 512, 16..8192), "overlap_tokens" (default min(64, target/8),
// < target/2).
// Tokens as text/token_count.h counts them.
//
// Guarantees, for every chunker and text:
//   - chunks are in reading order, indexes 0, 1, 2, ...;
//   - every non-space character of the text is in at least one chunk;
//   - text == the document text [char_start, char_end) in code points,
//     never empty, never starting or ending with whitespace;
//   - at most target_tokens tokens, except a single indivisible piece
//     (never: code-point cuts make everything divisible);
//   - the same text and spec always give the same chunks.
// A text with no non-space character gives no chunks.
//
// Thread safety: a Chunker is immutable; Split may run concurrently.
#ifndef VECDB_INGEST_CHUNKERS_CHUNKER_H_
#define VECDB_INGEST_CHUNKERS_CHUNKER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/ingest_profile.h"
#include "ingest/document.h"

namespace vecdb::ingest {

struct Chunk {
  uint32_t index = 0;
  // [char_start, char_end) in code points of the document text.
  size_t char_start = 0;
  size_t char_end = 0;
  // Heading path; empty outside markdown.
  std::vector<std::string> section;
  std::string text;
};

class Chunker {
 public:
  virtual ~Chunker() = default;
  // The spec with defaults filled in: what the collection records.
  virtual const ChunkerSpec& spec() const = 0;
  virtual std::vector<Chunk> Split(const Document& document) const = 0;
};

// InvalidArgument naming the parameter for an unknown name or a bad value.
absl::StatusOr<std::unique_ptr<Chunker>> MakeChunker(const ChunkerSpec& spec);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_CHUNKERS_CHUNKER_H_
