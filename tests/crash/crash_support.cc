#include "tests/crash/crash_support.h"

#include <cstdlib>
#include <random>

#include "tests/crash/rpc_util.h"

namespace vecdb::testing {

ServerOptions CrashServerOptions(const std::string& data_dir,
                                 const std::string& log_dir) {
  ServerOptions options;
  options.data_dir = data_dir;
  options.log_dir = log_dir;
  // Five concurrent callers (4 writers, 1 reader) plus the verifier: more
  // than the default thread cap of a 2-core machine allows without
  // RESOURCE_EXHAUSTED answers.
  // Frequent checkpoints and compactions, so that kills land before,
  // during and after both.
  options.extra_args = {"--checkpoint_every_ops", "300", "--threads", "32",
                        "--compact_fraction", "0.05"};
  return options;
}

absl::Status CreateCollection(vecdb::v1::VectorDB::Stub& stub,
                              const std::string& name, uint32_t dim,
                              vecdb::v1::Metric metric) {
  vecdb::v1::CreateCollectionRequest request;
  request.set_name(name);
  request.set_dimension(dim);
  request.set_metric(metric);
  vecdb::v1::CollectionInfo info;
  auto context = NewContext();
  return FromGrpc(stub.CreateCollection(context.get(), request, &info),
                  "CreateCollection");
}

absl::StatusOr<vecdb::v1::CollectionInfo> GetCollectionInfo(
    vecdb::v1::VectorDB::Stub& stub, const std::string& name) {
  vecdb::v1::GetCollectionRequest request;
  request.set_collection(name);
  vecdb::v1::CollectionInfo info;
  auto context = NewContext();
  if (absl::Status s = FromGrpc(
          stub.GetCollection(context.get(), request, &info), "GetCollection");
      !s.ok()) {
    return s;
  }
  return info;
}

int CrashRoundsFromEnv(int default_rounds) {
  if (const char* env = std::getenv("VECDB_CRASH_ROUNDS"); env != nullptr) {
    const int rounds = std::atoi(env);
    if (rounds > 0) return rounds;
  }
  return default_rounds;
}

uint64_t CrashSeedFromEnv() {
  if (const char* env = std::getenv("VECDB_CRASH_SEED"); env != nullptr) {
    return std::strtoull(env, nullptr, 10);
  }
  return std::random_device{}();
}

}  // namespace vecdb::testing
