// The one place where an absl::Status becomes a grpc::Status.
//
// The codes of absl::StatusCode and grpc::StatusCode are numerically equal
// (both follow google.rpc.Code), so the code is kept as is, and so is the
// message, which names the bad field for INVALID_ARGUMENT. The layers below
// decide the code:
//   INVALID_ARGUMENT  bad input (request or domain validation)
//   NOT_FOUND         unknown collection
//   ALREADY_EXISTS    collection name taken
//   DATA_LOSS         corruption found in storage
//   INTERNAL          anything else
#ifndef VECDB_SERVER_STATUS_MAPPING_H_
#define VECDB_SERVER_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace vecdb {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace vecdb

#endif  // VECDB_SERVER_STATUS_MAPPING_H_
