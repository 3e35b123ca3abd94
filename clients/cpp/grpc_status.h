// The one place where the client turns a gRPC status into an absl::Status.
//
// gRPC and Abseil number their status codes identically (both follow
// google.rpc.Code), so the code and the message pass through unchanged:
// a server's INVALID_ARGUMENT "points[3].vector: ..." arrives as
// absl::InvalidArgumentError("points[3].vector: ...").
#ifndef VECDB_CLIENTS_CPP_GRPC_STATUS_H_
#define VECDB_CLIENTS_CPP_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace vecdb::client {

// OK maps to absl::OkStatus(); a code outside 0..16 maps to UNKNOWN with
// the original message.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace vecdb::client

#endif  // VECDB_CLIENTS_CPP_GRPC_STATUS_H_
