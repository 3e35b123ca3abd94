#include "ingest/chunkers/markdown_sections.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vecdb::ingest {
namespace {

constexpr size_t kMaxIndent = 3;
constexpr size_t kMaxHeadingLevel = 6;
constexpr size_t kMinFence = 3;

struct Heading {
  size_t level = 0;
  std::string text;
};

struct Fence {
  char marker = 0;
  size_t length = 0;
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// The line without up to kMaxIndent leading spaces; nullopt when indented
// further (an indented code line).
std::optional<std::string_view> Unindent(std::string_view line) {
  size_t spaces = 0;
  while (spaces < line.size() && line[spaces] == ' ') ++spaces;
  if (spaces > kMaxIndent) return std::nullopt;
  return line.substr(spaces);
}

size_t CountLeading(std::string_view s, char c) {
  size_t n = 0;
  while (n < s.size() && s[n] == c) ++n;
  return n;
}

std::optional<Fence> ParseFence(std::string_view line) {
  const auto body = Unindent(line);
  if (!body || body->empty()) return std::nullopt;
  const char marker = body->front();
  if (marker != '`' && marker != '~') return std::nullopt;
  const size_t length = CountLeading(*body, marker);
  if (length < kMinFence) return std::nullopt;
  return Fence{marker, length};
}

bool ClosesFence(std::string_view line, const Fence& open) {
  const auto fence = ParseFence(line);
  if (!fence || fence->marker != open.marker || fence->length < open.length) {
    return false;
  }
  const auto body = *Unindent(line);
  return TrimBlanks(body.substr(fence->length)).empty();
}

std::optional<Heading> ParseHeading(std::string_view line) {
  const auto body = Unindent(line);
  if (!body) return std::nullopt;
  const size_t level = CountLeading(*body, '#');
  if (level == 0 || level > kMaxHeadingLevel) return std::nullopt;
  std::string_view rest = body->substr(level);
  if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t' &&
      rest.front() != '\r') {
    return std::nullopt;
  }
  rest = TrimBlanks(rest);
  // An optional closing sequence: '#'s that are the whole text or follow a
  // blank.
  size_t closing = 0;
  while (closing < rest.size() && rest[rest.size() - 1 - closing] == '#') {
    ++closing;
  }
  if (closing == rest.size()) {
    rest = {};
  } else if (closing > 0 && IsBlank(rest[rest.size() - 1 - closing])) {
    rest = TrimBlanks(rest.substr(0, rest.size() - closing));
  }
  return Heading{level, std::string(rest)};
}

}  // namespace

std::vector<MarkdownSection> MarkdownSections(std::string_view text) {
  std::vector<MarkdownSection> sections(1);
  std::vector<size_t> levels;  // Level of each entry of the current path.
  std::optional<Fence> open_fence;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line =
        text.substr(line_start, line_end - line_start);
    if (open_fence) {
      if (ClosesFence(line, *open_fence)) open_fence.reset();
    } else if (auto fence = ParseFence(line)) {
      open_fence = fence;
    } else if (auto heading = ParseHeading(line)) {
      MarkdownSection next{line_start, 0, sections.back().path};
      while (!levels.empty() && levels.back() >= heading->level) {
        levels.pop_back();
        next.path.pop_back();
      }
      levels.push_back(heading->level);
      next.path.push_back(std::move(heading->text));
      sections.back().end = line_start;
      sections.push_back(std::move(next));
    }
    line_start = line_end + 1;
  }
  sections.back().end = text.size();
  return sections;
}

}  // namespace vecdb::ingest
