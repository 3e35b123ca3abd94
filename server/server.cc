#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vecdb {

RunningServer::RunningServer(std::unique_ptr<VectorDbService> service,
                             std::unique_ptr<grpc::Server> server,
                             std::string address, int port)
    : service_(std::move(service)),
      server_(std::move(server)),
      address_(std::move(address)),
      port_(port) {}

RunningServer::~RunningServer() { Shutdown(std::chrono::milliseconds(0)); }

void RunningServer::Shutdown(std::chrono::milliseconds grace) {
  // grpc::Server::Shutdown is idempotent and thread-safe.
  server_->Shutdown(std::chrono::system_clock::now() + grace);
}

constexpr int kMinDefaultThreads = 128;

absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(
    Engine* engine, const ServerOptions& options) {
  if (options.max_message_bytes <= 0) {
    return absl::InvalidArgumentError("max_message_bytes: must be positive");
  }
  if (options.max_batch == 0) {
    return absl::InvalidArgumentError("max_batch: must be positive");
  }
  if (options.max_threads < 0) {
    return absl::InvalidArgumentError("max_threads: must not be negative");
  }
  // gRPC's sync server counts its polling threads against this quota and
  // fails a call it cannot give a thread with RESOURCE_EXHAUSTED, so the
  // default leaves room for many concurrent clients; threads are created
  // only as calls arrive.
  const int max_threads =
      options.max_threads > 0
          ? options.max_threads
          : std::max(kMinDefaultThreads,
                     16 * static_cast<int>(std::max(
                              1u, std::thread::hardware_concurrency())));

  // Both are process-wide switches read when a server is built.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  auto service = std::make_unique<VectorDbService>(
      engine, RequestLimits{.max_batch = options.max_batch},
      options.embedder_keys);
  grpc::ResourceQuota quota("vecdb-server");
  quota.SetMaxThreads(max_threads);

  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service.get());
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // gRPC sets SO_REUSEPORT by default, which would let a second server
  // share a port that is in use instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("listen: cannot listen on ", options.listen_address));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(v1::VectorDB::service_full_name(), true);

  const std::string& listen = options.listen_address;
  const size_t colon = listen.rfind(':');
  std::string address = absl::StrCat(
      listen.substr(0, colon == std::string::npos ? listen.size() : colon), ":",
      port);
  return std::make_unique<RunningServer>(std::move(service), std::move(server),
                                         std::move(address), port);
}

}  // namespace vecdb
