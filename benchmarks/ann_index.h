// One approximate nearest-neighbour index as the ANN benchmark
// (vecdb_ann_bench) drives it: built once over a data set's base rows, then
// queried at each value of its search parameter (ef for HNSW, nprobe for
// IVF). Each system (raw hnswlib, vecdb embedded, vecdb over gRPC, FAISS)
// implements it in its own file; the factories live beside the system.
//
// Thread safety: Build, SetSearchParam and Close are called from one thread
// while no Search runs; Search may be called from several threads at once.
#ifndef VECDB_BENCHMARKS_ANN_INDEX_H_
#define VECDB_BENCHMARKS_ANN_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "benchmarks/datasets.h"

namespace vecdb::bench {

// How a system builds its index. Fields a system has no use for are ignored.
struct AnnBuildParams {
  // HNSW graph degree. Default: 16.
  size_t m = 16;
  // HNSW build breadth. Default: 200.
  size_t ef_construction = 200;
  // IVF inverted lists; must be > 0 for IVF. Default: 0.
  size_t nlist = 0;
  // Points per upsert call (vecdb systems). Default: 1000.
  size_t upsert_batch = 1000;
  // Scratch directory of the vecdb systems' data (created, then removed by
  // the system). Default: empty (required by those systems).
  std::string work_dir;
};

class AnnIndex {
 public:
  virtual ~AnnIndex() = default;

  // Builds over data.base: row i answers as id i. `data` must outlive the
  // index.
  virtual absl::Status Build(const Dataset& data) = 0;

  // Bytes of the index's own structures (graph, vectors, lists) as the
  // system counts them; 0 when unknown.
  virtual double ModelBytes() const = 0;

  // The search parameter of the following Search calls.
  virtual absl::Status SetSearchParam(size_t value) = 0;

  // Answers query number `q` of the data set (vector `query`) with the ids
  // of its k nearest base rows, closest first. Returns false on error.
  virtual bool Search(size_t q, const std::vector<float>& query, size_t k,
                      std::vector<uint32_t>& ids) = 0;

  // Releases what the index holds (engine, server, files).
  virtual absl::Status Close() { return absl::OkStatus(); }
};

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_ANN_INDEX_H_
