// The checks and repairs shared by every format.
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"
#include "ingest/readers/internal/formats.h"
#include "text/utf8.h"

namespace vecdb::ingest::readers_internal {

absl::Status CheckDocumentId(std::string_view id, std::string_view source) {
  if (id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": empty document id"));
  }
  if (id.size() > kMaxDocumentIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": document id of ", id.size(),
                     " bytes exceeds the limit of ", kMaxDocumentIdBytes));
  }
  if (!text::IsValidUtf8(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": document id is not valid UTF-8"));
  }
  return absl::OkStatus();
}

std::string NormalizeLineEnds(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out.push_back(text[i]);
    } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
      out.push_back('\n');
    }
  }
  return out;
}

namespace {

// Repairs `value` in place; returns the number of replacements.
size_t RepairInPlace(std::string& value) {
  if (text::IsValidUtf8(value) && value.find('\0') == std::string::npos) {
    return 0;
  }
  text::Utf8Repair repair = text::RepairUtf8(value);
  value = std::move(repair.text);
  return repair.replaced;
}

// Repairs every string in `metadata`; returns the number of replacements.
size_t RepairMetadata(Metadata& metadata) {
  size_t repaired = 0;
  for (auto& [key, value] : metadata) {
    if (auto* s = std::get_if<std::string>(&value)) {
      repaired += RepairInPlace(*s);
    } else if (auto* list = std::get_if<std::vector<std::string>>(&value)) {
      for (std::string& item : *list) repaired += RepairInPlace(item);
    }
  }
  return repaired;
}

}  // namespace

absl::StatusOr<Document> FinishDocument(Extracted extracted, Format format,
                                        std::string id, std::string source) {
  text::Utf8Repair repair = text::RepairUtf8(extracted.text);
  const size_t repaired =
      extracted.repaired + repair.replaced + RepairMetadata(extracted.metadata);
  bool has_text = false;
  for (char c : repair.text) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) {
      has_text = true;
      break;
    }
  }
  if (!has_text) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": no text"));
  }
  Document document;
  document.id = std::move(id);
  document.source = std::move(source);
  document.format = format;
  document.text = std::move(repair.text);
  document.metadata = std::move(extracted.metadata);
  if (repaired > 0) {
    document.warnings.push_back(absl::StrCat("repaired ", repaired,
                                             " invalid UTF-8 sequence",
                                             repaired == 1 ? "" : "s"));
  }
  return document;
}

ReadRecord ToRecord(absl::StatusOr<Document> document, std::string doc_id,
                    std::string source) {
  ReadRecord record;
  record.doc_id = std::move(doc_id);
  record.source = std::move(source);
  if (document.ok()) {
    record.document = *std::move(document);
  } else {
    record.status = document.status();
  }
  return record;
}

void RejectDuplicateIds(std::vector<ReadRecord>& records) {
  absl::flat_hash_map<std::string, std::string> first_source;
  for (ReadRecord& record : records) {
    if (!record.document.has_value()) continue;
    const auto [it, inserted] =
        first_source.emplace(record.doc_id, record.source);
    if (inserted) continue;
    record.document.reset();
    record.status = absl::InvalidArgumentError(
        absl::StrCat(record.source, ": duplicate id \"", record.doc_id,
                     "\" (first at ", it->second, ")"));
  }
}

}  // namespace vecdb::ingest::readers_internal
