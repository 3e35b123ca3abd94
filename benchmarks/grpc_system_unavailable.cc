// Linked instead of grpc_system.cc when the tree has no server library yet.
#include "benchmarks/grpc_system.h"

namespace vecdb::bench {

bool GrpcSystemAvailable() { return false; }

absl::StatusOr<std::unique_ptr<AnnIndex>> NewGrpcAnnIndex(
    const AnnBuildParams&) {
  return absl::UnimplementedError(
      "not built: the server library (vecdb_server_lib) is missing");
}

SystemResult RunGrpc(const Dataset& data, const BenchConfig& config,
                     size_t ef) {
  SystemResult r;
  r.system = "vecdb gRPC";
  r.error = "not built: the server library (vecdb_server_lib) is missing";
  return r;
}

}  // namespace vecdb::bench
