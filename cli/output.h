// What `vecdb` prints: aligned tables and key/value lists for people, JSON
// documents for scripts, and a progress bar for long uploads.
//
// Thread safety: none of these types is thread-safe; the tool is
// single-threaded.
#ifndef VECDB_CLI_OUTPUT_H_
#define VECDB_CLI_OUTPUT_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "common/ingest_profile.h"
#include "common/types.h"

namespace vecdb::cli {

// Rows of text printed with every column padded to its widest cell, two
// spaces apart. An empty header row prints no header.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void AddRow(std::vector<std::string> row);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// JSON renderings. Points carry "id" and whichever of "vector", "metadata",
// "document" they hold.
nlohmann::json InfoToJson(const client::CollectionInfo& info);
nlohmann::json PointToJson(const Point& point);
nlohmann::json MetadataToJson(const Metadata& metadata);

// An ingest profile as {"embedder": {...}, "chunker": {...}}; InfoToJson
// adds it as "ingest" only when the collection has one.
nlohmann::json IngestProfileToJson(const IngestProfile& profile);
// One line each: "hash (dimension 64, ngram_max=5, ngram_min=3)",
// "recursive (target_tokens=256)".
std::string FormatEmbedder(const EmbedderSpec& spec);
std::string FormatChunker(const ChunkerSpec& spec);

// Prints `json` indented, replacing invalid UTF-8 rather than failing.
void PrintJson(std::ostream& out, const nlohmann::json& json);

// Short human forms: a float with 6 significant digits; a vector's first few
// components; a document on one line, cut to a readable width.
std::string FormatFloat(double value);
std::string FormatVectorBrief(const std::vector<float>& vector);
std::string FormatDocumentBrief(const std::string& document);

// A one-line bar redrawn in place on `out` ("\r"). Does nothing when
// disabled; the tool enables it only when stdout is a terminal.
class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool enabled, std::string label);
  // Redraws the bar for `done` of `total`.
  void Update(size_t done, size_t total);
  // Ends the line if anything was drawn.
  void Finish();

 private:
  std::ostream& out_;
  const bool enabled_;
  const std::string label_;
  bool drawn_ = false;
};

}  // namespace vecdb::cli

#endif  // VECDB_CLI_OUTPUT_H_
