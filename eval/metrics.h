// Ranking measures with binary relevance, over any id type (document ids
// as strings for vecdb-ingest collections, integers in the SMART loaders
// of the tests).
//
//   double ndcg = NdcgAtK(ranked_doc_ids, relevant_ids, 10);
//
// Header-only templates; pure functions.
#ifndef VECDB_EVAL_METRICS_H_
#define VECDB_EVAL_METRICS_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <vector>

namespace vecdb::eval {

// nDCG@k with binary gains: the sum over the first k ranks i (from 0)
// holding a relevant id of 1 / log2(i + 2), divided by the same sum for an
// ideal ranking. 0 when `relevant` is empty.
template <typename Id>
double NdcgAtK(const std::vector<Id>& ranked, const std::set<Id>& relevant,
               size_t k) {
  if (relevant.empty()) return 0;
  double dcg = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    if (relevant.count(ranked[i]) > 0) dcg += 1.0 / std::log2(i + 2.0);
  }
  double ideal = 0;
  for (size_t i = 0; i < std::min(k, relevant.size()); ++i) {
    ideal += 1.0 / std::log2(i + 2.0);
  }
  return dcg / ideal;
}

// Fraction of `relevant` found in the first k ranks; 0 when it is empty.
template <typename Id>
double RecallAtK(const std::vector<Id>& ranked, const std::set<Id>& relevant,
                 size_t k) {
  if (relevant.empty()) return 0;
  size_t found = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    found += relevant.count(ranked[i]);
  }
  return static_cast<double>(found) / static_cast<double>(relevant.size());
}

// 1 / (rank of the first relevant id, from 1); 0 if none is ranked.
template <typename Id>
double ReciprocalRank(const std::vector<Id>& ranked,
                      const std::set<Id>& relevant) {
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (relevant.count(ranked[i]) > 0) return 1.0 / static_cast<double>(i + 1);
  }
  return 0;
}

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_METRICS_H_
