// Domain types shared by every layer: metrics, metadata values, points and
// the limits the API enforces. Header-only; no dependency but the standard
// library and Abseil.
#ifndef VECDB_COMMON_TYPES_H_
#define VECDB_COMMON_TYPES_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vecdb {

// Distance functions. Every search result carries a distance where smaller
// means closer:
//   kCosine:       1 - cos(a, b)   (vectors normalised for the index)
//   kL2:           |a - b|         (Euclidean, not squared)
//   kInnerProduct: 1 - <a, b>
enum class Metric : uint8_t { kCosine = 1, kL2 = 2, kInnerProduct = 3 };

std::string_view MetricName(Metric metric);

// Limits enforced at the API boundary and by the engine.
inline constexpr uint32_t kMaxDimension = 4096;
inline constexpr size_t kMaxIdBytes = 512;
inline constexpr size_t kMaxMetadataKeyBytes = 256;
inline constexpr size_t kMaxCollectionNameBytes = 64;
inline constexpr uint32_t kMaxK = 1000;
inline constexpr uint32_t kMaxEf = 4096;
inline constexpr uint32_t kMinM = 2;
inline constexpr uint32_t kMaxM = 128;

// HNSW parameters of a collection.
struct HnswParams {
  // Graph degree. Default: 16.
  uint32_t m = 16;
  // Candidate list size while building. Default: 200.
  uint32_t ef_construction = 200;
  // Candidate list size for a query that sets none. Default: 64.
  uint32_t ef_search = 64;
};

// A metadata value: string, int64, double, bool or list of strings.
using MetadataValue = std::variant<std::string, int64_t, double, bool,
                                   std::vector<std::string>>;
// Ordered so that encodings are deterministic.
using Metadata = std::map<std::string, MetadataValue, std::less<>>;

struct Point {
  std::string id;
  std::vector<float> vector;
  Metadata metadata;
  std::optional<std::string> document;
};

// Which parts of a point a read returns. The id is always returned.
struct Include {
  bool vector = false;
  bool metadata = false;
  bool document = false;
};

inline bool operator==(const Point& a, const Point& b) {
  return a.id == b.id && a.vector == b.vector && a.metadata == b.metadata &&
         a.document == b.document;
}

}  // namespace vecdb

#endif  // VECDB_COMMON_TYPES_H_
