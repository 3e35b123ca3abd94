// The health service, and server start-up errors.
#include <catch2/catch.hpp>

#include "health_check.grpc.pb.h"
#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

TEST_CASE("The health service answers SERVING", "[server]") {
  TestServer server;
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  for (const char* service : {"", "vecdb.v1.VectorDB"}) {
    INFO("service \"" << service << "\"");
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    REQUIRE(VECDB_CALL(*health, Check, request, response).ok());
    CHECK(response.status() == HealthCheckResponse::SERVING);
  }
  HealthCheckRequest unknown;
  unknown.set_service("no.such.Service");
  HealthCheckResponse response;
  CHECK(VECDB_CALL(*health, Check, unknown, response).error_code() ==
        grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("StartServer fails on a port in use and on bad options", "[server]") {
  TempDir dir;
  auto engine = Engine::Open(dir.path(), {.sync_writes = false});
  REQUIRE(engine.ok());
  auto first = StartServer(engine->get(), {.listen_address = "127.0.0.1:0"});
  REQUIRE(first.ok());

  auto second =
      StartServer(engine->get(), {.listen_address = (*first)->address()});
  CHECK(second.status().code() == absl::StatusCode::kUnavailable);
  CHECK(second.status().message() ==
        "listen: cannot listen on " + (*first)->address());

  auto bad = StartServer(engine->get(),
                         {.listen_address = "127.0.0.1:0", .max_batch = 0});
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(bad.status().message() == "max_batch: must be positive");

  first->reset();
  CHECK((*engine)->Close().ok());
}

}  // namespace
}  // namespace vecdb::testing
