// Fusion of a vector ranking and a text ranking, the scoring of hybrid
// queries (collection.h, HybridOptions): reciprocal rank fusion, or relative
// score fusion.
//
// Pure function; thread-safe.
#ifndef VECDB_COLLECTION_FUSION_H_
#define VECDB_COLLECTION_FUSION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vecdb {

struct RankedLabel {
  uint64_t label = 0;
  // Distance (vector ranking) or BM25 score (text ranking).
  float value = 0;
};

struct FusedLabel {
  uint64_t label = 0;
  float score = 0;
  uint32_t vector_rank = 0;  // 1-based; 0 = not in the vector ranking
  uint32_t text_rank = 0;
  float distance = 0;        // when vector_rank > 0
  float text_score = 0;      // when text_rank > 0
};

// Fuses the rankings (each best first, labels distinct within a ranking):
// score = vector_weight / (rrf_k + vector_rank) +
//         text_weight / (rrf_k + text_rank), a term only for a ranking that
// holds the label. Returns the best `k`, highest score first; ties go to the
// better vector rank, then the better text rank, then the smaller label.
std::vector<FusedLabel> FuseRankings(const std::vector<RankedLabel>& vector,
                                     const std::vector<RankedLabel>& text,
                                     float rrf_k, float vector_weight,
                                     float text_weight, size_t k);

// Relative score fusion: each ranking's values are min-max normalised to
// [0, 1] over its candidates (vector: 1 for the smallest distance, 0 for
// the largest; text: 1 for the highest BM25 score, 0 for the lowest; a
// ranking whose values are all equal gives 1), and
// score = vector_weight * v + text_weight * t, a term only for a ranking
// that holds the label. Unlike RRF it keeps how much better one candidate
// is than the next, so a strong match in one ranking is not flattened to
// its rank. Same output order and tie-breaks as FuseRankings.
std::vector<FusedLabel> FuseRelativeScores(
    const std::vector<RankedLabel>& vector,
    const std::vector<RankedLabel>& text, float vector_weight,
    float text_weight, size_t k);

}  // namespace vecdb

#endif  // VECDB_COLLECTION_FUSION_H_
