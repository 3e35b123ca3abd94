// Input validation shared by every entry point of the engine. Each function
// returns InvalidArgument with a message that starts with the field path it
// was given, e.g. "points[3].vector[7]: NaN is not allowed".
#ifndef VECDB_COLLECTION_VALIDATION_H_
#define VECDB_COLLECTION_VALIDATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/ingest_profile.h"
#include "common/types.h"

namespace vecdb {

// 1..kMaxCollectionNameBytes of [A-Za-z0-9_-], first character alphanumeric.
absl::Status ValidateCollectionName(absl::string_view name);

// Dimension 1..kMaxDimension; HNSW parameters in range (0 is not allowed
// here: callers substitute defaults first).
absl::Status ValidateCollectionShape(uint32_t dimension,
                                     const HnswParams& hnsw);

// An empty profile (no embedder name and nothing else set) is valid. A
// non-empty one needs: embedder.name and chunker.name non-empty,
// embedder.dimension == `dimension`, at most kMaxSpecParameters parameters
// each, keys 1..kMaxSpecParameterKeyBytes bytes, values at most
// kMaxSpecParameterValueBytes bytes. Fields are named "ingest.embedder.name",
// "ingest.chunker.parameters[\"k\"]", ...
inline constexpr size_t kMaxSpecParameters = 32;
inline constexpr size_t kMaxSpecParameterKeyBytes = 256;
inline constexpr size_t kMaxSpecParameterValueBytes = 1024;
absl::Status ValidateIngestProfile(const IngestProfile& profile,
                                   uint32_t dimension);

// Length `dimension`, every component finite, and (kCosine) not all zero.
absl::Status ValidateVector(absl::Span<const float> vector, uint32_t dimension,
                            Metric metric, absl::string_view field);

// 1..kMaxIdBytes bytes.
absl::Status ValidatePointId(absl::string_view id, absl::string_view field);

// Ids valid and distinct; `field` names the list, e.g. "ids" gives
// "ids[4]: duplicate of ids[1] (\"a\")".
absl::Status ValidateIdList(absl::Span<const std::string> ids,
                            absl::string_view field);

// Keys 1..kMaxMetadataKeyBytes bytes; doubles finite.
absl::Status ValidateMetadata(const Metadata& metadata,
                              absl::string_view field);

// Everything about an upsert batch: ids, vectors, metadata, duplicates.
absl::Status ValidatePoints(const std::vector<Point>& points,
                            uint32_t dimension, Metric metric);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_VALIDATION_H_
