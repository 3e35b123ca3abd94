// Reading the small text inputs of an evaluation (judgments, queries) as
// lines, with the shared error shapes.
//
// Thread safety: stateless free functions.
#ifndef VECDB_EVAL_LINE_FILE_H_
#define VECDB_EVAL_LINE_FILE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json_fwd.hpp"

namespace vecdb::eval {

// Every line of `path`, without its "\n" or "\r\n". NotFound when the file
// cannot be opened.
absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path);

// True when the first non-whitespace character of `lines` is '{'.
bool LooksLikeJsonl(const std::vector<std::string>& lines);

// The id under `key` of a JSON object: a string as is, an integer in
// decimal. nullopt when the key is absent or holds another type, or the
// string is empty.
std::optional<std::string> JsonId(const nlohmann::json& object,
                                  const char* key);

// InvalidArgument "path:line: what".
absl::Status LineError(std::string_view path, size_t line,
                       std::string_view what);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_LINE_FILE_H_
