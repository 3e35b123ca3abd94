// ReadSource and ParseDocument: file bytes to records, by format.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "ingest/readers/internal/formats.h"
#include "ingest/readers/reader.h"

namespace vecdb::ingest {
namespace {

namespace internal = readers_internal;

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is a directory, not a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int code = errno;
    const std::string message =
        absl::StrCat(path, ": cannot open: ", std::strerror(code));
    if (code == ENOENT) return absl::NotFoundError(message);
    if (code == EACCES) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    return absl::UnavailableError(absl::StrCat(path, ": read failed"));
  }
  return std::move(bytes).str();
}

}  // namespace

absl::StatusOr<Document> ParseDocument(std::string_view bytes, Format format,
                                       std::string id, std::string source) {
  VECDB_RETURN_IF_ERROR(internal::CheckDocumentId(id, source));
  internal::Extracted extracted;
  switch (format) {
    case Format::kText:
    case Format::kMarkdown:
      extracted = internal::ExtractText(bytes, format == Format::kMarkdown);
      break;
    case Format::kHtml:
      extracted = internal::ExtractHtml(bytes);
      break;
    case Format::kPdf: {
      VECDB_ASSIGN_OR_RETURN(extracted, internal::ExtractPdf(bytes, source));
      break;
    }
    case Format::kJsonl:
    case Format::kSmart:
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": ", AsAbsl(FormatName(format)),
                       " holds many documents; read it as a file"));
  }
  return internal::FinishDocument(std::move(extracted), format, std::move(id),
                                  std::move(source));
}

std::vector<ReadRecord> ReadSource(const SourceFile& file) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(file.path);
  if (!bytes.ok()) {
    return {internal::ToRecord(bytes.status(), file.doc_id, file.path)};
  }
  switch (file.format) {
    case Format::kJsonl:
      return internal::ReadJsonl(*bytes, file.path);
    case Format::kSmart:
      return internal::ReadSmart(*bytes, file.path);
    default:
      return {internal::ToRecord(
          ParseDocument(*bytes, file.format, file.doc_id, file.path),
          file.doc_id, file.path)};
  }
}

}  // namespace vecdb::ingest
