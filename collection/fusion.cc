#include "collection/fusion.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"

namespace vecdb {

namespace {

// `value` of each entry mapped to [0, 1]; 1 is best. `higher_is_better`
// for scores, not for distances. All values equal: 1.
std::vector<float> Normalised(const std::vector<RankedLabel>& ranking,
                              bool higher_is_better) {
  std::vector<float> out(ranking.size(), 1.0f);
  if (ranking.empty()) return out;
  auto [lo, hi] = std::minmax_element(
      ranking.begin(), ranking.end(),
      [](const RankedLabel& a, const RankedLabel& b) { return a.value < b.value; });
  const float span = hi->value - lo->value;
  if (!(span > 0)) return out;
  for (size_t i = 0; i < ranking.size(); ++i) {
    const float up = (ranking[i].value - lo->value) / span;
    out[i] = higher_is_better ? up : 1.0f - up;
  }
  return out;
}

// Fuses with per-position contributions, then keeps the best k.
template <typename VectorTerm, typename TextTerm>
std::vector<FusedLabel> Fuse(const std::vector<RankedLabel>& vector,
                             const std::vector<RankedLabel>& text,
                             VectorTerm vector_term, TextTerm text_term,
                             size_t k) {
  absl::flat_hash_map<uint64_t, FusedLabel> fused;
  fused.reserve(vector.size() + text.size());
  for (size_t i = 0; i < vector.size(); ++i) {
    FusedLabel& f = fused[vector[i].label];
    f.label = vector[i].label;
    f.vector_rank = static_cast<uint32_t>(i + 1);
    f.distance = vector[i].value;
    f.score += vector_term(i);
  }
  for (size_t i = 0; i < text.size(); ++i) {
    FusedLabel& f = fused[text[i].label];
    f.label = text[i].label;
    f.text_rank = static_cast<uint32_t>(i + 1);
    f.text_score = text[i].value;
    f.score += text_term(i);
  }
  std::vector<FusedLabel> out;
  out.reserve(fused.size());
  for (auto& [label, f] : fused) out.push_back(f);
  // Absent from a ranking sorts after every rank in it.
  auto rank = [](uint32_t r) {
    return r == 0 ? std::numeric_limits<uint32_t>::max() : r;
  };
  auto better = [&](const FusedLabel& a, const FusedLabel& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.vector_rank != b.vector_rank) {
      return rank(a.vector_rank) < rank(b.vector_rank);
    }
    if (a.text_rank != b.text_rank) return rank(a.text_rank) < rank(b.text_rank);
    return a.label < b.label;
  };
  const size_t keep = std::min(k, out.size());
  std::partial_sort(out.begin(), out.begin() + keep, out.end(), better);
  out.resize(keep);
  return out;
}

}  // namespace

std::vector<FusedLabel> FuseRankings(const std::vector<RankedLabel>& vector,
                                     const std::vector<RankedLabel>& text,
                                     float rrf_k, float vector_weight,
                                     float text_weight, size_t k) {
  return Fuse(
      vector, text,
      [&](size_t i) {
        return vector_weight / (rrf_k + static_cast<float>(i + 1));
      },
      [&](size_t i) {
        return text_weight / (rrf_k + static_cast<float>(i + 1));
      },
      k);
}

std::vector<FusedLabel> FuseRelativeScores(
    const std::vector<RankedLabel>& vector,
    const std::vector<RankedLabel>& text, float vector_weight,
    float text_weight, size_t k) {
  const std::vector<float> v = Normalised(vector, /*higher_is_better=*/false);
  const std::vector<float> t = Normalised(text, /*higher_is_better=*/true);
  return Fuse(
      vector, text, [&](size_t i) { return vector_weight * v[i]; },
      [&](size_t i) { return text_weight * t[i]; }, k);
}

}  // namespace vecdb
