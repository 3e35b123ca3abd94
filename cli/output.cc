#include "cli/output.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace vecdb::cli {
namespace {

using Json = nlohmann::json;

constexpr size_t kBriefVectorValues = 4;
constexpr size_t kBriefDocumentChars = 60;
constexpr int kBarWidth = 30;

}  // namespace

Table::Table(std::vector<std::string> header) {
  if (!header.empty()) rows_.push_back(std::move(header));
}

void Table::AddRow(std::vector<std::string> row) {
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  for (const auto& row : rows_) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] - row[c].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
}

Json MetadataToJson(const Metadata& metadata) {
  Json json = Json::object();
  for (const auto& [key, value] : metadata) {
    std::visit([&json, &key = key](const auto& v) { json[key] = v; }, value);
  }
  return json;
}

Json PointToJson(const Point& point) {
  Json json = {{"id", point.id}};
  if (!point.vector.empty()) json["vector"] = point.vector;
  if (!point.metadata.empty())
    json["metadata"] = MetadataToJson(point.metadata);
  if (point.document.has_value()) json["document"] = *point.document;
  return json;
}

Json InfoToJson(const client::CollectionInfo& info) {
  Json json = {
      {"name", info.name},
      {"dimension", info.dimension},
      {"metric", std::string(MetricName(info.metric))},
      {"hnsw",
       {{"m", info.hnsw.m},
        {"ef_construction", info.hnsw.ef_construction},
        {"ef_search", info.hnsw.ef_search}}},
      {"count", info.count},
      {"created_unix_ms", info.created_unix_ms},
      {"last_sequence", info.last_sequence},
      {"checkpoint_sequence", info.checkpoint_sequence},
      {"index_slots", info.index_slots},
      {"index_deleted_slots", info.index_deleted_slots},
      {"applied_sequence", info.applied_sequence},
      {"compactions", info.compactions},
      {"last_compaction_unix", info.last_compaction_unix},
      {"last_compaction_reclaimed", info.last_compaction_reclaimed},
      {"index_stale_reason", info.index_stale_reason},
      {"wal_recovery", info.wal_recovery},
  };
  if (!info.ingest.empty()) json["ingest"] = IngestProfileToJson(info.ingest);
  return json;
}

Json IngestProfileToJson(const IngestProfile& profile) {
  return {{"embedder",
           {{"name", profile.embedder.name},
            {"model", profile.embedder.model},
            {"dimension", profile.embedder.dimension},
            {"parameters", profile.embedder.parameters}}},
          {"chunker",
           {{"name", profile.chunker.name},
            {"parameters", profile.chunker.parameters}}}};
}

namespace {

std::string FormatParameters(const SpecParameters& parameters) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : parameters) {
    parts.push_back(absl::StrCat(key, "=", value));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

std::string FormatEmbedder(const EmbedderSpec& spec) {
  std::string text = spec.name;
  if (!spec.model.empty()) absl::StrAppend(&text, " model ", spec.model);
  absl::StrAppend(&text, " (dimension ", spec.dimension);
  if (!spec.parameters.empty()) {
    absl::StrAppend(&text, ", ", FormatParameters(spec.parameters));
  }
  return text + ")";
}

std::string FormatChunker(const ChunkerSpec& spec) {
  if (spec.parameters.empty()) return spec.name;
  return absl::StrCat(spec.name, " (", FormatParameters(spec.parameters), ")");
}

void PrintJson(std::ostream& out, const Json& json) {
  out << json.dump(2, ' ', /*ensure_ascii=*/false,
                   Json::error_handler_t::replace)
      << "\n";
}

std::string FormatFloat(double value) { return absl::StrFormat("%.6g", value); }

std::string FormatVectorBrief(const std::vector<float>& vector) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < std::min(vector.size(), kBriefVectorValues); ++i) {
    parts.push_back(FormatFloat(vector[i]));
  }
  if (vector.size() > kBriefVectorValues) {
    parts.push_back(absl::StrCat("... (", vector.size(), ")"));
  }
  return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
}

std::string FormatDocumentBrief(const std::string& document) {
  std::string line = document;
  std::replace_if(
      line.begin(), line.end(),
      [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  if (line.size() > kBriefDocumentChars) {
    // Cut at a character boundary: never inside a UTF-8 sequence.
    size_t cut = kBriefDocumentChars;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    line = absl::StrCat(line.substr(0, cut), "...");
  }
  return line;
}

ProgressBar::ProgressBar(std::ostream& out, bool enabled, std::string label)
    : out_(out), enabled_(enabled), label_(std::move(label)) {}

void ProgressBar::Update(size_t done, size_t total) {
  if (!enabled_ || total == 0) return;
  const int filled = static_cast<int>(kBarWidth * done / total);
  out_ << "\r" << label_ << " [" << std::string(filled, '#')
       << std::string(kBarWidth - filled, '.') << "] " << (100 * done / total)
       << "% " << done << "/" << total << std::flush;
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace vecdb::cli
