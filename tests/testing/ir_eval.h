// Information-retrieval evaluation for tests: a parser for SMART-format test
// collections (MED, ADI in the shared data, see SharedDataDir()) and the
// usual ranking measures with binary relevance.
//
//   auto docs = LoadSmartRecords(SharedDataDir() + "/med/MED.ALL");
//   auto qrels = LoadSmartJudgments(SharedDataDir() + "/med/MED.REL");
//   double ndcg = NdcgAtK(ranked_ids, qrels[query.id], 10);
#ifndef VECDB_TESTS_TESTING_IR_EVAL_H_
#define VECDB_TESTS_TESTING_IR_EVAL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vecdb::testing {

// One `.I <id>` record of a SMART file.
struct SmartRecord {
  uint64_t id = 0;
  // The lines of the selected fields, joined by single spaces.
  std::string text;
};

// The records of a SMART file (documents or queries), in file order. A
// record starts at a line `.I <id>`; a line `.X` (one capital letter)
// starts field X. Only the text of fields in `fields` is kept (default: the
// `.W` body); other fields are skipped. CRLF line ends and trailing spaces
// are accepted. Throws std::runtime_error if the file cannot be read or
// has text before the first `.I` line.
std::vector<SmartRecord> LoadSmartRecords(const std::string& path,
                                          const std::string& fields = "W");

// Relevance judgments, query id -> relevant document ids.
using Judgments = std::map<uint64_t, std::set<uint64_t>>;

// Reads a SMART relevance file: lines `query_id doc_id ...` (the columns
// after the first two are ignored; every listed pair is relevant). Throws
// std::runtime_error if the file cannot be read or a line is malformed.
Judgments LoadSmartJudgments(const std::string& path);

// (Measures: eval/metrics.h, for integer ids.)
// nDCG@k with binary gains: sum over the first k ranks i (from 0) holding a
// relevant id of 1 / log2(i + 2), divided by the same sum for an ideal
// ranking. 0 when `relevant` is empty.
double NdcgAtK(const std::vector<uint64_t>& ranked,
               const std::set<uint64_t>& relevant, size_t k);

// Fraction of `relevant` found in the first k ranks; 0 when it is empty.
double RecallAtK(const std::vector<uint64_t>& ranked,
                 const std::set<uint64_t>& relevant, size_t k);

// 1 / (rank of the first relevant id, from 1); 0 if none is ranked. The
// mean over queries is the MRR.
double ReciprocalRank(const std::vector<uint64_t>& ranked,
                      const std::set<uint64_t>& relevant);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_TESTING_IR_EVAL_H_
