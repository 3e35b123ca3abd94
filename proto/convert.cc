#include "proto/convert.h"

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"

namespace vecdb {
namespace {

std::string MetadataField(std::string_view field, const std::string& key) {
  // Keys are arbitrary bytes; escape them so the message stays printable.
  return absl::StrCat(AsAbsl(field), ".metadata[\"", absl::CEscape(key), "\"]");
}

// Shared by both PointFromProto overloads: `Source` is `v1::Point&` (move
// the strings out) or `const v1::Point&` (copy them).
template <typename Source>
absl::StatusOr<Point> ConvertPoint(Source& proto, std::string_view field) {
  constexpr bool kMove = !std::is_const_v<Source>;
  Point point;
  if constexpr (kMove) {
    point.id = std::move(*proto.mutable_id());
    if (proto.has_document()) {
      point.document = std::move(*proto.mutable_document());
    }
  } else {
    point.id = proto.id();
    if (proto.has_document()) point.document = proto.document();
  }
  // RepeatedField<float> iterators are pointers: this is one memcpy.
  point.vector.assign(proto.vector().begin(), proto.vector().end());
  for (auto& [key, value] : proto.metadata()) {
    if constexpr (kMove) {
      if (value.kind_case() == v1::MetadataValue::kStringValue) {
        // metadata() is const; the message itself is not.
        auto& mutable_value = const_cast<v1::MetadataValue&>(value);
        point.metadata.emplace(
            key, std::move(*mutable_value.mutable_string_value()));
        continue;
      }
    }
    VECDB_ASSIGN_OR_RETURN(
        MetadataValue converted,
        MetadataValueFromProto(value, MetadataField(field, key)));
    point.metadata.emplace(key, std::move(converted));
  }
  return point;
}

// Shared by both PointToProto overloads: `P` is `Point&` (move the strings)
// or `const Point&` (copy them).
template <typename P>
void WritePoint(P& point, v1::Point* proto) {
  constexpr bool kMove = !std::is_const_v<P>;
  if constexpr (kMove) {
    proto->set_id(std::move(point.id));
    if (point.document.has_value()) {
      proto->set_document(std::move(*point.document));
    }
  } else {
    proto->set_id(point.id);
    if (point.document.has_value()) proto->set_document(*point.document);
  }
  if (!point.vector.empty()) {
    proto->mutable_vector()->Add(point.vector.begin(), point.vector.end());
  }
  auto* metadata = proto->mutable_metadata();
  for (auto& [key, value] : point.metadata) {
    v1::MetadataValue& out = (*metadata)[key];
    if constexpr (kMove) {
      if (auto* s = std::get_if<std::string>(&value)) {
        out.set_string_value(std::move(*s));
        continue;
      }
    }
    MetadataValueToProto(value, &out);
  }
}

}  // namespace

absl::StatusOr<Metric> MetricFromProto(v1::Metric metric,
                                       std::string_view field) {
  switch (metric) {
    case v1::METRIC_COSINE:
      return Metric::kCosine;
    case v1::METRIC_L2:
      return Metric::kL2;
    case v1::METRIC_INNER_PRODUCT:
      return Metric::kInnerProduct;
    case v1::METRIC_UNSPECIFIED:
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(field), ": must be set"));
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          AsAbsl(field), ": unknown value ", static_cast<int>(metric)));
  }
}

v1::Metric MetricToProto(Metric metric) {
  switch (metric) {
    case Metric::kCosine:
      return v1::METRIC_COSINE;
    case Metric::kL2:
      return v1::METRIC_L2;
    case Metric::kInnerProduct:
      return v1::METRIC_INNER_PRODUCT;
  }
  return v1::METRIC_UNSPECIFIED;
}

HnswParams HnswParamsFromProto(const v1::HnswParams& proto) {
  HnswParams params;
  if (proto.m() != 0) params.m = proto.m();
  if (proto.ef_construction() != 0) {
    params.ef_construction = proto.ef_construction();
  }
  if (proto.ef_search() != 0) params.ef_search = proto.ef_search();
  return params;
}

void HnswParamsToProto(const HnswParams& params, v1::HnswParams* proto) {
  proto->set_m(params.m);
  proto->set_ef_construction(params.ef_construction);
  proto->set_ef_search(params.ef_search);
}

namespace {

SpecParameters ParametersFromProto(
    const google::protobuf::Map<std::string, std::string>& proto) {
  return SpecParameters(proto.begin(), proto.end());
}

void ParametersToProto(const SpecParameters& parameters,
                       google::protobuf::Map<std::string, std::string>* proto) {
  for (const auto& [key, value] : parameters) (*proto)[key] = value;
}

}  // namespace

IngestProfile IngestProfileFromProto(const v1::IngestProfile& proto) {
  IngestProfile profile;
  profile.embedder.name = proto.embedder().name();
  profile.embedder.model = proto.embedder().model();
  profile.embedder.dimension = proto.embedder().dimension();
  profile.embedder.parameters =
      ParametersFromProto(proto.embedder().parameters());
  profile.chunker.name = proto.chunker().name();
  profile.chunker.parameters = ParametersFromProto(proto.chunker().parameters());
  return profile;
}

void IngestProfileToProto(const IngestProfile& profile,
                          v1::IngestProfile* proto) {
  v1::EmbedderSpec* embedder = proto->mutable_embedder();
  embedder->set_name(profile.embedder.name);
  embedder->set_model(profile.embedder.model);
  embedder->set_dimension(profile.embedder.dimension);
  ParametersToProto(profile.embedder.parameters,
                    embedder->mutable_parameters());
  v1::ChunkerSpec* chunker = proto->mutable_chunker();
  chunker->set_name(profile.chunker.name);
  ParametersToProto(profile.chunker.parameters, chunker->mutable_parameters());
}

Include IncludeFromProto(const v1::Include& proto) {
  return Include{.vector = proto.vector(),
                 .metadata = proto.metadata(),
                 .document = proto.document()};
}

void IncludeToProto(const Include& include, v1::Include* proto) {
  proto->set_vector(include.vector);
  proto->set_metadata(include.metadata);
  proto->set_document(include.document);
}

absl::StatusOr<MetadataValue> MetadataValueFromProto(
    const v1::MetadataValue& proto, std::string_view field) {
  switch (proto.kind_case()) {
    case v1::MetadataValue::kStringValue:
      return MetadataValue(proto.string_value());
    case v1::MetadataValue::kIntValue:
      return MetadataValue(static_cast<int64_t>(proto.int_value()));
    case v1::MetadataValue::kDoubleValue:
      return MetadataValue(proto.double_value());
    case v1::MetadataValue::kBoolValue:
      return MetadataValue(proto.bool_value());
    case v1::MetadataValue::kListValue: {
      const auto& values = proto.list_value().values();
      return MetadataValue(
          std::vector<std::string>(values.begin(), values.end()));
    }
    case v1::MetadataValue::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(field), ": no value set"));
}

void MetadataValueToProto(const MetadataValue& value,
                          v1::MetadataValue* proto) {
  struct Visitor {
    v1::MetadataValue* proto;
    void operator()(const std::string& v) { proto->set_string_value(v); }
    void operator()(int64_t v) { proto->set_int_value(v); }
    void operator()(double v) { proto->set_double_value(v); }
    void operator()(bool v) { proto->set_bool_value(v); }
    void operator()(const std::vector<std::string>& v) {
      auto* list = proto->mutable_list_value()->mutable_values();
      list->Reserve(static_cast<int>(v.size()));
      for (const std::string& s : v) list->Add(std::string(s));
    }
  };
  std::visit(Visitor{proto}, value);
}

absl::StatusOr<Point> PointFromProto(v1::Point* proto, std::string_view field) {
  return ConvertPoint(*proto, field);
}

absl::StatusOr<Point> PointFromProto(const v1::Point& proto,
                                     std::string_view field) {
  return ConvertPoint(proto, field);
}

absl::StatusOr<std::vector<Point>> PointsFromProto(
    google::protobuf::RepeatedPtrField<v1::Point>* protos,
    std::string_view field) {
  std::vector<Point> points;
  points.reserve(protos->size());
  for (int i = 0; i < protos->size(); ++i) {
    VECDB_ASSIGN_OR_RETURN(
        Point point, PointFromProto(protos->Mutable(i),
                                    absl::StrCat(AsAbsl(field), "[", i, "]")));
    points.push_back(std::move(point));
  }
  return points;
}

void PointToProto(const Point& point, v1::Point* proto) {
  WritePoint(point, proto);
}

void PointToProto(Point&& point, v1::Point* proto) { WritePoint(point, proto); }

std::vector<std::vector<float>> QueryVectorsFromProto(
    const google::protobuf::RepeatedPtrField<v1::QueryVector>& protos) {
  std::vector<std::vector<float>> queries;
  queries.reserve(protos.size());
  for (const v1::QueryVector& q : protos) {
    queries.emplace_back(q.values().begin(), q.values().end());
  }
  return queries;
}

static_assert(static_cast<int>(QueryPath::kGraph) == v1::QUERY_PATH_GRAPH &&
              static_cast<int>(QueryPath::kFilteredGraph) ==
                  v1::QUERY_PATH_FILTERED_GRAPH &&
              static_cast<int>(QueryPath::kExactCandidates) ==
                  v1::QUERY_PATH_EXACT_CANDIDATES &&
              static_cast<int>(QueryPath::kFilteredGraphThenExact) ==
                  v1::QUERY_PATH_FILTERED_GRAPH_THEN_EXACT &&
              static_cast<int>(QueryPath::kText) == v1::QUERY_PATH_TEXT,
              "QueryPath numbers must equal vecdb.v1.QueryPath's");

QueryExplain ExplainFromProto(const v1::Explain& proto) {
  const int32_t path = static_cast<int32_t>(proto.path());
  const bool known = path >= static_cast<int32_t>(QueryPath::kGraph) &&
                     path <= static_cast<int32_t>(QueryPath::kText);
  return QueryExplain{
      .path = known ? static_cast<QueryPath>(path) : QueryPath::kUnspecified,
      .estimated_matches = proto.estimated_matches(),
      .actual_matches = proto.actual_matches(),
      .distance_computations = proto.distance_computations(),
      .nodes_expanded = proto.nodes_expanded(),
      .postings_scored = proto.postings_scored(),
      .search_micros = proto.search_micros(),
      .reason = proto.reason(),
  };
}

void ExplainToProto(const QueryExplain& explain, v1::Explain* proto) {
  // QueryPath's numbers are vecdb.v1.QueryPath's.
  proto->set_path(static_cast<v1::QueryPath>(explain.path));
  proto->set_estimated_matches(explain.estimated_matches);
  proto->set_actual_matches(explain.actual_matches);
  proto->set_distance_computations(explain.distance_computations);
  proto->set_nodes_expanded(explain.nodes_expanded);
  proto->set_postings_scored(explain.postings_scored);
  proto->set_search_micros(explain.search_micros);
  proto->set_reason(explain.reason);
}

}  // namespace vecdb
