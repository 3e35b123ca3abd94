#include "benchmarks/load/op_mix.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vecdb::bench::load {

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kQuery:
      return "query";
    case Op::kUpsert:
      return "upsert";
  }
  return "unknown";
}

Op OpMix::Pick(double uniform) const {
  double edge = 0;
  for (size_t i = 0; i + 1 < kNumOps; ++i) {
    edge += shares_[i];
    if (shares_[i] > 0 && uniform < edge) return static_cast<Op>(i);
  }
  // The last slice, or the last operation with a share when rounding left
  // a draw past every edge.
  for (size_t i = kNumOps; i-- > 0;) {
    if (shares_[i] > 0) return static_cast<Op>(i);
  }
  return Op::kQuery;
}

absl::StatusOr<OpMix> ParseMix(std::string_view text) {
  std::array<double, kNumOps> weights{};
  std::array<bool, kNumOps> seen{};
  double total = 0;
  const absl::string_view whole(text.data(), text.size());
  for (absl::string_view part : absl::StrSplit(whole, ',')) {
    std::vector<absl::string_view> kv = absl::StrSplit(part, ':');
    uint32_t weight = 0;
    if (kv.size() != 2 || !absl::SimpleAtoi(kv[1], &weight)) {
      return absl::InvalidArgumentError(
          absl::StrCat("mix: '", part, "' is not name:weight"));
    }
    size_t op = kNumOps;
    for (size_t i = 0; i < kNumOps; ++i) {
      const std::string_view name = OpName(static_cast<Op>(i));
      if (kv[0] == absl::string_view(name.data(), name.size())) op = i;
    }
    if (op == kNumOps) {
      return absl::InvalidArgumentError(absl::StrCat(
          "mix: unknown operation '", kv[0], "' (query, upsert)"));
    }
    if (seen[op]) {
      return absl::InvalidArgumentError(
          absl::StrCat("mix: '", kv[0], "' given twice"));
    }
    seen[op] = true;
    weights[op] = weight;
    total += weight;
  }
  if (total <= 0) {
    return absl::InvalidArgumentError("mix: no operation has a weight");
  }
  OpMix mix;
  for (size_t i = 0; i < kNumOps; ++i) mix.shares_[i] = weights[i] / total;
  return mix;
}

}  // namespace vecdb::bench::load
