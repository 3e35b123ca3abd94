#include "eval/judgments.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "eval/line_file.h"
#include "nlohmann/json.hpp"

namespace vecdb::eval {
namespace {

std::vector<std::string> Columns(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> columns;
  for (std::string column; in >> column;) columns.push_back(column);
  return columns;
}

bool IsInteger(const std::string& text) {
  int value = 0;
  return absl::SimpleAtoi(text, &value);
}

JudgmentFormat DetectFormat(const std::vector<std::string>& lines) {
  if (LooksLikeJsonl(lines)) return JudgmentFormat::kJsonl;
  bool any = false;
  for (const std::string& line : lines) {
    const std::vector<std::string> columns = Columns(line);
    if (columns.empty()) continue;
    if (columns.size() != 4 || !IsInteger(columns[3])) {
      return JudgmentFormat::kSmart;
    }
    any = true;
  }
  return any ? JudgmentFormat::kTrec : JudgmentFormat::kSmart;
}

absl::Status AddColumnsLine(const std::string& path, size_t number,
                            const std::vector<std::string>& columns,
                            JudgmentFormat format, Judgments& judgments) {
  if (format == JudgmentFormat::kSmart) {
    if (columns.size() < 2) {
      return LineError(path, number, "expected `query_id doc_id ...` (SMART)");
    }
    judgments[columns[0]][columns[1]] = 1;
    return absl::OkStatus();
  }
  if (columns.size() != 4) {
    return LineError(path, number,
                     "expected `query_id iteration doc_id relevance` (TREC)");
  }
  int grade = 0;
  if (!absl::SimpleAtoi(columns[3], &grade)) {
    return LineError(
        path, number,
        absl::StrCat("relevance \"", columns[3], "\" is not an integer"));
  }
  judgments[columns[0]][columns[2]] = grade;
  return absl::OkStatus();
}

absl::Status AddJsonLine(const std::string& path, size_t number,
                         const std::string& line, Judgments& judgments) {
  const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return LineError(path, number, "not a JSON object");
  }
  const auto query = JsonId(object, "query_id");
  const auto doc = JsonId(object, "doc_id");
  if (!query || !doc) {
    return LineError(path, number,
                     "needs \"query_id\" and \"doc_id\" (strings or integers)");
  }
  int grade = 1;
  if (const auto it = object.find("relevance"); it != object.end()) {
    if (!it->is_number_integer()) {
      return LineError(path, number, "\"relevance\" is not an integer");
    }
    grade = it->get<int>();
  }
  judgments[*query][*doc] = grade;
  return absl::OkStatus();
}

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

}  // namespace

absl::StatusOr<JudgmentFormat> ParseJudgmentFormat(std::string_view name) {
  if (name == "auto") return JudgmentFormat::kAuto;
  if (name == "smart") return JudgmentFormat::kSmart;
  if (name == "trec") return JudgmentFormat::kTrec;
  if (name == "jsonl") return JudgmentFormat::kJsonl;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown qrels format \"", absl::string_view(name.data(), name.size()),
      "\" (expected auto, smart, trec or jsonl)"));
}

std::string_view JudgmentFormatName(JudgmentFormat format) {
  switch (format) {
    case JudgmentFormat::kAuto:
      return "auto";
    case JudgmentFormat::kSmart:
      return "smart";
    case JudgmentFormat::kTrec:
      return "trec";
    case JudgmentFormat::kJsonl:
      return "jsonl";
  }
  return "unknown";
}

absl::StatusOr<Judgments> LoadJudgments(const std::string& path,
                                        JudgmentFormat format) {
  VECDB_ASSIGN_OR_RETURN(const std::vector<std::string> lines, ReadLines(path));
  if (format == JudgmentFormat::kAuto) format = DetectFormat(lines);
  Judgments judgments;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsBlank(lines[i])) continue;
    if (format == JudgmentFormat::kJsonl) {
      VECDB_RETURN_IF_ERROR(AddJsonLine(path, i + 1, lines[i], judgments));
    } else {
      VECDB_RETURN_IF_ERROR(
          AddColumnsLine(path, i + 1, Columns(lines[i]), format, judgments));
    }
  }
  return judgments;
}

size_t RelevantCount(const DocGrades& grades) {
  size_t count = 0;
  for (const auto& [doc, grade] : grades) count += grade > 0 ? 1 : 0;
  return count;
}

}  // namespace vecdb::eval
