// JSONL: one document per line, {"id", "text", "metadata"}.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/chunk_fields.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "ingest/readers/internal/formats.h"
#include "nlohmann/json.hpp"
#include "text/utf8.h"

namespace vecdb::ingest::readers_internal {
namespace {

using Json = nlohmann::json;

absl::Status LineError(std::string_view source, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(source), ": ", AsAbsl(message)));
}

// The record's "id": a string, or an integer written in decimal.
absl::StatusOr<std::string> IdOf(const Json& record, std::string_view source) {
  const auto it = record.find("id");
  if (it == record.end()) return LineError(source, "id: missing");
  if (it->is_string()) {
    std::string id = it->get<std::string>();
    if (id.empty()) return LineError(source, "id: empty");
    return id;
  }
  if (it->is_number_integer()) return it->dump();
  return LineError(source, "id: must be a string or an integer");
}

absl::StatusOr<MetadataValue> ValueOf(const Json& value, std::string_view key,
                                      std::string_view source) {
  switch (value.type()) {
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::boolean:
      return value.get<bool>();
    case Json::value_t::number_integer:
      return value.get<int64_t>();
    case Json::value_t::number_unsigned:
      if (value.get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        break;
      }
      return static_cast<int64_t>(value.get<uint64_t>());
    case Json::value_t::number_float:
      return value.get<double>();
    case Json::value_t::array: {
      std::vector<std::string> items;
      for (const Json& item : value) {
        if (!item.is_string()) {
          return LineError(source, absl::StrCat("metadata.", AsAbsl(key),
                                                ": a list must hold strings"));
        }
        items.push_back(item.get<std::string>());
      }
      return items;
    }
    default:
      break;
  }
  return LineError(source,
                   absl::StrCat("metadata.", AsAbsl(key), ": unsupported ",
                                value.type_name(), " value"));
}

absl::StatusOr<Metadata> MetadataOf(const Json& record,
                                    std::string_view source) {
  Metadata metadata;
  const auto it = record.find("metadata");
  if (it == record.end() || it->is_null()) return metadata;
  if (!it->is_object()) return LineError(source, "metadata: must be an object");
  for (const auto& [key, value] : it->items()) {
    if (key.empty()) return LineError(source, "metadata: empty field name");
    if (key.size() > kMaxMetadataKeyBytes) {
      return LineError(source, absl::StrCat("metadata: field name of ",
                                            key.size(), " bytes is too long"));
    }
    if (chunk_fields::IsReserved(key)) {
      return LineError(source,
                       absl::StrCat("metadata.", key, ": reserved field"));
    }
    VECDB_ASSIGN_OR_RETURN(metadata[key], ValueOf(value, key, source));
  }
  return metadata;
}

// Parses one non-blank line; `id` is set as soon as it is known.
absl::StatusOr<Document> ParseLine(std::string_view line,
                                   std::string_view source, std::string& id) {
  // nlohmann's parser rejects invalid UTF-8: repair before parsing.
  const text::Utf8Repair repaired = text::RepairUtf8(line);
  const Json record = Json::parse(repaired.text, nullptr,
                                  /*allow_exceptions=*/false);
  if (record.is_discarded()) return LineError(source, "bad JSON");
  if (!record.is_object()) return LineError(source, "not a JSON object");
  VECDB_ASSIGN_OR_RETURN(id, IdOf(record, source));
  VECDB_RETURN_IF_ERROR(CheckDocumentId(id, source));
  const auto text = record.find("text");
  if (text == record.end()) return LineError(source, "text: missing");
  if (!text->is_string()) return LineError(source, "text: must be a string");
  Extracted extracted;
  extracted.text = NormalizeLineEnds(text->get_ref<const std::string&>());
  extracted.repaired = repaired.replaced;
  VECDB_ASSIGN_OR_RETURN(extracted.metadata, MetadataOf(record, source));
  return FinishDocument(std::move(extracted), Format::kJsonl, id,
                        std::string(source));
}

}  // namespace

std::vector<ReadRecord> ReadJsonl(std::string_view bytes,
                                  std::string_view path) {
  std::vector<ReadRecord> records;
  size_t line_number = 0;
  while (!bytes.empty()) {
    ++line_number;
    const size_t end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    if (absl::StripAsciiWhitespace(AsAbsl(line)).empty()) continue;
    std::string source = absl::StrCat(AsAbsl(path), ":", line_number);
    std::string id;
    absl::StatusOr<Document> document = ParseLine(line, source, id);
    records.push_back(
        ToRecord(std::move(document), std::move(id), std::move(source)));
  }
  RejectDuplicateIds(records);
  return records;
}

}  // namespace vecdb::ingest::readers_internal
