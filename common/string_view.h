// Debian's Abseil 20220623 is built with its own absl::string_view, distinct
// from std::string_view, so absl::StrCat and friends do not take a
// std::string_view. AsAbsl() bridges the two without copying.
#ifndef VECDB_COMMON_STRING_VIEW_H_
#define VECDB_COMMON_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace vecdb {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace vecdb

#endif  // VECDB_COMMON_STRING_VIEW_H_
