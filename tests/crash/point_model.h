// Deterministic point contents for durability tests: the vector, metadata
// and document of a point are a function of (id, version), so the expected
// state can be recomputed from versions alone and compared bit for bit.
//
// Versions start at 1. The metadata uses every value kind (string, int,
// double, bool, list); some versions leave out the list key and the
// document, so a replacing upsert that keeps stale fields is caught.
//
// Thread safety: pure functions.
#ifndef VECDB_TESTS_CRASH_POINT_MODEL_H_
#define VECDB_TESTS_CRASH_POINT_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb::testing {

// The vector of `id` at `version`: `dim` components in [-1, 1].
std::vector<float> ModelVector(absl::string_view id, uint32_t version,
                               uint32_t dim);

// The whole point (id, vector, metadata, document) of `id` at `version`.
vecdb::v1::Point ModelPoint(absl::string_view id, uint32_t version,
                            uint32_t dim);

// Empty when `actual` equals ModelPoint(id, version, dim) exactly (vector
// and double bits identical, same metadata keys, same document presence and
// text); otherwise a description of the first difference.
std::string DiffFromModel(const vecdb::v1::Point& actual, absl::string_view id,
                          uint32_t version, uint32_t dim);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_POINT_MODEL_H_
