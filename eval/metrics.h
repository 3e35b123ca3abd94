// Ranking measures over a ranked list of ids and the judgments of one
// query, with the definitions of trec_eval (the TREC evaluation tool):
//
//   std::map<std::string, int> grades = {{"d1", 2}, {"d7", 1}, {"d9", 0}};
//   double ndcg = NdcgAtK(ranked_doc_ids, grades, 10);
//   double ap = AveragePrecision(ranked_doc_ids, grades);
//
// Judgments come in two shapes, both accepted by every measure:
//   std::set<Id>          binary: every listed id is relevant (grade 1);
//   std::map<Id, int>     graded: an id is relevant when its grade is > 0;
//                         grades <= 0 are judged non-relevant.
// Unlisted ids are non-relevant. Binary measures (precision, recall, AP,
// reciprocal rank) count grade > 0; nDCG uses the grade itself as the gain.
// Ids are assumed unique within a ranking (as trec_eval assumes).
//
// Header-only templates; pure functions.
#ifndef VECDB_EVAL_METRICS_H_
#define VECDB_EVAL_METRICS_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace vecdb::eval {
namespace metrics_internal {

template <typename Id, typename Less, typename Alloc, typename Key>
int GradeOf(const std::set<Id, Less, Alloc>& judged, const Key& id) {
  return judged.find(id) != judged.end() ? 1 : 0;
}

template <typename Id, typename Less, typename Alloc, typename Key>
int GradeOf(const std::map<Id, int, Less, Alloc>& judged, const Key& id) {
  const auto it = judged.find(id);
  return it == judged.end() ? 0 : it->second;
}

template <typename Id, typename Less, typename Alloc>
std::vector<int> PositiveGrades(const std::set<Id, Less, Alloc>& judged) {
  return std::vector<int>(judged.size(), 1);
}

template <typename Id, typename Less, typename Alloc>
std::vector<int> PositiveGrades(const std::map<Id, int, Less, Alloc>& judged) {
  std::vector<int> grades;
  for (const auto& [id, grade] : judged) {
    if (grade > 0) grades.push_back(grade);
  }
  return grades;
}

template <typename Judged>
size_t RelevantCount(const Judged& judged) {
  return PositiveGrades(judged).size();
}

// Discount of the rank i counted from 0: log2(i + 2), i.e. log2(rank + 1).
inline double Discount(size_t i) {
  return std::log2(static_cast<double>(i) + 2.0);
}

}  // namespace metrics_internal

// nDCG@k, trec_eval's ndcg_cut: DCG = sum over the first k ranks i (from 0)
// of gain / log2(i + 2), where gain is the id's grade (linear gain; grades
// <= 0 gain nothing); divided by the DCG of the ideal ranking, which lists
// the positive grades sorted descending. 0 when nothing is relevant or k is
// 0.
template <typename Id, typename Judged>
double NdcgAtK(const std::vector<Id>& ranked, const Judged& judged, size_t k) {
  using namespace metrics_internal;
  std::vector<int> ideal_grades = PositiveGrades(judged);
  if (ideal_grades.empty() || k == 0) return 0;
  std::sort(ideal_grades.begin(), ideal_grades.end(), std::greater<>());
  double ideal = 0;
  for (size_t i = 0; i < std::min(k, ideal_grades.size()); ++i) {
    ideal += ideal_grades[i] / Discount(i);
  }
  double dcg = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    const int gain = GradeOf(judged, ranked[i]);
    if (gain > 0) dcg += gain / Discount(i);
  }
  return dcg / ideal;
}

// Fraction of the relevant ids found in the first k ranks; 0 when nothing
// is relevant.
template <typename Id, typename Judged>
double RecallAtK(const std::vector<Id>& ranked, const Judged& judged,
                 size_t k) {
  using namespace metrics_internal;
  const size_t relevant = RelevantCount(judged);
  if (relevant == 0) return 0;
  size_t found = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    if (GradeOf(judged, ranked[i]) > 0) ++found;
  }
  return static_cast<double>(found) / static_cast<double>(relevant);
}

// Relevant ids in the first k ranks divided by k (trec_eval's P_k: a
// ranking shorter than k still divides by k). 0 when k is 0.
template <typename Id, typename Judged>
double PrecisionAtK(const std::vector<Id>& ranked, const Judged& judged,
                    size_t k) {
  using namespace metrics_internal;
  if (k == 0) return 0;
  size_t found = 0;
  for (size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    if (GradeOf(judged, ranked[i]) > 0) ++found;
  }
  return static_cast<double>(found) / static_cast<double>(k);
}

// Average precision, trec_eval's map: the sum, over the ranks r (from 1)
// holding a relevant id, of (relevant ids in ranks 1..r) / r, divided by
// the number of relevant ids (retrieved or not). 0 when nothing is
// relevant. The mean over queries is MAP.
template <typename Id, typename Judged>
double AveragePrecision(const std::vector<Id>& ranked, const Judged& judged) {
  using namespace metrics_internal;
  const size_t relevant = RelevantCount(judged);
  if (relevant == 0) return 0;
  size_t found = 0;
  double sum = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (GradeOf(judged, ranked[i]) > 0) {
      ++found;
      sum += static_cast<double>(found) / static_cast<double>(i + 1);
    }
  }
  return sum / static_cast<double>(relevant);
}

// 1 / (rank of the first relevant id, from 1); 0 if none is ranked. The
// mean over queries is MRR.
template <typename Id, typename Judged>
double ReciprocalRank(const std::vector<Id>& ranked, const Judged& judged) {
  using namespace metrics_internal;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (GradeOf(judged, ranked[i]) > 0) return 1.0 / static_cast<double>(i + 1);
  }
  return 0;
}

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_METRICS_H_
