#include "eval/line_file.h"

#include <cctype>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace vecdb::eval {

absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A UTF-8 byte order mark (editors on some systems write one) would
    // become part of the first id.
    if (lines.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    lines.push_back(std::move(line));
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return lines;
}

bool LooksLikeJsonl(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    for (char c : line) {
      if (std::isspace(static_cast<unsigned char>(c))) continue;
      return c == '{';
    }
  }
  return false;
}

std::optional<std::string> JsonId(const nlohmann::json& object,
                                  const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_string()) {
    std::string id = it->get<std::string>();
    if (id.empty()) return std::nullopt;
    return id;
  }
  if (it->is_number_integer()) return it->dump();
  return std::nullopt;
}

absl::Status LineError(std::string_view path, size_t line,
                       std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(absl::string_view(path.data(), path.size()), ":", line, ": ",
                   absl::string_view(what.data(), what.size())));
}

}  // namespace vecdb::eval
