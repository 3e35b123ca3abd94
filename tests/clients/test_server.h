// A real vecdb server for tests: an Engine in a fresh TempDir served on
// 127.0.0.1 with a free port. Construct it inside a test case (it REQUIREs
// that the engine opens and the server starts); destruction shuts the
// server down, closes the engine and removes the directory.
#ifndef VECDB_TESTS_CLIENTS_TEST_SERVER_H_
#define VECDB_TESTS_CLIENTS_TEST_SERVER_H_

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "collection/engine.h"
#include "server/server.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {

class TestServer {
 public:
  explicit TestServer(ServerOptions options = {}) {
    // Durability is not under test here; skipping fsync keeps tests fast.
    auto engine = Engine::Open(dir_.path(), {.sync_writes = false});
    REQUIRE(engine.ok());
    engine_ = *std::move(engine);
    options.listen_address = "127.0.0.1:0";
    auto server = StartServer(engine_.get(), options);
    REQUIRE(server.ok());
    server_ = *std::move(server);
  }

  ~TestServer() {
    server_->Shutdown(std::chrono::seconds(1));
    (void)engine_->Close();
  }

  // "127.0.0.1:<port>".
  std::string address() const {
    return "127.0.0.1:" + std::to_string(server_->port());
  }

 private:
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<RunningServer> server_;
};

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CLIENTS_TEST_SERVER_H_
