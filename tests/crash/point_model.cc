#include "tests/crash/point_model.h"

#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace vecdb::testing {
namespace {

// FNV-1a then splitmix64: stable across runs and platforms, unlike
// std::hash, so a seed printed by one run reproduces the same contents.
uint64_t Fnv1a(absl::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t SeedOf(absl::string_view id, uint32_t version) {
  return Fnv1a(id) ^ (uint64_t{version} * 0xd6e8feb86659fd93ull);
}

std::string DescribeValue(const vecdb::v1::MetadataValue& v) {
  return v.ShortDebugString();
}

bool SameValue(const vecdb::v1::MetadataValue& a,
               const vecdb::v1::MetadataValue& b) {
  using vecdb::v1::MetadataValue;
  if (a.kind_case() != b.kind_case()) return false;
  switch (a.kind_case()) {
    case MetadataValue::kStringValue:
      return a.string_value() == b.string_value();
    case MetadataValue::kIntValue:
      return a.int_value() == b.int_value();
    case MetadataValue::kDoubleValue:
      return std::bit_cast<uint64_t>(a.double_value()) ==
             std::bit_cast<uint64_t>(b.double_value());
    case MetadataValue::kBoolValue:
      return a.bool_value() == b.bool_value();
    case MetadataValue::kListValue:
      return std::equal(
          a.list_value().values().begin(), a.list_value().values().end(),
          b.list_value().values().begin(), b.list_value().values().end());
    case MetadataValue::KIND_NOT_SET:
      return true;
  }
  return false;
}

}  // namespace

std::vector<float> ModelVector(absl::string_view id, uint32_t version,
                               uint32_t dim) {
  uint64_t state = SeedOf(id, version);
  std::vector<float> v(dim);
  for (float& x : v) {
    // 24 random bits -> [-1, 1): exactly representable, never NaN/Inf.
    x = static_cast<float>(SplitMix64(state) >> 40) / float(1 << 23) - 1.0f;
  }
  return v;
}

vecdb::v1::Point ModelPoint(absl::string_view id, uint32_t version,
                            uint32_t dim) {
  uint64_t state = SeedOf(id, version) ^ 0x5bd1e995u;
  vecdb::v1::Point p;
  p.set_id(std::string(id));
  for (float x : ModelVector(id, version, dim)) p.add_vector(x);
  auto& md = *p.mutable_metadata();
  md["version"].set_int_value(version);
  md["neg"].set_int_value(-static_cast<int64_t>(SplitMix64(state) >> 2));
  // A double with all mantissa bits in use, so a float round trip shows.
  md["score"].set_double_value(static_cast<double>(SplitMix64(state) >> 11) /
                               9007199254740992.0 * 1e3);
  md["even"].set_bool_value(version % 2 == 0);
  md["tag"].set_string_value(absl::StrCat("tag-", version % 7, "-", id));
  if (version % 3 != 0) {
    auto* list = md["tags"].mutable_list_value();
    for (uint32_t i = 0; i < version % 4; ++i) {
      list->add_values(absl::StrCat("t", SplitMix64(state) % 1000));
    }
  }
  if (version % 5 != 0) {
    p.set_document(absl::StrCat("document of ", id, " at version ", version,
                                std::string(SplitMix64(state) % 64, 'x')));
  }
  return p;
}

std::string DiffFromModel(const vecdb::v1::Point& actual, absl::string_view id,
                          uint32_t version, uint32_t dim) {
  const vecdb::v1::Point want = ModelPoint(id, version, dim);
  const std::string where =
      absl::StrCat(id, " (expected version ", version, ")");
  if (actual.id() != want.id()) {
    return absl::StrCat(where, ": id is \"", actual.id(), "\"");
  }
  if (actual.vector_size() != want.vector_size()) {
    return absl::StrCat(where, ": vector has ", actual.vector_size(),
                        " components, expected ", want.vector_size());
  }
  for (int i = 0; i < want.vector_size(); ++i) {
    if (std::bit_cast<uint32_t>(actual.vector(i)) !=
        std::bit_cast<uint32_t>(want.vector(i))) {
      return absl::StrCat(where, ": vector[", i, "] is ", actual.vector(i),
                          ", expected ", want.vector(i));
    }
  }
  if (actual.metadata_size() != want.metadata_size()) {
    return absl::StrCat(where, ": ", actual.metadata_size(),
                        " metadata keys, expected ", want.metadata_size());
  }
  for (const auto& [key, value] : want.metadata()) {
    auto it = actual.metadata().find(key);
    if (it == actual.metadata().end()) {
      return absl::StrCat(where, ": metadata key \"", key, "\" missing");
    }
    if (!SameValue(it->second, value)) {
      return absl::StrCat(where, ": metadata \"", key, "\" is ",
                          DescribeValue(it->second), ", expected ",
                          DescribeValue(value));
    }
  }
  if (actual.has_document() != want.has_document() ||
      actual.document() != want.document()) {
    return absl::StrCat(
        where, ": document is ",
        actual.has_document() ? "\"" + actual.document() + "\"" : "unset",
        ", expected ",
        want.has_document() ? "\"" + want.document() + "\"" : "unset");
  }
  return "";
}

}  // namespace vecdb::testing
