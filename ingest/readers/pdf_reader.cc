// PDF: the text poppler-cpp extracts, page by page.
#include <climits>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/chunk_fields.h"
#include "common/string_view.h"
#include "ingest/readers/internal/formats.h"
#include "poppler-document.h"
#include "poppler-global.h"
#include "poppler-page.h"

namespace vecdb::ingest::readers_internal {
namespace {

std::string ToUtf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// poppler reports damaged files on stderr by default; the reader reports
// them as a Status instead.
void IgnorePopplerMessage(const std::string&, void*) {}

// Page text with form feeds dropped, line ends normalised and trailing
// white space removed.
std::string CleanPageText(const std::string& raw) {
  std::string text = NormalizeLineEnds(raw);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\f') out.push_back(c);
  }
  while (!out.empty() && absl::ascii_isspace(out.back())) out.pop_back();
  return out;
}

}  // namespace

absl::StatusOr<Extracted> ExtractPdf(std::string_view bytes,
                                     std::string_view source) {
  static std::once_flag quiet;
  std::call_once(quiet, [] {
    poppler::set_debug_error_function(IgnorePopplerMessage, nullptr);
  });
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": PDF larger than 2 GiB"));
  }
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(),
                                            static_cast<int>(bytes.size())));
  if (document == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": not a readable PDF"));
  }
  if (document->is_locked()) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": PDF is encrypted"));
  }
  Extracted extracted;
  for (int i = 0; i < document->pages(); ++i) {
    std::unique_ptr<poppler::page> page(document->create_page(i));
    if (page == nullptr) continue;
    std::string text = CleanPageText(ToUtf8(page->text()));
    if (text.empty()) continue;
    if (!extracted.text.empty()) extracted.text.append("\n\n");
    extracted.text.append(text);
  }
  std::string title(
      absl::StripAsciiWhitespace(ToUtf8(document->info_key("Title"))));
  if (!title.empty()) {
    extracted.metadata[std::string(chunk_fields::kTitle)] = std::move(title);
  }
  return extracted;
}

}  // namespace vecdb::ingest::readers_internal
