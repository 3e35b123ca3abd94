#include "eval/queries.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "eval/line_file.h"
#include "ingest/readers/reader.h"
#include "nlohmann/json.hpp"

namespace vecdb::eval {
namespace {

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

absl::StatusOr<QueryFormat> DetectFormat(
    const std::string& path, const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsBlank(lines[i])) continue;
    const absl::string_view line = absl::StripLeadingAsciiWhitespace(lines[i]);
    if (absl::StartsWith(line, "{")) return QueryFormat::kJsonl;
    if (absl::StartsWith(line, ".I")) return QueryFormat::kSmart;
    if (absl::StrContains(line, '\t')) return QueryFormat::kTsv;
    return LineError(path, i + 1,
                     "cannot tell the query format (expected a JSON object, "
                     "a SMART \".I\" line or \"id<TAB>text\")");
  }
  return QueryFormat::kTsv;  // An empty file: no queries in any format.
}

absl::StatusOr<std::vector<EvalQuery>> ReadSmart(const std::string& path) {
  std::vector<EvalQuery> queries;
  const ingest::SourceFile file{
      .path = path, .doc_id = path, .format = ingest::Format::kSmart};
  for (auto& record : ingest::ReadSource(file)) {
    if (!record.status.ok()) return record.status;
    queries.push_back({.id = record.doc_id, .text = record.document->text});
  }
  return queries;
}

absl::StatusOr<EvalQuery> ParseLine(const std::string& path, size_t number,
                                    const std::string& line,
                                    QueryFormat format) {
  if (format == QueryFormat::kTsv) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      return LineError(path, number, "expected \"id<TAB>text\"");
    }
    EvalQuery query{.id = line.substr(0, tab), .text = line.substr(tab + 1)};
    if (query.id.empty()) return LineError(path, number, "empty query id");
    return query;
  }
  const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return LineError(path, number, "not a JSON object");
  }
  const auto id = JsonId(object, "id");
  const auto text = object.find("text");
  if (!id || text == object.end() || !text->is_string()) {
    return LineError(path, number,
                     "needs \"id\" (string or integer) and \"text\" (string)");
  }
  return EvalQuery{.id = *id, .text = text->get<std::string>()};
}

}  // namespace

absl::StatusOr<QueryFormat> ParseQueryFormat(std::string_view name) {
  if (name == "auto") return QueryFormat::kAuto;
  if (name == "smart") return QueryFormat::kSmart;
  if (name == "jsonl") return QueryFormat::kJsonl;
  if (name == "tsv") return QueryFormat::kTsv;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown queries format \"", absl::string_view(name.data(), name.size()),
      "\" (expected auto, smart, jsonl or tsv)"));
}

absl::StatusOr<std::vector<EvalQuery>> LoadQueries(const std::string& path,
                                                   QueryFormat format) {
  VECDB_ASSIGN_OR_RETURN(const std::vector<std::string> lines, ReadLines(path));
  if (format == QueryFormat::kAuto) {
    VECDB_ASSIGN_OR_RETURN(format, DetectFormat(path, lines));
  }
  if (format == QueryFormat::kSmart) return ReadSmart(path);
  std::vector<EvalQuery> queries;
  std::set<std::string, std::less<>> ids;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsBlank(lines[i])) continue;
    VECDB_ASSIGN_OR_RETURN(EvalQuery query,
                           ParseLine(path, i + 1, lines[i], format));
    if (IsBlank(query.text)) {
      return LineError(path, i + 1, "empty query text");
    }
    if (!ids.insert(query.id).second) {
      return LineError(path, i + 1,
                       absl::StrCat("query id \"", query.id, "\" repeated"));
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

}  // namespace vecdb::eval
