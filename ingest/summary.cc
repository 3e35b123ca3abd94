#include "ingest/summary.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vecdb::ingest {
namespace {

// Errors and ids may hold bytes that are not UTF-8 (a file name): replace
// them rather than fail to print.
std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kIndexed:
      return "indexed";
    case Outcome::kUnchanged:
      return "unchanged";
    case Outcome::kFailed:
      return "failed";
  }
  return "unknown";
}

void RunSummary::Add(const DocumentResult& result) {
  ++documents;
  switch (result.outcome) {
    case Outcome::kIndexed:
      ++indexed;
      chunks_written += result.chunks;
      break;
    case Outcome::kUnchanged:
      ++unchanged;
      break;
    case Outcome::kFailed:
      ++failed;
      break;
  }
  removed += result.removed;
}

double RunSummary::chunks_per_second() const {
  return seconds > 0 ? static_cast<double>(chunks_written) / seconds : 0;
}

std::string ResultJson(const DocumentResult& result) {
  nlohmann::json json = {
      {"doc_id", result.doc_id},
      {"source", result.source},
      {"outcome", OutcomeName(result.outcome)},
      {"chunks", result.chunks},
      {"removed", result.removed},
      {"warnings", result.warnings},
  };
  if (result.outcome == Outcome::kFailed) json["error"] = result.error;
  return Dump(json);
}

std::string ResultLine(const DocumentResult& result) {
  std::string line = absl::StrFormat(
      "%-9s %s (%s)", result.outcome == Outcome::kFailed
                          ? std::string("FAILED")
                          : std::string(OutcomeName(result.outcome)),
      result.doc_id, result.source);
  switch (result.outcome) {
    case Outcome::kIndexed:
      absl::StrAppend(&line, ": ", result.chunks, " chunks");
      if (result.removed > 0) {
        absl::StrAppend(&line, ", ", result.removed, " stale removed");
      }
      break;
    case Outcome::kUnchanged:
      absl::StrAppend(&line, ": ", result.chunks, " chunks");
      break;
    case Outcome::kFailed:
      absl::StrAppend(&line, ": ", result.error);
      break;
  }
  for (const std::string& warning : result.warnings) {
    absl::StrAppend(&line, "\n          warning: ", warning);
  }
  return line;
}

std::string SummaryJson(const RunSummary& summary,
                        const absl::Status& run_status) {
  nlohmann::json json = {
      {"summary",
       {
           {"documents", summary.documents},
           {"indexed", summary.indexed},
           {"unchanged", summary.unchanged},
           {"failed", summary.failed},
           {"chunks_written", summary.chunks_written},
           {"removed", summary.removed},
           {"pruned_documents", summary.pruned_documents},
           {"pruned_chunks", summary.pruned_chunks},
           {"seconds", summary.seconds},
           {"chunks_per_second", summary.chunks_per_second()},
       }},
  };
  if (!run_status.ok()) json["error"] = std::string(run_status.message());
  return Dump(json);
}

std::string SummaryLine(const RunSummary& summary) {
  return absl::StrFormat(
      "documents %d, indexed %d, unchanged %d, failed %d, chunks written %d, "
      "removed %d, pruned %d (%d chunks), %.2f s, %.1f chunks/s",
      summary.documents, summary.indexed, summary.unchanged, summary.failed,
      summary.chunks_written, summary.removed, summary.pruned_documents,
      summary.pruned_chunks, summary.seconds, summary.chunks_per_second());
}

int ExitCode(const RunSummary& summary, const absl::Status& run_status) {
  if (!run_status.ok()) return 2;
  return summary.failed > 0 ? 1 : 0;
}

}  // namespace vecdb::ingest
