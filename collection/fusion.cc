#include "collection/fusion.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"

namespace vecdb {

std::vector<FusedLabel> FuseRankings(const std::vector<RankedLabel>& vector,
                                     const std::vector<RankedLabel>& text,
                                     float rrf_k, float vector_weight,
                                     float text_weight, size_t k) {
  absl::flat_hash_map<uint64_t, FusedLabel> fused;
  fused.reserve(vector.size() + text.size());
  for (size_t i = 0; i < vector.size(); ++i) {
    FusedLabel& f = fused[vector[i].label];
    f.label = vector[i].label;
    f.vector_rank = static_cast<uint32_t>(i + 1);
    f.distance = vector[i].value;
    f.score += vector_weight / (rrf_k + static_cast<float>(i + 1));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    FusedLabel& f = fused[text[i].label];
    f.label = text[i].label;
    f.text_rank = static_cast<uint32_t>(i + 1);
    f.text_score = text[i].value;
    f.score += text_weight / (rrf_k + static_cast<float>(i + 1));
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

}  // namespace vecdb
