#include "clients/cpp/grpc_status.h"

#include <catch2/catch.hpp>

namespace vecdb::client {
namespace {

TEST_CASE("FromGrpcStatus keeps code and message", "[client]") {
  CHECK(FromGrpcStatus(grpc::Status::OK).ok());

  const absl::Status not_found = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "collection \"x\" not found"));
  CHECK(not_found.code() == absl::StatusCode::kNotFound);
  CHECK(not_found.message() == "collection \"x\" not found");

  CHECK(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "who"))
            .code() == absl::StatusCode::kUnauthenticated);
  CHECK(
      FromGrpcStatus(grpc::Status(grpc::StatusCode::DATA_LOSS, "crc")).code() ==
      absl::StatusCode::kDataLoss);
}

TEST_CASE("FromGrpcStatus maps an unknown code to UNKNOWN", "[client]") {
  const absl::Status status =
      FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(42), "odd"));
  CHECK(status.code() == absl::StatusCode::kUnknown);
  CHECK(status.message() == "odd");
}

}  // namespace
}  // namespace vecdb::client
