#include "eval/judgments.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vecdb::eval {
namespace {

absl::Status LineError(const std::string& path, int line, const char* what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", what));
}

}  // namespace

absl::StatusOr<Judgments> LoadJudgments(const std::string& path,
                                        JudgmentFormat format) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  Judgments judgments;
  std::string raw;
  int line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    std::istringstream columns(raw);
    std::vector<std::string> fields;
    for (std::string field; columns >> field;) fields.push_back(field);
    if (fields.empty()) continue;
    if (format == JudgmentFormat::kSmart) {
      if (fields.size() < 2) {
        return LineError(path, line_number, "expected `query_id doc_id ...`");
      }
      judgments[fields[0]].insert(fields[1]);
      continue;
    }
    if (fields.size() != 4) {
      return LineError(path, line_number,
                       "expected `query_id iteration doc_id relevance`");
    }
    double relevance = 0;
    try {
      relevance = std::stod(fields[3]);
    } catch (const std::exception&) {
      return LineError(path, line_number, "relevance is not a number");
    }
    if (relevance > 0) judgments[fields[0]].insert(fields[2]);
  }
  return judgments;
}

}  // namespace vecdb::eval
