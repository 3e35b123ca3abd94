// Evaluation queries, in three formats:
//
//   SMART .QRY  ".I <id>" records; the text of every field (MED.QRY,
//               ADI.QRY), read by the ingest SMART reader;
//   JSONL       one object per line: {"id": "1", "text": "..."}; the id a
//               string or an integer; other keys are ignored;
//   TSV         one query per line: "id<TAB>text" (the text is everything
//               after the first tab).
//
// QueryFormat::kAuto: JSONL when the first non-blank character is '{',
// SMART when the first non-blank line starts with ".I", TSV when it holds
// a tab; InvalidArgument otherwise.
//
// Blank lines are skipped; CRLF line ends are accepted. Ids must be unique
// and texts non-empty.
//
// Thread safety: stateless free functions.
#ifndef VECDB_EVAL_QUERIES_H_
#define VECDB_EVAL_QUERIES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace vecdb::eval {

struct EvalQuery {
  std::string id;
  std::string text;
};

enum class QueryFormat { kAuto, kSmart, kJsonl, kTsv };

// "auto", "smart", "jsonl", "tsv"; InvalidArgument otherwise.
absl::StatusOr<QueryFormat> ParseQueryFormat(std::string_view name);

// The queries of `path`, in file order. NotFound when it cannot be opened;
// InvalidArgument "path:line: ..." for a malformed line or a repeated id
// (SMART errors as the SMART reader gives them).
absl::StatusOr<std::vector<EvalQuery>> LoadQueries(
    const std::string& path, QueryFormat format = QueryFormat::kAuto);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_QUERIES_H_
