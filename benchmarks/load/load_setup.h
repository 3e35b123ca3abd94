// Puts a data set's base rows into a collection before a load run: point
// "i" is base row i (L2 metric), so query answers map back to the data
// set's ground truth.
//
// Thread safety: free function; the Client is thread-safe.
#ifndef VECDB_BENCHMARKS_LOAD_LOAD_SETUP_H_
#define VECDB_BENCHMARKS_LOAD_LOAD_SETUP_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "benchmarks/datasets.h"
#include "clients/cpp/vecdb_client.h"

namespace vecdb::bench::load {

struct SetupOptions {
  std::string collection = "load";
  uint32_t m = 16;
  uint32_t ef_construction = 200;
  // An existing collection is used as it is when it holds exactly the data
  // set: L2, its dimension, its number of points, and (spot-checked) its
  // rows under their row numbers. With fewer points the base set is
  // upserted again; anything else is FailedPrecondition.
  bool reuse = false;
  // An existing collection is dropped and created again.
  bool drop_existing = false;
  size_t batch = 1000;
};

// Creates the collection and upserts the base rows (unless reused).
// FailedPrecondition when the collection exists and neither reuse nor
// drop_existing is set, or when a reused one has another dimension; the
// server's status (e.g. UNAVAILABLE) otherwise. Progress goes to stderr.
absl::Status PrepareCollection(Client& client, const Dataset& data,
                               const SetupOptions& options);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_LOAD_SETUP_H_
