// Propagation helpers for absl::Status and absl::StatusOr.
//
//   VECDB_RETURN_IF_ERROR(store->Commit(batch));
//   VECDB_ASSIGN_OR_RETURN(auto collection, manager.Get(name));
#ifndef VECDB_COMMON_STATUS_MACROS_H_
#define VECDB_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define VECDB_RETURN_IF_ERROR(expr)                  \
  do {                                               \
    if (absl::Status vecdb_status_ = (expr);         \
        !vecdb_status_.ok()) {                       \
      return vecdb_status_;                          \
    }                                                \
  } while (false)

#define VECDB_STATUS_CONCAT_INNER_(a, b) a##b
#define VECDB_STATUS_CONCAT_(a, b) VECDB_STATUS_CONCAT_INNER_(a, b)

#define VECDB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();    \
  lhs = std::move(tmp).value()

// Evaluates `expr` (an absl::StatusOr<T>); on error returns its status,
// otherwise assigns the value to `lhs` (which may declare a variable).
#define VECDB_ASSIGN_OR_RETURN(lhs, expr)                                   \
  VECDB_ASSIGN_OR_RETURN_IMPL_(                                             \
      VECDB_STATUS_CONCAT_(vecdb_statusor_, __LINE__), lhs, expr)

#endif  // VECDB_COMMON_STATUS_MACROS_H_
