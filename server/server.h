// Assembly of a running vecdb gRPC server around an open Engine: the
// VectorDB service, the standard health service (grpc.health.v1.Health,
// SERVING for "" and "vecdb.v1.VectorDB") and server reflection. Used by
// vecdb-server's main() and by the tests.
//
// Example:
//   VECDB_ASSIGN_OR_RETURN(auto server,
//       StartServer(engine.get(), {.listen_address = "127.0.0.1:0"}));
//   std::cout << "listening on " << server->address() << "\n";
//   ...
//   server->Shutdown(std::chrono::seconds(10));
#ifndef VECDB_SERVER_SERVER_H_
#define VECDB_SERVER_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "collection/engine.h"
#include "server/service.h"

namespace vecdb {

struct ServerOptions {
  // host:port to listen on, without TLS. Port 0 picks a free port (see
  // RunningServer::port()). Default: 127.0.0.1:50051.
  std::string listen_address = "127.0.0.1:50051";
  // Largest message received or sent. Default: 64 MiB.
  int max_message_bytes = 64 << 20;
  // Most points, ids or query vectors in one request. Default: 10000.
  size_t max_batch = 10000;
  // Most threads gRPC may use to run calls; calls beyond it fail with
  // RESOURCE_EXHAUSTED rather than spawn threads. 0 = max(128, 16 * cores).
  // Default: 0.
  int max_threads = 0;
  // Endpoints Retrieve may send API keys from this process's environment
  // to (server/retrieve.h). Default: https://api.openai.com/ only.
  EmbedderKeyPolicy embedder_keys;
};

// A started server. Destroying it shuts it down (no grace period).
// Thread safety: Shutdown() may be called from any thread, once or more.
class RunningServer {
 public:
  RunningServer(std::unique_ptr<VectorDbService> service,
                std::unique_ptr<grpc::Server> server, std::string address,
                int port);
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  // The bound port, and listen_address with the bound port.
  int port() const { return port_; }
  const std::string& address() const { return address_; }

  // Stops accepting calls, waits up to `grace` for calls in flight and for
  // connected clients to go away (gRPC waits a few seconds for idle
  // connections), then cancels the rest. Returns when every handler has
  // returned, so the engine may be closed afterwards.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  std::unique_ptr<VectorDbService> service_;
  std::unique_ptr<grpc::Server> server_;
  const std::string address_;
  const int port_;
};

// Builds and starts a server for `engine` (not owned; must outlive the
// returned server). InvalidArgument for bad options; Unavailable if the
// address cannot be bound (including a port already in use).
absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(
    Engine* engine, const ServerOptions& options);

}  // namespace vecdb

#endif  // VECDB_SERVER_SERVER_H_
