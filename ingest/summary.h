// The outcome of each document and of a whole run, and how they print.
//
// Per document (--json): one line per document,
//   {"doc_id":"a.md","source":"docs/a.md","outcome":"indexed","chunks":4,
//    "removed":2,"warnings":[]}        (+ "error" when failed)
// Summary (--json): {"summary":{"documents":..,"indexed":..,"unchanged":..,
//   "failed":..,"chunks_written":..,"removed":..,"pruned_documents":..,
//   "pruned_chunks":..,"seconds":..,"chunks_per_second":..},
//   "error":"..." (only when the run failed)}
// Text forms:
//   indexed   a.md (docs/a.md): 4 chunks, 2 stale removed
//   FAILED    b.pdf (docs/b.pdf): <error>
//   documents 3, indexed 1, unchanged 1, failed 1, chunks written 4,
//   removed 2, pruned 0 (0 chunks), 0.41 s, 9.8 chunks/s   (one line)
//
// Exit codes of vecdb-ingest: 0 every document indexed or unchanged, 1 some
// document failed, 2 the run failed (ExitCode).
//
// Thread safety: plain values and free functions.
#ifndef VECDB_INGEST_SUMMARY_H_
#define VECDB_INGEST_SUMMARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace vecdb::ingest {

enum class Outcome { kIndexed, kUnchanged, kFailed };

// "indexed", "unchanged", "failed".
std::string_view OutcomeName(Outcome outcome);

struct DocumentResult {
  std::string doc_id;
  std::string source;
  Outcome outcome = Outcome::kFailed;
  // Chunks written (indexed) or stored (unchanged).
  uint32_t chunks = 0;
  // Chunks of earlier versions deleted.
  uint32_t removed = 0;
  // Failed: why, naming the document and the problem.
  std::string error;
  std::vector<std::string> warnings;
};

struct RunSummary {
  uint64_t documents = 0;
  uint64_t indexed = 0;
  uint64_t unchanged = 0;
  uint64_t failed = 0;
  uint64_t chunks_written = 0;
  uint64_t removed = 0;
  uint64_t pruned_documents = 0;
  uint64_t pruned_chunks = 0;
  double seconds = 0;

  void Add(const DocumentResult& result);
  double chunks_per_second() const;
};

std::string ResultJson(const DocumentResult& result);
std::string ResultLine(const DocumentResult& result);
// `run_status` not OK adds the run's error.
std::string SummaryJson(const RunSummary& summary,
                        const absl::Status& run_status);
std::string SummaryLine(const RunSummary& summary);

int ExitCode(const RunSummary& summary, const absl::Status& run_status);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_SUMMARY_H_
