#include "secondary/label_set.h"

#include <algorithm>
#include <vector>

namespace vecdb {
namespace {

constexpr uint64_t kLow = uint64_t{1} << 32;

}  // namespace

LabelSet LabelSetFromSorted(absl::Span<const uint64_t> labels) {
  const auto high = std::lower_bound(labels.begin(), labels.end(), kLow);
  const std::vector<uint32_t> low(labels.begin(), high);
  ::Roaring low_set;
  low_set.addMany(low.size(), low.data());
  LabelSet set(low_set);
  const size_t n_high = static_cast<size_t>(labels.end() - high);
  set.addMany(n_high, labels.data() + (labels.size() - n_high));
  return set;
}

LabelSet UnionOf(absl::Span<const LabelSet* const> sets) {
  LabelSet out;
  for (const LabelSet* set : sets) out |= *set;
  return out;
}

}  // namespace vecdb
