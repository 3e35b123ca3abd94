// ExpandSources: command-line inputs (files, directories, glob patterns) to
// the files to read.
#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "ingest/readers/reader.h"

namespace vecdb::ingest {
namespace {

namespace fs = std::filesystem;

bool HasWildcard(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name[0] == '.' && name != "." && name != "..";
}

// Length of the UTF-8 sequence that starts with byte `lead` (1 for bytes
// that start none, so that matching always advances).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Matches a bracket expression "[...]" at the start of `pattern` against
// byte `c`. Returns the length of the expression, or 0 when `pattern` has no
// closing ']' (the '[' is then an ordinary character).
size_t MatchClass(std::string_view pattern, char c, bool* matched) {
  size_t i = 1;
  const bool negated =
      i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negated) ++i;
  bool found = false;
  const size_t first = i;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == ']' && i > first) {
      *matched = found != negated && c != '/';
      return i + 1;
    }
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' &&
        pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) found = true;
      i += 2;
    } else if (pattern[i] == c) {
      found = true;
    }
  }
  return 0;
}

// Glob matching of a relative path: '*' and '?' stay within one path
// component, "**" crosses components ("**/" also matches no directory).
bool GlobMatch(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.substr(0, 2) == "**") {
      pattern.remove_prefix(2);
      if (!pattern.empty() && pattern[0] == '/') {
        const std::string_view rest = pattern.substr(1);
        if (GlobMatch(rest, path)) return true;
        for (size_t i = 0; i < path.size(); ++i) {
          if (path[i] == '/' && GlobMatch(rest, path.substr(i + 1))) {
            return true;
          }
        }
        return false;
      }
      for (size_t i = 0; i <= path.size(); ++i) {
        if (GlobMatch(pattern, path.substr(i))) return true;
      }
      return false;
    }
    if (pattern[0] == '*') {
      pattern.remove_prefix(1);
      for (size_t i = 0; i <= path.size(); ++i) {
        if (GlobMatch(pattern, path.substr(i))) return true;
        if (i < path.size() && path[i] == '/') break;
      }
      return false;
    }
    if (path.empty()) return false;
    if (pattern[0] == '?') {
      if (path[0] == '/') return false;
      pattern.remove_prefix(1);
      path.remove_prefix(std::min(path.size(), SequenceLength(path[0])));
      continue;
    }
    if (pattern[0] == '[') {
      bool matched = false;
      if (const size_t length = MatchClass(pattern, path[0], &matched)) {
        if (!matched) return false;
        pattern.remove_prefix(length);
        path.remove_prefix(1);
        continue;
      }
    }
    if (pattern[0] != path[0]) return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
  }
  return path.empty();
}

absl::Status FilesystemError(const fs::path& path, const std::error_code& e) {
  return absl::UnavailableError(absl::StrCat(path.string(), ": ", e.message()));
}

// Relative paths ('/'-separated) of the regular files under `root`, hidden
// entries skipped, at most `max_components` deep (-1: any depth).
absl::StatusOr<std::vector<std::string>> FilesUnder(const fs::path& root,
                                                    int max_components) {
  std::vector<std::string> files;
  std::error_code error;
  fs::recursive_directory_iterator it(root, error);
  if (error) return FilesystemError(root, error);
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) return FilesystemError(root, error);
    const fs::directory_entry& entry = *it;
    if (IsHidden(entry.path())) {
      if (entry.is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_directory(error)) {
      if (max_components >= 0 && it.depth() + 1 >= max_components) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (entry.is_regular_file(error)) {
      files.push_back(entry.path().lexically_relative(root).generic_string());
    }
  }
  if (error) return FilesystemError(root, error);
  std::sort(files.begin(), files.end());
  return files;
}

// The format to read `path` as; nullopt to skip it.
std::optional<Format> FormatFor(std::string_view path,
                                std::optional<Format> forced) {
  return forced.has_value() ? forced : FormatFromPath(path);
}

absl::StatusOr<std::vector<SourceFile>> ExpandDirectory(
    const std::string& input, std::optional<Format> forced) {
  VECDB_ASSIGN_OR_RETURN(std::vector<std::string> files, FilesUnder(input, -1));
  std::vector<SourceFile> sources;
  for (std::string& relative : files) {
    const std::optional<Format> format = FormatFor(relative, forced);
    if (!format.has_value()) continue;
    sources.push_back({(fs::path(input) / relative).generic_string(),
                       std::move(relative), *format});
  }
  return sources;
}

absl::StatusOr<std::vector<SourceFile>> ExpandGlob(
    const std::string& pattern, std::optional<Format> forced) {
  // The leading components without wildcards name the directory to search.
  std::vector<std::string> components = absl::StrSplit(pattern, '/');
  size_t literal = 0;
  while (literal + 1 < components.size() && !HasWildcard(components[literal])) {
    ++literal;
  }
  std::string base =
      absl::StrJoin(components.begin(), components.begin() + literal, "/");
  if (base.empty() && absl::StartsWith(pattern, "/")) base.push_back('/');
  const std::vector<std::string> rest_components(components.begin() + literal,
                                                 components.end());
  const std::string rest = absl::StrJoin(rest_components, "/");
  const bool any_depth = absl::StrContains(rest, "**");
  std::error_code error;
  const fs::path root = base.empty() ? fs::path(".") : fs::path(base);
  if (!fs::is_directory(root, error)) return std::vector<SourceFile>{};
  VECDB_ASSIGN_OR_RETURN(
      std::vector<std::string> files,
      FilesUnder(root,
                 any_depth ? -1 : static_cast<int>(rest_components.size())));
  std::vector<SourceFile> sources;
  for (const std::string& relative : files) {
    if (!GlobMatch(rest, relative)) continue;
    const std::optional<Format> format = FormatFor(relative, forced);
    if (!format.has_value()) continue;
    const std::string path =
        base.empty()
            ? relative
            : (fs::path(base) / relative).lexically_normal().generic_string();
    sources.push_back({path, path, *format});
  }
  return sources;
}

absl::StatusOr<std::vector<SourceFile>> ExpandOne(
    const std::string& input, std::optional<Format> forced) {
  std::error_code error;
  const fs::file_status status = fs::status(input, error);
  if (fs::is_regular_file(status)) {
    const std::optional<Format> format = FormatFor(input, forced);
    if (!format.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          input, ": unknown file type; name the format to read it as"));
    }
    return std::vector<SourceFile>{
        {input, fs::path(input).lexically_normal().generic_string(), *format}};
  }
  if (fs::is_directory(status)) return ExpandDirectory(input, forced);
  if (fs::exists(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat(input, ": neither a file nor a directory"));
  }
  if (HasWildcard(input)) return ExpandGlob(input, forced);
  return absl::NotFoundError(
      absl::StrCat(input, ": no such file or directory"));
}

}  // namespace

absl::StatusOr<std::vector<SourceFile>> ExpandSources(
    const std::vector<std::string>& inputs, std::optional<Format> forced) {
  std::vector<SourceFile> sources;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& input : inputs) {
    VECDB_ASSIGN_OR_RETURN(std::vector<SourceFile> found,
                           ExpandOne(input, forced));
    if (found.empty()) {
      return absl::NotFoundError(
          absl::StrCat(input, ": matches no file to read"));
    }
    for (SourceFile& file : found) {
      std::error_code error;
      fs::path key = fs::weakly_canonical(file.path, error);
      if (error) key = fs::absolute(file.path).lexically_normal();
      if (seen.insert(key.string()).second) {
        sources.push_back(std::move(file));
      }
    }
  }
  return sources;
}

}  // namespace vecdb::ingest
