// Readers: files (or bytes) in, Documents out.
//
//   .txt, .text         plain text
//   .md, .markdown      markdown, kept as written (the markdown chunker reads
//                       its headings); the first "# " heading is the title
//   .html, .htm         text extracted with gumbo: block elements (p, div,
//                       li, h1-h6, br, tr, ...) end lines, script/style/
//                       noscript/template/head content dropped, entities
//                       decoded, whitespace runs collapsed; <title> → title;
//                       headings become "# "-style lines so that sections
//                       survive for the markdown chunker
//   .pdf                text of every page with poppler-cpp, pages separated
//                       by a blank line; the info dictionary's Title → title.
//                       Encrypted or damaged files are an error.
//   .jsonl, .ndjson     one record per line: {"id": string|integer,
//                       "text": string, "metadata": {string: string |
//                       integer | number | bool | [string...]}}; blank lines
//                       skipped; a bad line is one failed record (its source
//                       is "path:line"), the other lines still load
//   SMART (.all or --format smart)  ".I <id>" starts a record; ".T" title,
//                       ".A" authors, ".W" text, unknown fields skipped;
//                       text = title + blank line + .W text; metadata title
//                       and author (when present)
//
// Every text is repaired to valid UTF-8 (text/utf8.h): the count of
// replacements becomes a warning on the document, never an error. A
// document whose text is empty after extraction is an error
// (InvalidArgument "<source>: no text").
//
// Document ids: a file given directly → its path as given, lexically
// normalised ("./a/../b.txt" → "b.txt"); a file found under a directory
// argument → its path relative to that directory; a glob match → the path
// as matched. JSONL and SMART records → their own id. Ids are 1..400 bytes
// (longer: error).
//
// Thread safety: free functions without shared state.
#ifndef VECDB_INGEST_READERS_READER_H_
#define VECDB_INGEST_READERS_READER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/document.h"

namespace vecdb::ingest {

// "txt", "md", "html", "pdf", "jsonl", "smart".
std::string_view FormatName(Format format);
// Parses those names; InvalidArgument otherwise.
absl::StatusOr<Format> ParseFormat(std::string_view name);
// By file extension (case-insensitive); nullopt for unknown extensions.
std::optional<Format> FormatFromPath(std::string_view path);

// One file to read, found by ExpandSources.
struct SourceFile {
  std::string path;    // to open
  std::string doc_id;  // id of its document (single-document formats)
  Format format = Format::kText;
};

// Expands files, directories (recursive, sorted, hidden entries and files
// of unknown extension skipped) and glob patterns (*, ?, [..], with **
// for any depth) into files, in a deterministic order, each file once.
// `forced` overrides detection by extension. NotFound for an argument that
// matches nothing.
absl::StatusOr<std::vector<SourceFile>> ExpandSources(
    const std::vector<std::string>& inputs, std::optional<Format> forced);

// The outcome of reading one record of a file.
struct ReadRecord {
  // Set for records that failed; `document` is then unset.
  absl::Status status;
  // Id and source are always set when known, also for failed records, so
  // that the caller can report them (and keep them from being pruned).
  std::string doc_id;
  std::string source;
  std::optional<Document> document;
};

// Reads every record of `file`: one for txt/md/html/pdf, one per line for
// JSONL, one per ".I" for SMART. An unreadable file is one failed record
// with the file's doc_id.
std::vector<ReadRecord> ReadSource(const SourceFile& file);

// Parses one document from bytes (single-document formats only; JSONL and
// SMART are InvalidArgument here). Used by the streaming ingest service.
absl::StatusOr<Document> ParseDocument(std::string_view bytes, Format format,
                                       std::string id, std::string source);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_READERS_READER_H_
