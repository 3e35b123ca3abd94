// FAISS as AnnIndex systems of vecdb_ann_bench: IndexHNSWFlat (the same
// graph family as hnswlib) and IndexIVFFlat (inverted lists over k-means
// centroids, exact distances inside the probed lists). Both add on all
// cores (OpenMP); each Search call answers one query with OpenMP limited
// to one thread on the calling thread, so sweeps compare single-thread
// query speed with the other systems.
//
// Thread safety: as AnnIndex.
#ifndef VECDB_BENCHMARKS_FAISS_SYSTEM_H_
#define VECDB_BENCHMARKS_FAISS_SYSTEM_H_

#include <memory>

#include "absl/status/statusor.h"
#include "benchmarks/ann_index.h"

namespace vecdb::bench {

// Whether this binary was linked with FAISS.
bool FaissAvailable();

// IndexHNSWFlat(dim, params.m), efConstruction = params.ef_construction;
// the search parameter is efSearch. Unimplemented ("not built ...")
// without FAISS.
absl::StatusOr<std::unique_ptr<AnnIndex>> NewFaissHnswAnnIndex(
    const AnnBuildParams& params);

// IndexIVFFlat over an IndexFlatL2 quantizer with params.nlist lists,
// trained (timed as part of the build) on at most kFaissIvfTrainPerList *
// nlist base rows (FAISS's own seeded sample) with FAISS's default k-means;
// the search parameter is nprobe. InvalidArgument if nlist is 0;
// Unimplemented ("not built ...") without FAISS.
absl::StatusOr<std::unique_ptr<AnnIndex>> NewFaissIvfAnnIndex(
    const AnnBuildParams& params);

inline constexpr int kFaissIvfTrainPerList = 64;

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_FAISS_SYSTEM_H_
