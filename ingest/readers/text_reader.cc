// Plain text and markdown: kept as written.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/chunk_fields.h"
#include "ingest/readers/internal/formats.h"

namespace vecdb::ingest::readers_internal {
namespace {

// The first ATX "# " heading outside fenced code blocks, or "".
std::string MarkdownTitle(std::string_view text) {
  bool in_fence = false;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    const absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(line);
    if (absl::StartsWith(trimmed, "```") || absl::StartsWith(trimmed, "~~~")) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence || !absl::StartsWith(line, "# ")) continue;
    absl::string_view title = absl::StripAsciiWhitespace(line.substr(2));
    // A closing run of '#' after a space is not part of the heading.
    const size_t run = title.find_last_not_of('#');
    if (run == absl::string_view::npos) {
      title = "";
    } else if (run + 1 < title.size() && title[run] == ' ') {
      title = absl::StripTrailingAsciiWhitespace(title.substr(0, run));
    }
    if (!title.empty()) return std::string(title);
  }
  return "";
}

}  // namespace

Extracted ExtractText(std::string_view bytes, bool markdown) {
  Extracted extracted;
  extracted.text = NormalizeLineEnds(bytes);
  if (markdown) {
    std::string title = MarkdownTitle(extracted.text);
    if (!title.empty()) {
      extracted.metadata[std::string(chunk_fields::kTitle)] = std::move(title);
    }
  }
  return extracted;
}

}  // namespace vecdb::ingest::readers_internal
