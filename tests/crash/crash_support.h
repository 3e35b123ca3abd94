// Shared pieces of the crash tests: server options, collection setup, the
// environment knobs and a Catch2 assertion for absl::Status.
//
// Thread safety: pure functions.
#ifndef VECDB_TESTS_CRASH_CRASH_SUPPORT_H_
#define VECDB_TESTS_CRASH_CRASH_SUPPORT_H_

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/crash/server_process.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

// Fails the test with the status' code and message unless it is OK.
#define REQUIRE_OK(expr)                        \
  do {                                          \
    const absl::Status vecdb_require_ = (expr); \
    INFO(vecdb_require_.ToString());            \
    REQUIRE(vecdb_require_.ok());               \
  } while (false)

namespace vecdb::testing {

// Options for a crash-test server on `data_dir`: frequent graph
// checkpoints, so that kills land before, during and after them.
ServerOptions CrashServerOptions(const std::string& data_dir,
                                 const std::string& log_dir);

// Creates `name` with `dim` and `metric` (default HNSW parameters).
absl::Status CreateCollection(vecdb::v1::VectorDB::Stub& stub,
                              const std::string& name, uint32_t dim,
                              vecdb::v1::Metric metric);

// The collection's info (GetCollection).
absl::StatusOr<vecdb::v1::CollectionInfo> GetCollectionInfo(
    vecdb::v1::VectorDB::Stub& stub, const std::string& name);

// $VECDB_CRASH_ROUNDS when set to a positive number, else `default_rounds`.
int CrashRoundsFromEnv(int default_rounds);
// $VECDB_CRASH_SEED when set, else a random seed.
uint64_t CrashSeedFromEnv();

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_CRASH_SUPPORT_H_
