#include "cli/readers.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace vecdb::cli {
namespace {

using Json = nlohmann::json;

absl::Status OpenError(const std::string& path) {
  return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
}

bool IsBlank(absl::string_view line) {
  return line.find_first_not_of(" \t\r") == absl::string_view::npos;
}

// Parses a whole field as a finite float.
absl::StatusOr<float> ParseFloat(absl::string_view field) {
  float value = 0;
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (field.empty() || ec != std::errc() || ptr != end) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is not a number"));
  }
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", field, "' is not a finite number"));
  }
  return value;
}

absl::StatusOr<std::vector<float>> VectorFromJson(const Json& json) {
  if (!json.is_array()) {
    return absl::InvalidArgumentError("vector: must be an array of numbers");
  }
  std::vector<float> vector;
  vector.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (!json[i].is_number()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "vector[", i, "]: must be a number, got ", json[i].type_name()));
    }
    const double value = json[i].get<double>();
    if (std::abs(value) > std::numeric_limits<float>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("vector[", i, "]: out of float range"));
    }
    vector.push_back(static_cast<float>(value));
  }
  return vector;
}

absl::StatusOr<MetadataValue> MetadataValueFromJson(const Json& json,
                                                    const std::string& key) {
  const std::string field = absl::StrCat("metadata.", key);
  switch (json.type()) {
    case Json::value_t::string:
      return MetadataValue(json.get<std::string>());
    case Json::value_t::boolean:
      return MetadataValue(json.get<bool>());
    case Json::value_t::number_integer:
      return MetadataValue(json.get<int64_t>());
    case Json::value_t::number_unsigned:
      if (json.get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": integer out of int64 range"));
      }
      return MetadataValue(json.get<int64_t>());
    case Json::value_t::number_float:
      return MetadataValue(json.get<double>());
    case Json::value_t::array: {
      std::vector<std::string> list;
      for (const Json& item : json) {
        if (!item.is_string()) {
          return absl::InvalidArgumentError(
              absl::StrCat(field, ": a list may hold only strings"));
        }
        list.push_back(item.get<std::string>());
      }
      return MetadataValue(std::move(list));
    }
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": unsupported value type ", json.type_name(),
          " (expected string, number, boolean or array of strings)"));
  }
}

absl::StatusOr<Point> PointFromJson(const Json& json) {
  if (!json.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a JSON object, got ", json.type_name()));
  }
  Point point;
  bool has_id = false;
  bool has_vector = false;
  for (const auto& [key, value] : json.items()) {
    if (key == "id") {
      if (!value.is_string()) {
        return absl::InvalidArgumentError("id: must be a string");
      }
      point.id = value.get<std::string>();
      has_id = true;
    } else if (key == "vector") {
      VECDB_ASSIGN_OR_RETURN(point.vector, VectorFromJson(value));
      has_vector = true;
    } else if (key == "metadata") {
      if (!value.is_object()) {
        return absl::InvalidArgumentError("metadata: must be an object");
      }
      for (const auto& [meta_key, meta_value] : value.items()) {
        VECDB_ASSIGN_OR_RETURN(MetadataValue converted,
                               MetadataValueFromJson(meta_value, meta_key));
        point.metadata.emplace(meta_key, std::move(converted));
      }
    } else if (key == "document") {
      if (!value.is_string()) {
        return absl::InvalidArgumentError("document: must be a string");
      }
      point.document = value.get<std::string>();
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown key \"", key,
                       "\" (expected id, vector, metadata, document)"));
    }
  }
  if (!has_id) return absl::InvalidArgumentError("id: missing");
  if (!has_vector) return absl::InvalidArgumentError("vector: missing");
  return point;
}

absl::Status AtLine(const std::string& path, size_t line,
                    const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(path, ":", line, ": ", status.message()));
}

uint32_t LoadLittleEndian32(const char* bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 |
         uint32_t{b[3]} << 24;
}

}  // namespace

absl::StatusOr<std::vector<Point>> ReadJsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) return OpenError(path);
  std::vector<Point> points;
  std::string line;
  for (size_t line_number = 1; std::getline(in, line); ++line_number) {
    if (IsBlank(line)) continue;
    const Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
      return AtLine(path, line_number,
                    absl::InvalidArgumentError("not valid JSON"));
    }
    auto point = PointFromJson(json);
    if (!point.ok()) return AtLine(path, line_number, point.status());
    points.push_back(*std::move(point));
  }
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  return points;
}

absl::StatusOr<std::vector<std::vector<float>>> ReadFvecs(
    const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return OpenError(path);
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  std::vector<std::vector<float>> vectors;
  size_t offset = 0;
  int64_t dimension = -1;
  while (offset < bytes.size() && (limit == 0 || vectors.size() < limit)) {
    const std::string where =
        absl::StrCat(path, ": vector ", vectors.size(), " at byte ", offset);
    if (bytes.size() - offset < 4) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": truncated (", bytes.size() - offset,
                       " bytes left, expected a 4-byte dimension)"));
    }
    const auto dim =
        static_cast<int32_t>(LoadLittleEndian32(bytes.data() + offset));
    if (dim <= 0 || static_cast<uint32_t>(dim) > kMaxDimension) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": dimension ", dim, " outside 1..", kMaxDimension));
    }
    if (dimension >= 0 && dim != dimension) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": dimension ", dim,
                       " differs from the first vector's ", dimension));
    }
    dimension = dim;
    offset += 4;
    const size_t needed = static_cast<size_t>(dim) * 4;
    if (bytes.size() - offset < needed) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": truncated (", bytes.size() - offset,
                       " bytes left, expected ", needed, ")"));
    }
    std::vector<float> vector(dim);
    for (float& value : vector) {
      value = std::bit_cast<float>(LoadLittleEndian32(bytes.data() + offset));
      offset += 4;
    }
    vectors.push_back(std::move(vector));
  }
  return vectors;
}

absl::StatusOr<std::vector<std::vector<float>>> ReadTsv(const std::string& path,
                                                        size_t dimension,
                                                        size_t limit) {
  std::ifstream in(path);
  if (!in) return OpenError(path);
  // Without a given dimension, the first line sets it for every line.
  const bool exact = dimension == 0;
  std::vector<std::vector<float>> vectors;
  std::string line;
  for (size_t line_number = 1;
       (limit == 0 || vectors.size() < limit) && std::getline(in, line);
       ++line_number) {
    absl::string_view text = absl::StripSuffix(line, "\r");
    if (IsBlank(text)) continue;
    const std::vector<absl::string_view> fields = absl::StrSplit(text, '\t');
    if (dimension == 0) dimension = fields.size();
    if (fields.size() < dimension || (exact && fields.size() > dimension)) {
      return AtLine(
          path, line_number,
          absl::InvalidArgumentError(absl::StrCat(
              "expected ", dimension, " values, got ", fields.size())));
    }
    std::vector<float> vector;
    vector.reserve(dimension);
    // Trailing columns past `dimension` must be numbers too: a stray text
    // column usually means the wrong file.
    for (size_t i = 0; i < fields.size(); ++i) {
      auto value = ParseFloat(absl::StripAsciiWhitespace(fields[i]));
      if (!value.ok()) {
        return AtLine(path, line_number,
                      absl::InvalidArgumentError(absl::StrCat(
                          "field ", i + 1, ": ", value.status().message())));
      }
      if (i < dimension) vector.push_back(*value);
    }
    vectors.push_back(std::move(vector));
  }
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  return vectors;
}

absl::StatusOr<std::vector<float>> ParseVectorText(absl::string_view text) {
  std::vector<float> vector;
  if (IsBlank(text)) return absl::InvalidArgumentError("vector: empty");
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  for (size_t i = 0; i < parts.size(); ++i) {
    auto value = ParseFloat(absl::StripAsciiWhitespace(parts[i]));
    if (!value.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "vector element ", i + 1, ": ", value.status().message()));
    }
    vector.push_back(*value);
  }
  return vector;
}

std::vector<Point> PointsFromVectors(std::vector<std::vector<float>> vectors,
                                     const std::string& id_prefix) {
  std::vector<Point> points(vectors.size());
  for (size_t i = 0; i < vectors.size(); ++i) {
    points[i].id = absl::StrCat(id_prefix, i);
    points[i].vector = std::move(vectors[i]);
  }
  return points;
}

}  // namespace vecdb::cli
