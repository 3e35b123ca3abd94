// Relevance judgments (qrels) for retrieval evaluation, in three formats:
//
//   SMART .REL  "query_id doc_id [anything...]", 2 or more columns
//               (MED: "1 13 1", ADI: "1 17 0 0.000000"): every listed pair
//               is relevant with grade 1; the other columns are ignored.
//   TREC qrels  "query_id iteration doc_id relevance", exactly 4 columns,
//               relevance an integer grade (negative and 0 = judged
//               non-relevant, as in trec_eval).
//   JSONL       one object per line:
//                 {"query_id": "1", "doc_id": "13", "relevance": 2}
//               ids are strings or integers; "relevance" is an integer,
//               1 when absent. Other keys are ignored.
//
// JudgmentFormat::kAuto decides once per file, from its non-blank lines:
//   JSONL  when the first non-blank character is '{';
//   TREC   when every line has exactly 4 columns and every 4th column is
//          an integer (TREC grades are integers; ADI's SMART 4th column is
//          a score like "0.000000", and MED has 3 columns);
//   SMART  otherwise.
// A SMART file whose lines all have 4 integer columns would read as TREC:
// pass kSmart for such a file.
//
// A pair judged twice keeps its last grade. CRLF line ends and blank lines
// are accepted.
//
// Thread safety: stateless free functions.
#ifndef VECDB_EVAL_JUDGMENTS_H_
#define VECDB_EVAL_JUDGMENTS_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace vecdb::eval {

// doc id -> grade; relevant when the grade is > 0.
using DocGrades = std::map<std::string, int, std::less<>>;
// query id -> its judged documents.
using Judgments = std::map<std::string, DocGrades, std::less<>>;

enum class JudgmentFormat { kAuto, kSmart, kTrec, kJsonl };

// "auto", "smart", "trec", "jsonl"; InvalidArgument otherwise.
absl::StatusOr<JudgmentFormat> ParseJudgmentFormat(std::string_view name);
std::string_view JudgmentFormatName(JudgmentFormat format);

// NotFound when the file cannot be opened; InvalidArgument "path:line: ..."
// for a malformed line.
absl::StatusOr<Judgments> LoadJudgments(const std::string& path,
                                        JudgmentFormat format);

// The number of documents with grade > 0.
size_t RelevantCount(const DocGrades& grades);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_JUDGMENTS_H_
