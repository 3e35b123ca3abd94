// Conversions between the public API messages (vecdb::v1) and the domain
// types of common/types.h, shared by the server and the C++ client.
//
// Only structural checks happen here: a MetadataValue with no kind set, an
// unspecified or unknown metric. Domain rules (dimension, NaN/Inf, id
// length, duplicate ids, metadata key length) belong to Collection, so that
// embedded users get them too.
//
// Every function that can fail takes `field`, the path of the message being
// converted (e.g. "points[3]"), and returns InvalidArgument with a message
// that starts with the full path of the bad field:
//   points[2].metadata["lang"]: no value set
//   metric: must be set
//
// Example (server side):
//   VECDB_ASSIGN_OR_RETURN(std::vector<Point> points,
//                          PointsFromProto(request->mutable_points(),
//                                          "points"));
//
// Thread safety: stateless free functions; safe to call concurrently on
// distinct messages.
#ifndef VECDB_PROTO_CONVERT_H_
#define VECDB_PROTO_CONVERT_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ingest_profile.h"
#include "common/query_explain.h"
#include "common/types.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb {

// Metric. METRIC_UNSPECIFIED -> InvalidArgument "<field>: must be set"; a
// value outside the enum -> InvalidArgument "<field>: unknown value N".
absl::StatusOr<Metric> MetricFromProto(v1::Metric metric,
                                       std::string_view field = "metric");
v1::Metric MetricToProto(Metric metric);

// HNSW parameters. A 0 field means the default of HnswParams. Ranges are
// checked by the engine when a collection is created.
HnswParams HnswParamsFromProto(const v1::HnswParams& proto);
void HnswParamsToProto(const HnswParams& params, v1::HnswParams* proto);

// Ingest profile. Never fails: its rules (names, dimension, parameter
// limits) are checked by the engine when a collection is created.
// IngestProfileToProto writes every field, even of an empty profile.
IngestProfile IngestProfileFromProto(const v1::IngestProfile& proto);
void IngestProfileToProto(const IngestProfile& profile,
                          v1::IngestProfile* proto);
// Sets `message`'s optional `ingest` field only for a non-empty profile, so
// CollectionInfo.ingest stays unset for a collection without one.
template <typename Message>
void SetIngestProfile(const IngestProfile& profile, Message* message) {
  if (!profile.empty()) {
    IngestProfileToProto(profile, message->mutable_ingest());
  }
}

// Include. `distance` has no domain counterpart: hits always carry their
// distance.
Include IncludeFromProto(const v1::Include& proto);
void IncludeToProto(const Include& include, v1::Include* proto);

// One metadata value. No kind set -> InvalidArgument "<field>: no value
// set".
absl::StatusOr<MetadataValue> MetadataValueFromProto(
    const v1::MetadataValue& proto, std::string_view field);
void MetadataValueToProto(const MetadataValue& value, v1::MetadataValue* proto);

// One point. The overload taking a pointer moves the id, document and
// string metadata values out of `proto` (left in a valid, unspecified
// state); the const overload copies them.
absl::StatusOr<Point> PointFromProto(v1::Point* proto, std::string_view field);
absl::StatusOr<Point> PointFromProto(const v1::Point& proto,
                                     std::string_view field);

// Every point of a repeated field; the messages name elements
// "<field>[i]". Moves strings out of `protos`, like PointFromProto(v1::Point*).
absl::StatusOr<std::vector<Point>> PointsFromProto(
    google::protobuf::RepeatedPtrField<v1::Point>* protos,
    std::string_view field);

// Writes every field of `point` that is set (an empty vector, empty metadata
// or no document leaves the proto field unset). The rvalue overload moves
// the strings.
void PointToProto(const Point& point, v1::Point* proto);
void PointToProto(Point&& point, v1::Point* proto);

// The explain block of a query result. A path number this build does not
// know becomes QueryPath::kUnspecified.
QueryExplain ExplainFromProto(const v1::Explain& proto);
void ExplainToProto(const QueryExplain& explain, v1::Explain* proto);

// Query vectors, copied in request order. Never fails: dimension and value
// checks belong to Collection::Query.
std::vector<std::vector<float>> QueryVectorsFromProto(
    const google::protobuf::RepeatedPtrField<v1::QueryVector>& protos);

}  // namespace vecdb

#endif  // VECDB_PROTO_CONVERT_H_
