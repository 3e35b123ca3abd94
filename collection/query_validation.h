// Validation of a search request (Collection::Search and Query) against
// the collection it is made to. InvalidArgument naming the field, e.g.
// "queries[2]: ..." or "hybrid.rrf_k: must be in (0, 1e6], got 0".
#ifndef VECDB_COLLECTION_QUERY_VALIDATION_H_
#define VECDB_COLLECTION_QUERY_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "collection/collection_types.h"

namespace vecdb {

// Vector queries when `texts` is empty, text queries when `vectors` is,
// hybrid (paired by position, equal lengths) when both are given. Checks
// k, ef, every vector (dimension, finite, not zero under cosine), every
// text (at most kMaxTextQueryBytes, at least one word), the filter, the
// BM25 parameters and, for hybrid queries, the fusion options.
absl::Status ValidateSearch(absl::Span<const std::vector<float>> vectors,
                            absl::Span<const std::string> texts,
                            const QueryOptions& options,
                            const CollectionRecord& record);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_QUERY_VALIDATION_H_
