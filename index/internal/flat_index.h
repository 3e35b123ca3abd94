// Reading back FlatIndex::Serialize() output. Private to index/ and its
// tests: the collection layer rebuilds flat indexes from the store.
#ifndef VECDB_INDEX_INTERNAL_FLAT_INDEX_H_
#define VECDB_INDEX_INTERNAL_FLAT_INDEX_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "index/vector_index.h"

namespace vecdb::index_internal {

// Rebuilds a FlatIndex from its serialised bytes. Sizes are checked against
// `bytes` before allocating; malformed bytes or bytes written for another
// dimension or metric give DataLoss.
//
// Format (little-endian):
//   "VFLAT001" | u32 version = 1 | u32 dimension | u32 metric | u32 zero |
//   u64 count | count x (u64 label, dimension x f32 stored vector)
// Stored vectors are normalised under kCosine.
absl::StatusOr<std::unique_ptr<VectorIndex>> LoadFlatIndex(
    const IndexOptions& options, std::string_view bytes);

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_FLAT_INDEX_H_
