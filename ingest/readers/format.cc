// Format names and detection by extension.
#include <filesystem>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"
#include "ingest/readers/reader.h"

namespace vecdb::ingest {

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kText:
      return "txt";
    case Format::kMarkdown:
      return "md";
    case Format::kHtml:
      return "html";
    case Format::kPdf:
      return "pdf";
    case Format::kJsonl:
      return "jsonl";
    case Format::kSmart:
      return "smart";
  }
  return "unknown";
}

absl::StatusOr<Format> ParseFormat(std::string_view name) {
  for (Format format : {Format::kText, Format::kMarkdown, Format::kHtml,
                        Format::kPdf, Format::kJsonl, Format::kSmart}) {
    if (FormatName(format) == name) return format;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format \"", AsAbsl(name),
                   "\" (expected txt, md, html, pdf, jsonl or smart)"));
}

std::optional<Format> FormatFromPath(std::string_view path) {
  const std::string extension =
      absl::AsciiStrToLower(std::filesystem::path(path).extension().string());
  if (extension == ".txt" || extension == ".text") return Format::kText;
  if (extension == ".md" || extension == ".markdown") return Format::kMarkdown;
  if (extension == ".html" || extension == ".htm") return Format::kHtml;
  if (extension == ".pdf") return Format::kPdf;
  if (extension == ".jsonl" || extension == ".ndjson") return Format::kJsonl;
  if (extension == ".all") return Format::kSmart;
  return std::nullopt;
}

}  // namespace vecdb::ingest
