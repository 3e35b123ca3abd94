// Small helpers for calling the vecdb gRPC stub directly from tests.
//
// Thread safety: pure functions.
#ifndef VECDB_TESTS_CRASH_RPC_UTIL_H_
#define VECDB_TESTS_CRASH_RPC_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace vecdb::testing {

// Every RPC of the crash tests has a deadline, so no call can hang a test.
inline constexpr std::chrono::seconds kRpcTimeout{30};

// A client context with the deadline set.
inline std::unique_ptr<grpc::ClientContext> NewContext(
    std::chrono::milliseconds timeout = kRpcTimeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

// The gRPC status as an absl::Status with the same code, its message
// prefixed by `what`.
inline absl::Status FromGrpc(const grpc::Status& status,
                             absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// A channel to `address` that has connected, or Unavailable.
inline absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(
    const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // A fresh connection per channel, never shared with an earlier server.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(10))) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", address));
  }
  return channel;
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_RPC_UTIL_H_
