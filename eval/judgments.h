// Relevance judgments (qrels) for retrieval evaluation.
//
// Two line formats, told apart per line by the column count:
//   SMART .REL   "query_id doc_id [anything...]" with 2 or 4 columns
//                (MED: "1 13 1", ADI: "1 17 0 0.0"): every pair relevant;
//   TREC qrels   "query_id iteration doc_id relevance" (4 columns, the
//                third not a number-like SMART score): relevant when
//                relevance > 0.
// A 4-column line is TREC when `format` says so (SMART's 4th column is a
// score that TREC would read as relevance, so guessing is unsafe).
//
// Thread safety: a stateless free function.
#ifndef VECDB_EVAL_JUDGMENTS_H_
#define VECDB_EVAL_JUDGMENTS_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"

namespace vecdb::eval {

// query id -> relevant document ids.
using Judgments = std::map<std::string, std::set<std::string>, std::less<>>;

enum class JudgmentFormat { kSmart, kTrec };

// NotFound when the file cannot be opened; InvalidArgument "path:line: ..."
// for a malformed line. CRLF line ends and blank lines are accepted.
absl::StatusOr<Judgments> LoadJudgments(const std::string& path,
                                        JudgmentFormat format);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_JUDGMENTS_H_
