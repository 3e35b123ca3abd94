// Private to the readers: one extractor per format and the checks every
// document goes through. The public contract is ingest/readers/reader.h.
#ifndef VECDB_INGEST_READERS_INTERNAL_FORMATS_H_
#define VECDB_INGEST_READERS_INTERNAL_FORMATS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/types.h"
#include "ingest/document.h"
#include "ingest/readers/reader.h"

namespace vecdb::ingest::readers_internal {

// Longest document id: "<id>#<chunk index>" must fit a point id.
inline constexpr size_t kMaxDocumentIdBytes = 400;

// What a single-document extractor found in a file's bytes.
struct Extracted {
  // Not yet repaired or checked; FinishDocument does that.
  std::string text;
  Metadata metadata;
  // Invalid UTF-8 sequences the extractor already replaced (e.g. in the
  // input it handed to a parser).
  size_t repaired = 0;
};

// txt and md: the bytes as written (line ends normalised, BOM dropped); md
// also yields the first "# " heading as "title".
Extracted ExtractText(std::string_view bytes, bool markdown);
// HTML through gumbo, see reader.h.
Extracted ExtractHtml(std::string_view bytes);
// PDF through poppler-cpp; InvalidArgument for damaged or encrypted files.
absl::StatusOr<Extracted> ExtractPdf(std::string_view bytes,
                                     std::string_view source);

// One record per line / per ".I"; `path` names the file in sources and
// messages.
std::vector<ReadRecord> ReadJsonl(std::string_view bytes,
                                  std::string_view path);
std::vector<ReadRecord> ReadSmart(std::string_view bytes,
                                  std::string_view path);

// InvalidArgument "<source>: ..." unless `id` is 1..kMaxDocumentIdBytes of
// valid UTF-8.
absl::Status CheckDocumentId(std::string_view id, std::string_view source);

// "\r\n" and lone "\r" become "\n"; a leading byte-order mark is dropped.
std::string NormalizeLineEnds(std::string_view text);

// Builds the document: repairs `extracted.text` to valid UTF-8 (a warning
// counts the replacements, with extracted.repaired), and rejects a text
// without any non-space character (InvalidArgument "<source>: no text").
absl::StatusOr<Document> FinishDocument(Extracted extracted, Format format,
                                        std::string id, std::string source);

// The record for a result: the document, or the failure with id and source.
ReadRecord ToRecord(absl::StatusOr<Document> document, std::string doc_id,
                    std::string source);

// Within one file, a record whose id an earlier record already loaded
// fails (InvalidArgument "<source>: duplicate id ...") instead of silently
// replacing it.
void RejectDuplicateIds(std::vector<ReadRecord>& records);

}  // namespace vecdb::ingest::readers_internal

#endif  // VECDB_INGEST_READERS_INTERNAL_FORMATS_H_
