#include "collection/fusion.h"

#include <catch2/catch.hpp>

namespace vecdb {
namespace {

TEST_CASE("rrf: scores, ranks and order", "[fusion]") {
  // vector: 1, 2, 3; text: 3, 4.
  const std::vector<RankedLabel> vector = {{1, 0.1f}, {2, 0.2f}, {3, 0.3f}};
  const std::vector<RankedLabel> text = {{3, 9.0f}, {4, 5.0f}};
  auto fused = FuseRankings(vector, text, 60, 1, 1, 10);
  REQUIRE(fused.size() == 4);
  // 3 is in both rankings: 1/63 + 1/61 beats 1/61 alone.
  CHECK(fused[0].label == 3);
  CHECK(fused[0].score == Approx(1.0 / 63 + 1.0 / 61));
  CHECK(fused[0].vector_rank == 3);
  CHECK(fused[0].text_rank == 1);
  CHECK(fused[0].distance == 0.3f);
  CHECK(fused[0].text_score == 9.0f);
  // 1 (vector rank 1) and 4 (text rank 2) ... 1/61 > 1/62.
  CHECK(fused[1].label == 1);
  CHECK(fused[1].text_rank == 0);
  CHECK(fused[2].label == 2);
  CHECK(fused[3].label == 4);
  CHECK(fused[3].vector_rank == 0);
}

TEST_CASE("rrf: weights, ties and k", "[fusion]") {
  const std::vector<RankedLabel> vector = {{7, 0.5f}};
  const std::vector<RankedLabel> text = {{8, 1.0f}};
  // Equal scores: the vector ranking's member comes first.
  auto tie = FuseRankings(vector, text, 60, 1, 1, 10);
  REQUIRE(tie.size() == 2);
  CHECK(tie[0].label == 7);
  // A text weight of 2 puts the text hit first.
  auto weighted = FuseRankings(vector, text, 60, 1, 2, 10);
  CHECK(weighted[0].label == 8);
  CHECK(weighted[0].score == Approx(2.0 / 61));
  // A vector weight of 0 still lists the vector hit, scored 0.
  auto zero = FuseRankings(vector, text, 60, 0, 1, 1);
  REQUIRE(zero.size() == 1);
  CHECK(zero[0].label == 8);
  CHECK(FuseRankings({}, {}, 60, 1, 1, 5).empty());
}

TEST_CASE("relative score: min-max normalised scores, weighted", "[fusion]") {
  // Distances 0.1, 0.3, 0.5 -> 1, 0.5, 0; BM25 8, 7, 4 -> 1, 0.75, 0.
  const std::vector<RankedLabel> vector = {{1, 0.1f}, {2, 0.3f}, {3, 0.5f}};
  const std::vector<RankedLabel> text = {{3, 8.0f}, {2, 7.0f}, {4, 4.0f}};
  // Text weight 0.8: 2 = 0.5 + 0.6; 1 = 1 + absent; 3 = 0 + 0.8; 4 = 0.
  auto fused = FuseRelativeScores(vector, text, 1, 0.8f, 10);
  REQUIRE(fused.size() == 4);
  CHECK(fused[0].label == 2);
  CHECK(fused[0].score == Approx(1.1));
  CHECK(fused[0].vector_rank == 2);
  CHECK(fused[0].text_rank == 2);
  CHECK(fused[0].distance == 0.3f);
  CHECK(fused[0].text_score == 7.0f);
  CHECK(fused[1].label == 1);
  CHECK(fused[1].score == Approx(1.0));
  CHECK(fused[1].text_rank == 0);
  CHECK(fused[2].label == 3);
  CHECK(fused[2].score == Approx(0.8).margin(1e-6));
  CHECK(fused[3].label == 4);
  CHECK(fused[3].score == Approx(0.0).margin(1e-6));
  CHECK(fused[3].vector_rank == 0);
  // Weighting text 3:1 puts the best text hit first; k cuts the list.
  auto weighted = FuseRelativeScores(vector, text, 1, 3, 2);
  REQUIRE(weighted.size() == 2);
  CHECK(weighted[0].label == 3);
  CHECK(weighted[0].score == Approx(3.0).margin(1e-6));
  CHECK(weighted[1].label == 2);
  CHECK(weighted[1].score == Approx(2.75));
}

TEST_CASE("relative score: a gap between scores survives fusion", "[fusion]") {
  // Text: label 5 far ahead of the rest; vector: 6 barely ahead of 5.
  // RRF ranks 5 and 6 alike (rank 1 + rank 2 each); relative scores keep
  // the large text margin and put 5 first.
  const std::vector<RankedLabel> vector = {{6, 0.20f}, {5, 0.21f}, {7, 0.9f}};
  const std::vector<RankedLabel> text = {{5, 30.0f}, {6, 3.1f}, {7, 3.0f}};
  auto fused = FuseRelativeScores(vector, text, 1, 1, 3);
  REQUIRE(fused.size() == 3);
  CHECK(fused[0].label == 5);
  CHECK(fused[1].label == 6);
  CHECK(fused[2].label == 7);
  // One candidate, or all values equal: normalised to 1.
  auto single = FuseRelativeScores({{9, 0.4f}}, {{9, 2.0f}}, 1, 1, 1);
  REQUIRE(single.size() == 1);
  CHECK(single[0].score == Approx(2.0));
  CHECK(FuseRelativeScores({}, {}, 1, 1, 5).empty());
}

}  // namespace
}  // namespace vecdb
