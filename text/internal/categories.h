// The one definition of a word character, shared by the tokenizer and the
// token counter: letters (L*), combining marks (M*) and numbers (N*).
// Header-only; private to text/.
#ifndef VECDB_TEXT_INTERNAL_CATEGORIES_H_
#define VECDB_TEXT_INTERNAL_CATEGORIES_H_

#include <utf8proc.h>

namespace vecdb::text::internal {

inline bool IsWordCodepoint(utf8proc_int32_t codepoint) {
  switch (utf8proc_category(codepoint)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

}  // namespace vecdb::text::internal

#endif  // VECDB_TEXT_INTERNAL_CATEGORIES_H_
