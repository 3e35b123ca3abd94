// SMART test collections (MED, ADI, CISI, ...): ".I <id>" starts a record,
// ".T" title, ".A" authors, ".W" text; other fields are skipped.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/chunk_fields.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "ingest/readers/internal/formats.h"

namespace vecdb::ingest::readers_internal {
namespace {

struct SmartRecord {
  std::string id;
  size_t line = 0;  // of the ".I" line
  std::vector<std::string> title;
  std::vector<std::string> authors;
  std::vector<std::string> body;  // the .W lines, several .W fields in turn
};

// The field letter of a line ".X" or ".X <rest>", or 0.
char FieldOf(std::string_view line) {
  if (line.size() < 2 || line[0] != '.' || !absl::ascii_isupper(line[1])) {
    return 0;
  }
  if (line.size() > 2 && !absl::ascii_isspace(line[2])) return 0;
  return line[1];
}

// Drops blank lines at both ends.
void TrimBlankLines(std::vector<std::string>& lines) {
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  lines.erase(lines.begin(), lines.begin() + first);
}

// The one-line form of a field: its lines stripped and joined by `sep`.
std::string Joined(const std::vector<std::string>& lines,
                   std::string_view sep) {
  std::vector<absl::string_view> parts;
  for (const std::string& line : lines) {
    const absl::string_view part = absl::StripAsciiWhitespace(line);
    if (!part.empty()) parts.push_back(part);
  }
  return absl::StrJoin(parts, AsAbsl(sep));
}

absl::StatusOr<Document> ToDocument(SmartRecord record,
                                    std::string_view source) {
  VECDB_RETURN_IF_ERROR(CheckDocumentId(record.id, source));
  Extracted extracted;
  const std::string title = Joined(record.title, " ");
  const std::string authors = Joined(record.authors, "; ");
  TrimBlankLines(record.body);
  extracted.text = title;
  if (!title.empty() && !record.body.empty()) extracted.text.append("\n\n");
  extracted.text.append(absl::StrJoin(record.body, "\n"));
  if (!title.empty()) {
    extracted.metadata[std::string(chunk_fields::kTitle)] = title;
  }
  if (!authors.empty()) extracted.metadata["author"] = authors;
  return FinishDocument(std::move(extracted), Format::kSmart, record.id,
                        std::string(source));
}

}  // namespace

std::vector<ReadRecord> ReadSmart(std::string_view bytes,
                                  std::string_view path) {
  std::vector<ReadRecord> records;
  std::vector<SmartRecord> parsed;
  char field = 0;
  size_t line_number = 0;
  bool reported_stray_text = false;
  while (!bytes.empty()) {
    ++line_number;
    const size_t end = bytes.find('\n');
    absl::string_view line =
        absl::StripTrailingAsciiWhitespace(AsAbsl(bytes.substr(0, end)));
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    const char marker = FieldOf(std::string_view(line.data(), line.size()));
    if (marker == 'I') {
      parsed.push_back({std::string(absl::StripAsciiWhitespace(line.substr(2))),
                        line_number});
      field = 0;
      continue;
    }
    if (marker != 0) {
      field = marker;
      // Text after the marker on the same line belongs to the field.
      line = absl::StripLeadingAsciiWhitespace(line.substr(2));
      // A second .W field is a new paragraph.
      if (marker == 'W' && !parsed.empty() && !parsed.back().body.empty()) {
        parsed.back().body.emplace_back();
      }
    }
    if (parsed.empty()) {
      if (!line.empty() && !reported_stray_text) {
        reported_stray_text = true;
        std::string source = absl::StrCat(AsAbsl(path), ":", line_number);
        records.push_back(
            ToRecord(absl::InvalidArgumentError(absl::StrCat(
                         source, ": text before the first .I line")),
                     "", std::move(source)));
      }
      continue;
    }
    if (marker != 0 && line.empty()) continue;
    const std::string text(line.data(), line.size());
    if (field == 'T') parsed.back().title.push_back(text);
    if (field == 'A') parsed.back().authors.push_back(text);
    if (field == 'W') parsed.back().body.push_back(text);
  }
  for (SmartRecord& record : parsed) {
    std::string source = absl::StrCat(AsAbsl(path), "#.I ", record.id);
    std::string id = record.id;
    absl::StatusOr<Document> document = ToDocument(std::move(record), source);
    records.push_back(
        ToRecord(std::move(document), std::move(id), std::move(source)));
  }
  RejectDuplicateIds(records);
  return records;
}

}  // namespace vecdb::ingest::readers_internal
