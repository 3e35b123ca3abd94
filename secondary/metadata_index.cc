// Layout: one FieldPostings per field name. Every posting map drops a value
// as soon as its LabelSet empties, and a field goes once nothing is left in
// it, so memory follows the live data. Numbers share one ordered map keyed
// by the exact numeric value (int 5 and double 5.0 are one key: a point has
// a single value per field, so the shared set never conflates two values
// of one point). NaN doubles are not placed in that map (they equal and
// order nothing, as in filter/matcher.h); they still count as present.
#include "secondary/metadata_index.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "filter/matcher.h"

namespace vecdb {
namespace {

struct NumberLess {
  bool operator()(const Number& a, const Number& b) const {
    return CompareNumbers(a, b) < 0;
  }
};

using StringPostings = std::map<std::string, LabelSet, std::less<>>;
using NumberPostings = std::map<Number, LabelSet, NumberLess>;

struct FieldPostings {
  LabelSet present;
  LabelSet bools[2];
  StringPostings strings;
  NumberPostings numbers;

  bool empty() const {
    return present.isEmpty() && bools[0].isEmpty() && bools[1].isEmpty() &&
           strings.empty() && numbers.empty();
  }
};

// Removes `label` from the set under `key`, dropping the key once empty.
// Removes `label` from `set`; an emptied set also gives up the per-2^32
// buckets CRoaring keeps after their last element goes.
void RemoveFrom(LabelSet& set, uint64_t label) {
  set.remove(label);
  if (set.isEmpty()) set = LabelSet();
}

template <typename Map, typename Key>
void EraseFrom(Map& map, const Key& key, uint64_t label) {
  auto it = map.find(key);
  if (it == map.end()) return;
  it->second.remove(label);
  if (it->second.isEmpty()) map.erase(it);
}

std::optional<Number> FilterNumber(const FilterValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return Number(*i);
  if (const auto* d = std::get_if<double>(&v)) return Number(*d);
  return std::nullopt;
}

// [first, last) of a posting map for a range operator and bound.
template <typename Map, typename Key>
std::pair<typename Map::const_iterator, typename Map::const_iterator> Range(
    const Map& map, FieldOp op, const Key& bound) {
  switch (op) {
    case FieldOp::kGt:
      return {map.upper_bound(bound), map.end()};
    case FieldOp::kGte:
      return {map.lower_bound(bound), map.end()};
    case FieldOp::kLt:
      return {map.begin(), map.lower_bound(bound)};
    case FieldOp::kLte:
      return {map.begin(), map.upper_bound(bound)};
    default:
      return {map.end(), map.end()};
  }
}

bool IsRange(FieldOp op) {
  return op == FieldOp::kGt || op == FieldOp::kGte || op == FieldOp::kLt ||
         op == FieldOp::kLte;
}

// The posting set of one value (kEq), or null when no point holds it.
const LabelSet* Postings(const FieldPostings& f, const FilterValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) {
    const LabelSet& set = f.bools[*b ? 1 : 0];
    return set.isEmpty() ? nullptr : &set;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    auto it = f.strings.find(*s);
    return it == f.strings.end() ? nullptr : &it->second;
  }
  auto it = f.numbers.find(*FilterNumber(v));
  return it == f.numbers.end() ? nullptr : &it->second;
}

LabelSet Union(const std::vector<const LabelSet*>& sets) {
  return UnionOf(sets);
}

std::vector<const LabelSet*> PostingsOfValues(const FieldPostings& f,
                                              const Filter& condition) {
  std::vector<const LabelSet*> sets;
  for (const FilterValue& v : condition.values) {
    if (const LabelSet* set = Postings(f, v)) sets.push_back(set);
  }
  return sets;
}

std::vector<const LabelSet*> PostingsInRange(const FieldPostings& f,
                                             const Filter& condition) {
  std::vector<const LabelSet*> sets;
  const FilterValue& bound = condition.values.at(0);
  if (const auto* s = std::get_if<std::string>(&bound)) {
    auto [first, last] = Range(f.strings, condition.op, *s);
    for (auto it = first; it != last; ++it) sets.push_back(&it->second);
  } else if (std::optional<Number> n = FilterNumber(bound)) {
    auto [first, last] = Range(f.numbers, condition.op, *n);
    for (auto it = first; it != last; ++it) sets.push_back(&it->second);
  }
  return sets;
}

uint64_t SumCardinalities(const std::vector<const LabelSet*>& sets) {
  uint64_t sum = 0;
  for (const LabelSet* set : sets) sum += set->cardinality();
  return sum;
}

}  // namespace

struct MetadataIndex::Impl {
  LabelSet all;
  absl::flat_hash_map<std::string, FieldPostings> fields;

  const FieldPostings* Find(std::string_view field) const {
    auto it = fields.find(absl::string_view(field.data(), field.size()));
    return it == fields.end() ? nullptr : &it->second;
  }

  // The labels the positive form of `condition` matches (kNe as kEq, kNotIn
  // as kIn).
  LabelSet Positive(const FieldPostings& f, const Filter& condition) const {
    switch (condition.op) {
      case FieldOp::kExists:
        return f.present;
      case FieldOp::kContainsAll: {
        LabelSet result;
        for (size_t i = 0; i < condition.values.size(); ++i) {
          const LabelSet* set = Postings(f, condition.values[i]);
          if (set == nullptr) return LabelSet();
          if (i == 0) {
            result = *set;
          } else {
            result &= *set;
          }
        }
        return result;
      }
      default:
        if (IsRange(condition.op)) {
          return Union(PostingsInRange(f, condition));
        }
        return Union(PostingsOfValues(f, condition));
    }
  }

  uint64_t EstimatePositive(const FieldPostings& f,
                            const Filter& condition) const {
    const uint64_t present = f.present.cardinality();
    switch (condition.op) {
      case FieldOp::kExists:
        return present;
      case FieldOp::kContainsAll: {
        uint64_t smallest = present;
        for (const FilterValue& v : condition.values) {
          const LabelSet* set = Postings(f, v);
          smallest = std::min<uint64_t>(smallest, set ? set->cardinality() : 0);
        }
        return smallest;
      }
      default: {
        // A sum: exact unless one point holds several of the values (a
        // string list), then capped by the field's population.
        const auto sets = IsRange(condition.op)
                              ? PostingsInRange(f, condition)
                              : PostingsOfValues(f, condition);
        return std::min(SumCardinalities(sets), present);
      }
    }
  }
};

MetadataIndex::MetadataIndex() : impl_(std::make_unique<Impl>()) {}
MetadataIndex::~MetadataIndex() = default;
MetadataIndex::MetadataIndex(MetadataIndex&&) noexcept = default;
MetadataIndex& MetadataIndex::operator=(MetadataIndex&&) noexcept = default;

void MetadataIndex::AddLabel(uint64_t label) { impl_->all.add(label); }
void MetadataIndex::RemoveLabel(uint64_t label) {
  RemoveFrom(impl_->all, label);
}
const LabelSet& MetadataIndex::all() const { return impl_->all; }

void MetadataIndex::Insert(const MetadataEntry& entry) {
  FieldPostings& f = impl_->fields[entry.field];
  const uint64_t label = entry.label;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          f.present.add(label);
        } else if constexpr (std::is_same_v<T, bool>) {
          f.bools[v ? 1 : 0].add(label);
        } else if constexpr (std::is_same_v<T, std::string>) {
          f.strings[v].add(label);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isnan(v)) f.numbers[Number(v)].add(label);
        } else {
          f.numbers[Number(v)].add(label);
        }
      },
      entry.value);
  // A NaN-only entry may have created an empty field.
  if (f.empty()) impl_->fields.erase(entry.field);
}

void MetadataIndex::Erase(const MetadataEntry& entry) {
  auto it = impl_->fields.find(entry.field);
  if (it == impl_->fields.end()) return;
  FieldPostings& f = it->second;
  const uint64_t label = entry.label;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          RemoveFrom(f.present, label);
        } else if constexpr (std::is_same_v<T, bool>) {
          RemoveFrom(f.bools[v ? 1 : 0], label);
        } else if constexpr (std::is_same_v<T, std::string>) {
          EraseFrom(f.strings, v, label);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isnan(v)) EraseFrom(f.numbers, Number(v), label);
        } else {
          EraseFrom(f.numbers, Number(v), label);
        }
      },
      entry.value);
  if (f.empty()) impl_->fields.erase(it);
}

LabelSet MetadataIndex::Match(const Filter& condition) const {
  const bool negated =
      condition.op == FieldOp::kNe || condition.op == FieldOp::kNotIn;
  const FieldPostings* f = impl_->Find(condition.field);
  LabelSet positive = f ? impl_->Positive(*f, condition) : LabelSet();
  if (!negated) return positive;
  LabelSet result = impl_->all;
  result -= positive;
  return result;
}

uint64_t MetadataIndex::Estimate(const Filter& condition) const {
  const bool negated =
      condition.op == FieldOp::kNe || condition.op == FieldOp::kNotIn;
  const FieldPostings* f = impl_->Find(condition.field);
  const uint64_t positive = f ? impl_->EstimatePositive(*f, condition) : 0;
  if (!negated) return positive;
  const uint64_t all = impl_->all.cardinality();
  return all > positive ? all - positive : 0;
}

size_t MetadataIndex::MemoryBytes() const {
  // Per map node: the key, the set's own bytes and roughly four pointers
  // of tree bookkeeping.
  constexpr size_t kNodeOverhead = 4 * sizeof(void*) + sizeof(LabelSet);
  size_t bytes = sizeof(Impl) + impl_->all.getSizeInBytes(false);
  for (const auto& [name, f] : impl_->fields) {
    bytes += sizeof(name) + name.capacity() + sizeof(FieldPostings);
    bytes += f.present.getSizeInBytes(false) +
             f.bools[0].getSizeInBytes(false) +
             f.bools[1].getSizeInBytes(false);
    for (const auto& [value, set] : f.strings) {
      bytes += kNodeOverhead + sizeof(value) + value.capacity() +
               set.getSizeInBytes(false);
    }
    for (const auto& [value, set] : f.numbers) {
      bytes += kNodeOverhead + sizeof(value) + set.getSizeInBytes(false);
    }
  }
  return bytes;
}

// Layout (little-endian):
//   all: label set (secondary/label_set.h)
//   u32 field count, then per field in any order:
//     name (u32 length + bytes); present, false, true: label sets;
//     u64 string count, then per string in bytewise order: value, set;
//     u64 number count, then per number in numeric order:
//       u8 tag (0 int64, 1 double), 8 bytes of value, set.
absl::Status MetadataIndex::Serialize(ByteWriter& out) const {
  VECDB_RETURN_IF_ERROR(PutLabelSet(out, impl_->all));
  VECDB_RETURN_IF_ERROR(
      out.Put<uint32_t>(static_cast<uint32_t>(impl_->fields.size())));
  for (const auto& [name, f] : impl_->fields) {
    VECDB_RETURN_IF_ERROR(out.PutString(name));
    VECDB_RETURN_IF_ERROR(PutLabelSet(out, f.present));
    VECDB_RETURN_IF_ERROR(PutLabelSet(out, f.bools[0]));
    VECDB_RETURN_IF_ERROR(PutLabelSet(out, f.bools[1]));
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(f.strings.size()));
    for (const auto& [value, set] : f.strings) {
      VECDB_RETURN_IF_ERROR(out.PutString(value));
      VECDB_RETURN_IF_ERROR(PutLabelSet(out, set));
    }
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(f.numbers.size()));
    for (const auto& [value, set] : f.numbers) {
      if (const auto* i = std::get_if<int64_t>(&value)) {
        VECDB_RETURN_IF_ERROR(out.Put<uint8_t>(0));
        VECDB_RETURN_IF_ERROR(out.Put<int64_t>(*i));
      } else {
        VECDB_RETURN_IF_ERROR(out.Put<uint8_t>(1));
        VECDB_RETURN_IF_ERROR(out.Put<double>(std::get<double>(value)));
      }
      VECDB_RETURN_IF_ERROR(PutLabelSet(out, set));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status BadMetadata(absl::string_view problem) {
  return absl::DataLossError(absl::StrCat("metadata index: ", problem));
}

// A label set without `drop`.
bool GetKept(ByteReader& in, const LabelSet& drop, LabelSet* set) {
  if (!GetLabelSet(in, set)) return false;
  if (!drop.isEmpty()) *set -= drop;
  return true;
}

// Smallest encodings, to bound counts before anything is reserved.
constexpr size_t kMinFieldBytes = 4 + 3 * 8 + 8 + 8;
constexpr size_t kMinStringBytes = 4 + 8;
constexpr size_t kMinNumberBytes = 1 + 8 + 8;

absl::Status ParseField(ByteReader& in, const LabelSet& drop,
                        FieldPostings& f) {
  if (!GetKept(in, drop, &f.present) || !GetKept(in, drop, &f.bools[0]) ||
      !GetKept(in, drop, &f.bools[1])) {
    return BadMetadata("bad label set");
  }
  uint64_t strings = 0;
  if (!in.Get(&strings) || strings > in.remaining() / kMinStringBytes) {
    return BadMetadata("bad string count");
  }
  for (uint64_t i = 0; i < strings; ++i) {
    std::string_view value;
    LabelSet set;
    if (!in.GetString(&value) || !GetKept(in, drop, &set)) {
      return BadMetadata("bad string posting");
    }
    // Written in order: each goes at the end of the tree.
    if (!set.isEmpty()) {
      f.strings.emplace_hint(f.strings.end(), std::string(value),
                             std::move(set));
    }
  }
  uint64_t numbers = 0;
  if (!in.Get(&numbers) || numbers > in.remaining() / kMinNumberBytes) {
    return BadMetadata("bad number count");
  }
  for (uint64_t i = 0; i < numbers; ++i) {
    uint8_t tag = 0;
    Number value;
    if (!in.Get(&tag) || tag > 1) return BadMetadata("bad number tag");
    if (tag == 0) {
      int64_t v = 0;
      if (!in.Get(&v)) return BadMetadata("truncated number");
      value = v;
    } else {
      double v = 0;
      if (!in.Get(&v) || std::isnan(v)) return BadMetadata("bad number");
      value = v;
    }
    LabelSet set;
    if (!GetKept(in, drop, &set)) return BadMetadata("bad number posting");
    if (!set.isEmpty()) {
      f.numbers.emplace_hint(f.numbers.end(), value, std::move(set));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MetadataIndex> MetadataIndex::Parse(std::string_view bytes,
                                                   const LabelSet& drop) {
  ByteReader in(bytes);
  MetadataIndex index;
  Impl& impl = *index.impl_;
  if (!GetKept(in, drop, &impl.all)) return BadMetadata("bad label set");
  uint32_t fields = 0;
  if (!in.Get(&fields) || fields > in.remaining() / kMinFieldBytes) {
    return BadMetadata("bad field count");
  }
  impl.fields.reserve(fields);
  for (uint32_t i = 0; i < fields; ++i) {
    std::string_view name;
    if (!in.GetString(&name)) return BadMetadata("bad field name");
    FieldPostings f;
    VECDB_RETURN_IF_ERROR(ParseField(in, drop, f));
    if (f.empty()) continue;
    if (!impl.fields.emplace(std::string(name), std::move(f)).second) {
      return BadMetadata("field listed twice");
    }
  }
  if (in.remaining() != 0) return BadMetadata("trailing bytes");
  return index;
}

}  // namespace vecdb
