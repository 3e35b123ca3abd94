#include "secondary/label_set.h"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

namespace vecdb {
namespace {

LabelSet Pairwise(const std::vector<LabelSet>& sets) {
  LabelSet out;
  for (const LabelSet& s : sets) out |= s;
  return out;
}

std::vector<const LabelSet*> Pointers(const std::vector<LabelSet>& sets) {
  std::vector<const LabelSet*> out;
  for (const LabelSet& s : sets) out.push_back(&s);
  return out;
}

TEST_CASE("UnionOf equals pairwise OR for few, many, sparse and dense sets",
          "[label_set]") {
  std::mt19937_64 rng(7);
  for (const auto& [count, per_set, range] :
       std::vector<std::tuple<int, int, uint64_t>>{{3, 10, 1000},
                                                   {500, 100, 100000},
                                                   {50, 2000, 1u << 20},
                                                   {1000, 3, 5000}}) {
    std::vector<LabelSet> sets(count);
    for (LabelSet& s : sets) {
      for (int i = 0; i < per_set; ++i) s.add(rng() % range);
    }
    sets.emplace_back();  // an empty one
    const LabelSet got = UnionOf(Pointers(sets));
    CHECK(got == Pairwise(sets));
  }
  // Labels at and above 2^32 take the pairwise path.
  std::vector<LabelSet> high(20);
  for (size_t i = 0; i < high.size(); ++i) {
    for (uint64_t j = 0; j < 300; ++j) {
      high[i].add((uint64_t{1} << 32) - 150 + i * 1000 + j);
    }
  }
  CHECK(UnionOf(Pointers(high)) == Pairwise(high));
  CHECK(UnionOf({}).isEmpty());
}

TEST_CASE("LabelSetFromSorted keeps low and high labels and repeats once",
          "[label_set]") {
  const std::vector<uint64_t> labels = {0, 1, 1, 7, 65536, (uint64_t{1} << 32) - 1,
                                        uint64_t{1} << 32, UINT64_MAX};
  const LabelSet set = LabelSetFromSorted(labels);
  CHECK(set.cardinality() == 7);
  for (uint64_t l : labels) CHECK(set.contains(l));
  CHECK(!set.contains(uint64_t{2}));
  CHECK(LabelSetFromSorted({}).isEmpty());
}

}  // namespace
}  // namespace vecdb
