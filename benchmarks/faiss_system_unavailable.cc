// Linked instead of faiss_system.cc when FAISS was not found at configure
// time (install libfaiss-dev).
#include "benchmarks/faiss_system.h"

namespace vecdb::bench {
namespace {

absl::Status NotBuilt() {
  return absl::UnimplementedError(
      "not built: FAISS was not found at configure time (libfaiss-dev)");
}

}  // namespace

bool FaissAvailable() { return false; }

absl::StatusOr<std::unique_ptr<AnnIndex>> NewFaissHnswAnnIndex(
    const AnnBuildParams&) {
  return NotBuilt();
}

absl::StatusOr<std::unique_ptr<AnnIndex>> NewFaissIvfAnnIndex(
    const AnnBuildParams&) {
  return NotBuilt();
}

}  // namespace vecdb::bench
