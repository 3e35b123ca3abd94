#include "collection/validation.h"

#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace vecdb {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status ValidateSpecParameters(const SpecParameters& parameters,
                                    absl::string_view field) {
  if (parameters.size() > kMaxSpecParameters) {
    return Invalid(field, absl::StrCat(parameters.size(),
                                       " parameters exceed the limit of ",
                                       kMaxSpecParameters));
  }
  for (const auto& [key, value] : parameters) {
    if (key.empty()) return Invalid(field, "a key must not be empty");
    if (key.size() > kMaxSpecParameterKeyBytes) {
      return Invalid(field, absl::StrCat("key of ", key.size(),
                                         " bytes exceeds the limit of ",
                                         kMaxSpecParameterKeyBytes));
    }
    if (value.size() > kMaxSpecParameterValueBytes) {
      return Invalid(absl::StrCat(field, "[\"", key, "\"]"),
                     absl::StrCat("value of ", value.size(),
                                  " bytes exceeds the limit of ",
                                  kMaxSpecParameterValueBytes));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateIngestProfile(const IngestProfile& profile,
                                   uint32_t dimension) {
  const EmbedderSpec& embedder = profile.embedder;
  const ChunkerSpec& chunker = profile.chunker;
  if (embedder.name.empty()) {
    if (profile == IngestProfile()) return absl::OkStatus();
    return Invalid("ingest.embedder.name",
                   "must not be empty when the profile sets other fields");
  }
  if (embedder.dimension != dimension) {
    return Invalid("ingest.embedder.dimension",
                   absl::StrCat(embedder.dimension,
                                " differs from the collection's dimension ",
                                dimension));
  }
  VECDB_RETURN_IF_ERROR(
      ValidateSpecParameters(embedder.parameters, "ingest.embedder.parameters"));
  if (chunker.name.empty()) {
    return Invalid("ingest.chunker.name", "must not be empty");
  }
  return ValidateSpecParameters(chunker.parameters,
                                "ingest.chunker.parameters");
}

absl::Status ValidateCollectionName(absl::string_view name) {
  if (name.empty()) return Invalid("name", "must not be empty");
  if (name.size() > kMaxCollectionNameBytes) {
    return Invalid("name", absl::StrCat(name.size(), " characters exceed the limit of ",
                                        kMaxCollectionNameBytes));
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return Invalid("name", absl::StrCat("\"", name,
                                          "\" may contain only letters, digits, "
                                          "'_' and '-'"));
    }
  }
  if (name[0] == '_' || name[0] == '-') {
    return Invalid("name", absl::StrCat("\"", name,
                                        "\" must start with a letter or digit"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCollectionShape(uint32_t dimension,
                                     const HnswParams& hnsw) {
  if (dimension < 1 || dimension > kMaxDimension) {
    return Invalid("dimension", absl::StrCat("must be in 1..", kMaxDimension,
                                             ", got ", dimension));
  }
  if (hnsw.m < kMinM || hnsw.m > kMaxM) {
    return Invalid("hnsw.m", absl::StrCat("must be in ", kMinM, "..", kMaxM,
                                          ", got ", hnsw.m));
  }
  if (hnsw.ef_construction < 1 || hnsw.ef_construction > kMaxEf) {
    return Invalid("hnsw.ef_construction",
                   absl::StrCat("must be in 1..", kMaxEf, ", got ",
                                hnsw.ef_construction));
  }
  if (hnsw.ef_search < 1 || hnsw.ef_search > kMaxEf) {
    return Invalid("hnsw.ef_search", absl::StrCat("must be in 1..", kMaxEf,
                                                  ", got ", hnsw.ef_search));
  }
  return absl::OkStatus();
}

absl::Status ValidateVector(absl::Span<const float> vector, uint32_t dimension,
                            Metric metric, absl::string_view field) {
  if (vector.size() != dimension) {
    return Invalid(field, absl::StrCat("expected dimension ", dimension,
                                       ", got ", vector.size()));
  }
  bool all_zero = true;
  for (size_t i = 0; i < vector.size(); ++i) {
    const float x = vector[i];
    if (std::isnan(x)) {
      return Invalid(absl::StrCat(field, "[", i, "]"), "NaN is not allowed");
    }
    if (std::isinf(x)) {
      return Invalid(absl::StrCat(field, "[", i, "]"),
                     "infinity is not allowed");
    }
    if (x != 0.0f) all_zero = false;
  }
  if (all_zero && metric == Metric::kCosine) {
    return Invalid(field,
                   "a zero vector has no direction under the cosine metric");
  }
  return absl::OkStatus();
}

absl::Status ValidatePointId(absl::string_view id, absl::string_view field) {
  if (id.empty()) return Invalid(field, "must not be empty");
  if (id.size() > kMaxIdBytes) {
    return Invalid(field, absl::StrCat(id.size(), " bytes exceed the limit of ",
                                       kMaxIdBytes));
  }
  return absl::OkStatus();
}

absl::Status ValidateIdList(absl::Span<const std::string> ids,
                            absl::string_view field) {
  absl::flat_hash_map<absl::string_view, size_t> seen;
  seen.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string item = absl::StrCat(field, "[", i, "]");
    VECDB_RETURN_IF_ERROR(ValidatePointId(ids[i], item));
    auto [it, inserted] = seen.emplace(ids[i], i);
    if (!inserted) {
      return Invalid(item, absl::StrCat("duplicate of ", field, "[", it->second,
                                        "] (\"", ids[i], "\")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateMetadata(const Metadata& metadata,
                              absl::string_view field) {
  for (const auto& [key, value] : metadata) {
    if (key.empty()) return Invalid(field, "a key must not be empty");
    if (key.size() > kMaxMetadataKeyBytes) {
      return Invalid(field, absl::StrCat("key of ", key.size(),
                                         " bytes exceeds the limit of ",
                                         kMaxMetadataKeyBytes));
    }
    if (const double* d = std::get_if<double>(&value);
        d != nullptr && !std::isfinite(*d)) {
      return Invalid(absl::StrCat(field, "[\"", key, "\"]"),
                     "a double must be finite");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePoints(const std::vector<Point>& points,
                            uint32_t dimension, Metric metric) {
  if (points.empty()) return Invalid("points", "must not be empty");
  absl::flat_hash_map<absl::string_view, size_t> seen;
  seen.reserve(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    const std::string item = absl::StrCat("points[", i, "]");
    VECDB_RETURN_IF_ERROR(ValidatePointId(p.id, absl::StrCat(item, ".id")));
    auto [it, inserted] = seen.emplace(p.id, i);
    if (!inserted) {
      return Invalid(absl::StrCat(item, ".id"),
                     absl::StrCat("duplicate of points[", it->second,
                                  "].id (\"", p.id, "\")"));
    }
    VECDB_RETURN_IF_ERROR(ValidateVector(p.vector, dimension, metric,
                                         absl::StrCat(item, ".vector")));
    VECDB_RETURN_IF_ERROR(
        ValidateMetadata(p.metadata, absl::StrCat(item, ".metadata")));
  }
  return absl::OkStatus();
}

}  // namespace vecdb
