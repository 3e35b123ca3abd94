#include "server/request_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/types.h"

namespace vecdb {
namespace {

absl::Status ValidateCollection(const std::string& collection) {
  if (collection.empty()) {
    return absl::InvalidArgumentError("collection: must not be empty");
  }
  return absl::OkStatus();
}

absl::Status ValidateBatchLimit(const char* field, int size,
                                const RequestLimits& limits) {
  if (static_cast<size_t>(size) > limits.max_batch) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", size, " ", field, " exceed the limit of ",
                     limits.max_batch, " per request"));
  }
  return absl::OkStatus();
}

// `field` is also the noun of the message: "points: 3 points exceed ...".
absl::Status ValidateBatch(const char* field, int size,
                           const RequestLimits& limits) {
  if (size == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be empty"));
  }
  return ValidateBatchLimit(field, size, limits);
}

}  // namespace

absl::Status ValidateRequest(const v1::GetCollectionRequest& request) {
  return ValidateCollection(request.collection());
}

absl::Status ValidateRequest(const v1::DropCollectionRequest& request) {
  return ValidateCollection(request.collection());
}

absl::Status ValidateRequest(const v1::UpsertRequest& request,
                             const RequestLimits& limits) {
  VECDB_RETURN_IF_ERROR(ValidateCollection(request.collection()));
  return ValidateBatch("points", request.points_size(), limits);
}

absl::Status ValidateRequest(const v1::GetRequest& request,
                             const RequestLimits& limits) {
  VECDB_RETURN_IF_ERROR(ValidateCollection(request.collection()));
  return ValidateBatch("ids", request.ids_size(), limits);
}

absl::Status ValidateRequest(const v1::DeleteRequest& request,
                             const RequestLimits& limits) {
  VECDB_RETURN_IF_ERROR(ValidateCollection(request.collection()));
  if (request.has_filter()) {
    return ValidateBatchLimit("ids", request.ids_size(), limits);
  }
  if (request.ids_size() == 0) {
    return absl::InvalidArgumentError(
        "ids: must not be empty (or give a filter)");
  }
  return ValidateBatch("ids", request.ids_size(), limits);
}

absl::Status ValidateRequest(const v1::CountRequest& request) {
  return ValidateCollection(request.collection());
}

absl::Status ValidateRequest(const v1::QueryRequest& request,
                             const RequestLimits& limits) {
  VECDB_RETURN_IF_ERROR(ValidateCollection(request.collection()));
  if (request.queries_size() == 0 && request.text_queries_size() == 0) {
    return absl::InvalidArgumentError(
        "queries: must not be empty (or give text_queries)");
  }
  VECDB_RETURN_IF_ERROR(
      ValidateBatchLimit("queries", request.queries_size(), limits));
  VECDB_RETURN_IF_ERROR(ValidateBatchLimit(
      "text_queries", request.text_queries_size(), limits));
  if (request.k() < 1 || request.k() > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k: must be in 1..", kMaxK, ", got ", request.k()));
  }
  if (request.ef() > kMaxEf) {
    return absl::InvalidArgumentError(
        absl::StrCat("ef: must be 0 (collection default) or in 1..", kMaxEf,
                     ", got ", request.ef()));
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> ValidateScrollRequest(const v1::ScrollRequest& request) {
  VECDB_RETURN_IF_ERROR(ValidateCollection(request.collection()));
  if (request.limit() == 0) return kDefaultScrollLimit;
  if (request.limit() > kMaxScrollLimit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "limit: must be 0 (default ", kDefaultScrollLimit, ") or in 1..",
        kMaxScrollLimit, ", got ", request.limit()));
  }
  return request.limit();
}

}  // namespace vecdb
