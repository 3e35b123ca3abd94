// Checks a running server against the state the crash test's writers expect
// (see writer_state.h).
//
// Thread safety: call from one thread while no writer runs.
#ifndef VECDB_TESTS_CRASH_VERIFIER_H_
#define VECDB_TESTS_CRASH_VERIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/crash/writer_state.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::testing {

struct VerifyReport {
  // Points the collection holds (expected and found).
  size_t live = 0;
  // Per writer, what its in-flight operation turned out to be.
  std::vector<InFlightOutcome> in_flight;
  // Per writer, a short description of the in-flight operation ("-" if none).
  std::vector<std::string> in_flight_ops;
  // Self-queries that missed at the default ef and hit with a large ef.
  size_t self_query_retries = 0;

  // e.g. "w0 upsert(12)=applied w1 - w2 delete(3)=not-applied w3 -".
  std::string InFlightSummary() const;
};

// Resolves each writer's in-flight operation against the server (all of its
// points old or all new, else an error naming them), then checks that
//  - every id whose last acknowledged write is an upsert exists with exactly
//    that version's vector, metadata and document, and every other id of the
//    writers is absent (Get);
//  - Count equals the number of live ids;
//  - a full Scroll returns exactly the live ids, each once;
//  - a k=10 query with each live point's own vector returns it at distance
//    ~0 (a miss is retried with ef=1000 before it counts as an error).
// Returns DataLoss listing (up to 20) differences; the RPC's status if one
// fails.
absl::StatusOr<VerifyReport> VerifyCollection(
    vecdb::v1::VectorDB::Stub& stub, const std::string& collection,
    uint32_t dim, std::vector<WriterState>& writers);

// Self-queries only: each (id, vector) must come back within the k=10 hits
// of a query with its own vector at distance ~0. DataLoss listing misses.
absl::StatusOr<size_t> CheckSelfQueries(
    vecdb::v1::VectorDB::Stub& stub, const std::string& collection,
    const std::vector<std::pair<std::string, std::vector<float>>>& points);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_VERIFIER_H_
