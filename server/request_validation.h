// Request-level checks of the gRPC API, done before any engine call: the
// fields that only make sense on the wire (an empty `collection`, the batch
// limit of this server, k/ef/limit ranges). Domain rules (dimension,
// NaN/Inf, ids, metadata keys, duplicate ids) are Collection's and are not
// repeated here.
//
// Every error is InvalidArgument with a message that starts with the field:
//   collection: must not be empty
//   points: must not be empty
//   points: 20000 points exceed the limit of 10000 per request
//   k: must be in 1..1000, got 0
//   ef: must be 0 (collection default) or in 1..4096, got 5000
//   limit: must be 0 (default 100) or in 1..10000, got 20000
//
// Thread safety: stateless free functions.
#ifndef VECDB_SERVER_REQUEST_VALIDATION_H_
#define VECDB_SERVER_REQUEST_VALIDATION_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb {

// Scroll page size when a request sets none, and the largest allowed.
inline constexpr uint32_t kDefaultScrollLimit = 100;
inline constexpr uint32_t kMaxScrollLimit = 10000;

struct RequestLimits {
  // Most points, ids or query vectors in one request. Default: 10000.
  size_t max_batch = 10000;
};

absl::Status ValidateRequest(const v1::GetCollectionRequest& request);
absl::Status ValidateRequest(const v1::DropCollectionRequest& request);
absl::Status ValidateRequest(const v1::UpsertRequest& request,
                             const RequestLimits& limits);
absl::Status ValidateRequest(const v1::GetRequest& request,
                             const RequestLimits& limits);
absl::Status ValidateRequest(const v1::DeleteRequest& request,
                             const RequestLimits& limits);
absl::Status ValidateRequest(const v1::CountRequest& request);
absl::Status ValidateRequest(const v1::QueryRequest& request,
                             const RequestLimits& limits);

// Validates the request and returns its page size (0 -> 100).
absl::StatusOr<size_t> ValidateScrollRequest(const v1::ScrollRequest& request);

}  // namespace vecdb

#endif  // VECDB_SERVER_REQUEST_VALIDATION_H_
