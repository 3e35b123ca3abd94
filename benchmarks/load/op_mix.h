// The request mix of a load run: which operation each request is, drawn
// independently per request with the configured weights.
//
//   auto mix = ParseMix("query:95,upsert:5");   // weights, any scale
//   Op op = mix->Pick(uniform_draw);            // uniform_draw in [0, 1)
//
// Thread safety: an OpMix is immutable after parsing; Pick is const.
#ifndef VECDB_BENCHMARKS_LOAD_OP_MIX_H_
#define VECDB_BENCHMARKS_LOAD_OP_MIX_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace vecdb::bench::load {

enum class Op { kQuery = 0, kUpsert = 1 };
inline constexpr size_t kNumOps = 2;

// "query" or "upsert".
std::string_view OpName(Op op);

class OpMix {
 public:
  // Share of each operation, 0..1, summing to 1.
  double Share(Op op) const { return shares_[static_cast<size_t>(op)]; }
  // The operation for a uniform draw in [0, 1): the draw falls in the
  // operation's slice of [0, 1), slices in the order of Op.
  Op Pick(double uniform) const;

 private:
  friend absl::StatusOr<OpMix> ParseMix(std::string_view text);
  std::array<double, kNumOps> shares_{};
};

// "name:weight,..." with names from OpName, non-negative integer weights,
// each name at most once, at least one positive weight; an absent name has
// weight 0. InvalidArgument naming the bad part otherwise.
absl::StatusOr<OpMix> ParseMix(std::string_view text);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_OP_MIX_H_
