// The pieces of vecdb_ingest_bench: an in-process server, a corpus written
// as JSONL, a run of the vecdb-ingest binary against the server, and the
// baseline upsert of the same points through the client.
//
// Thread safety: none; one benchmark thread.
#ifndef VECDB_BENCHMARKS_INGEST_WORKLOAD_H_
#define VECDB_BENCHMARKS_INGEST_WORKLOAD_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "collection/engine.h"
#include "server/server.h"

namespace vecdb::bench {

// An engine in `dir` served on 127.0.0.1 (free port), durable writes.
struct LocalServer {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<RunningServer> server;
  std::string address;
};
absl::StatusOr<LocalServer> StartLocalServer(const std::string& dir);

// Writes the documents of the SMART file `smart_path` `replicas` times into
// a JSONL file (ids "r<replica>-<id>"); returns the number of records.
absl::StatusOr<size_t> WriteReplicatedCorpus(const std::string& smart_path,
                                             size_t replicas,
                                             const std::string& jsonl_path);

struct UpsertRun {
  double seconds = 0;
  uint64_t points = 0;
};

// Reads every point of `collection` through `source` (vectors, metadata,
// documents), then times upserting them through `target` (another server,
// started fresh, so that both measurements begin from an empty database)
// into a new collection of the same name and dimension, in batches of
// `batch` points.
absl::StatusOr<UpsertRun> RunBaselineUpsert(client::Client& source,
                                            client::Client& target,
                                            const std::string& collection,
                                            size_t batch);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_INGEST_WORKLOAD_H_
