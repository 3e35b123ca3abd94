#include "secondary/label_set.h"

#include <algorithm>
#include <exception>
#include <string>
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

absl::Status PutLabelSet(ByteWriter& out, const LabelSet& set) {
  std::string bytes(set.getSizeInBytes(/*portable=*/true), '\0');
  set.write(bytes.data(), /*portable=*/true);
  absl::Status status = out.Put<uint64_t>(bytes.size());
  if (!status.ok()) return status;
  return out.PutBytes(bytes);
}

bool GetLabelSet(ByteReader& in, LabelSet* set) {
  ByteReader probe = in;
  uint64_t size = 0;
  std::string_view bytes;
  if (!probe.Get(&size) || !probe.GetBytes(size, &bytes)) return false;
  try {
    // readSafe never reads past `bytes`; it throws on malformed input.
    LabelSet read = LabelSet::readSafe(bytes.data(), bytes.size());
    if (read.getSizeInBytes(/*portable=*/true) != size) return false;
    *set = std::move(read);
  } catch (const std::exception&) {
    return false;
  }
  in = probe;
  return true;
}

LabelSet UnionOf(absl::Span<const LabelSet* const> sets) {
  LabelSet out;
  for (const LabelSet* set : sets) out |= *set;
  return out;
}

}  // namespace vecdb
