// Workload: the concurrent load of one crash-test round. W writer threads
// send batched upserts and deletes, each over its own WriterState, while a
// reader thread sends batched queries; all run until Stop().
//
// A writer records each acknowledged write (RPC returned OK) and, when an
// RPC fails, records that operation as in flight and stops: the server is
// presumed dead. A failure before Stop() was called is an error of the
// round (the server must not fail a valid request), as is a malformed query
// answer.
//
// Example:
//   Workload load(channel, "c", 16, writers, seed);
//   load.Start();
//   sleep(delay);
//   load.Stop();          // no new requests from now on
//   server.Kill();
//   RoundTotals totals = load.Join();
//
// Thread safety: Start/Stop/Join from one thread; `writers` must not be
// touched by anyone else between Start() and Join().
#ifndef VECDB_TESTS_CRASH_WORKLOAD_H_
#define VECDB_TESTS_CRASH_WORKLOAD_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/crash/writer_state.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::testing {

struct WorkloadOptions {
  std::string collection;
  uint32_t dim = 16;
  // Largest upsert batch. Default: 50.
  uint32_t max_upsert = 50;
  // Largest delete batch. Default: 20.
  uint32_t max_delete = 20;
  // Query vectors per query request. Default: 8.
  uint32_t query_batch = 8;
  // Bound on the requests of one thread in one round. Default: 100000.
  uint64_t max_ops_per_writer = 100000;
};

struct RoundTotals {
  uint64_t acked_writes = 0;
  uint64_t upserted_points = 0;  // points of acknowledged upserts
  uint64_t deleted_points = 0;   // ids that acknowledged deletes removed
  uint64_t queries = 0;          // answered query requests
  // Failures seen before Stop() and malformed answers; empty if none.
  std::vector<std::string> errors;
};

class Workload {
 public:
  // `writers` (one thread each) must outlive Join().
  Workload(std::shared_ptr<grpc::Channel> channel, WorkloadOptions options,
           std::vector<WriterState>* writers, uint64_t seed);
  ~Workload();  // joins threads still running
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  void Start();
  // From now on no thread sends a new request.
  void Stop() { stop_.store(true); }
  // Waits for every thread (RPCs end by answer, failure or deadline).
  RoundTotals Join();

 private:
  void RunWriter(WriterState& writer, uint64_t seed);
  void RunReader(uint64_t seed);
  void AddError(std::string error);

  std::unique_ptr<vecdb::v1::VectorDB::Stub> stub_;
  const WorkloadOptions options_;
  std::vector<WriterState>* const writers_;
  const uint64_t seed_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;

  std::mutex mu_;
  RoundTotals totals_;  // guarded by mu_
};

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_WORKLOAD_H_
