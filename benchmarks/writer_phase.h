// The phases of vecdb_writer_bench: closed-loop query clients, alone or
// beside one writer that replaces existing points with new vectors as fast
// as it can, all against one L2 collection for a fixed time.
//
//   WriterWorkload work = MakeWorkload(20000, 64, 1000, /*seed=*/42);
//   ...create the collection and upsert work.base as ids "0".."19999"...
//   PhaseRunner runner(target, "writer", work, {});
//   VECDB_RETURN_IF_ERROR(runner.Connect());
//   PhaseResult a = runner.Run({"a", "queries alone", 0}, 10.0);
//   PhaseResult c = runner.Run({"c", "queries + writer, batch 100",
//   100}, 10.0);
//
// Every query client and the writer is a thread with its own gRPC channel
// (a local subchannel pool, so one TCP connection each), kept across
// phases so no phase pays for connecting. A query asks for the k nearest of
// one vector drawn from the workload's queries, at the collection's
// ef_search. The writer's request holds `writer_batch` distinct ids drawn
// uniformly from the collection, each with a vector it has never had (fresh
// N(0, 1) components); only the call is timed, not building the request.
//
// Thread safety: a PhaseRunner belongs to one thread; Run starts and joins
// the client threads.
#ifndef VECDB_BENCHMARKS_WRITER_PHASE_H_
#define VECDB_BENCHMARKS_WRITER_PHASE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "benchmarks/writer_result.h"

namespace vecdb::bench {

struct WriterWorkload {
  size_t dim = 0;
  // points * dim floats, N(0, 1): row i is point "i".
  std::vector<float> base;
  // Query vectors, N(0, 1) from another random stream.
  std::vector<std::vector<float>> queries;
  uint64_t seed = 0;

  size_t points() const { return dim == 0 ? 0 : base.size() / dim; }
};

// Seeded Gaussian points and queries.
WriterWorkload MakeWorkload(size_t points, size_t dim, size_t num_queries,
                            uint64_t seed);

struct RunnerOptions {
  // Default: 2.
  size_t query_clients = 2;
  // Hits per query. Default: 10.
  uint32_t k = 10;
  // Deadline of every request. Default: 10 s.
  std::chrono::seconds request_deadline = std::chrono::seconds(10);
};

class PhaseRunner {
 public:
  // `work` must outlive the runner; its rows are points "0".."n-1" of
  // `collection` at `target` ("127.0.0.1:PORT").
  PhaseRunner(const std::string& target, const std::string& collection,
              const WriterWorkload& work, const RunnerOptions& options);
  ~PhaseRunner();

  // Connects every channel; Unavailable when one does not connect within
  // the request deadline.
  absl::Status Connect();

  // Runs the clients (and the writer when spec.writer_batch > 0) for
  // `seconds`: a request is sent while the phase lasts, and every request
  // sent is measured to its answer. Failures are counted, never fatal.
  PhaseResult Run(const PhaseSpec& spec, double seconds);

 private:
  class QueryClient;
  class Writer;

  std::vector<std::unique_ptr<QueryClient>> query_clients_;
  std::unique_ptr<Writer> writer_;
};

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_WRITER_PHASE_H_
