// End-to-end ranking quality of the tokenizer and TextIndex on the MED
// collection (1,033 MEDLINE abstracts, 30 queries, binary judgments).
// Plain BM25 (k1 1.2, b 0.75) scores a mean nDCG@10 of about 0.686 there.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "secondary/entries.h"
#include "secondary/text_index.h"
#include "tests/testing/ir_eval.h"
#include "tests/testing/test_data.h"
#include "text/tokenizer.h"

namespace vecdb {
namespace {

using testing::LoadSmartJudgments;
using testing::LoadSmartRecords;
using testing::SharedDataDir;

TEST_CASE("BM25 on MED reaches the reference nDCG@10", "[text_index][med]") {
  const std::string dir = SharedDataDir() + "/med";
  const auto documents = LoadSmartRecords(dir + "/MED.ALL");
  const auto queries = LoadSmartRecords(dir + "/MED.QRY");
  const auto judgments = LoadSmartJudgments(dir + "/MED.REL");
  REQUIRE(documents.size() == 1033);
  REQUIRE(queries.size() == 30);
  REQUIRE(judgments.size() == 30);

  TextIndex index;
  for (const auto& doc : documents) {
    PointIndexEntries entries = EntriesFor(doc.id, {}, doc.text);
    for (const TermEntry& term : entries.terms) index.Insert(term);
    index.SetLength(doc.id, *entries.document_length);
  }
  REQUIRE(index.documents().cardinality() == 1033);

  double ndcg = 0;
  double recall = 0;
  double mrr = 0;
  for (const auto& query : queries) {
    const std::vector<std::string> terms = text::Tokenize(query.text);
    auto hits = index.Search(terms, 10, nullptr, Bm25Params{});
    INFO("query " << query.id << ": " << query.text);
    // Query 10 ("neoplasm immunology") matches only 7 documents.
    REQUIRE_FALSE(hits.empty());
    CHECK(hits.size() <= 10);
    std::vector<uint64_t> ranked;
    for (const TextHit& hit : hits) ranked.push_back(hit.label);
    const auto& relevant = judgments.at(query.id);
    ndcg += testing::NdcgAtK(ranked, relevant, 10);
    recall += testing::RecallAtK(ranked, relevant, 10);
    mrr += testing::ReciprocalRank(ranked, relevant);
  }
  const double n = static_cast<double>(queries.size());
  ndcg /= n;
  recall /= n;
  mrr /= n;
  WARN("MED BM25: mean nDCG@10 = " << ndcg << ", recall@10 = " << recall
                                   << ", MRR@10 = " << mrr);
  CHECK(ndcg >= 0.68);
}

TEST_CASE("nDCG, recall and reciprocal rank on a hand example", "[ir_eval]") {
  const std::set<uint64_t> relevant = {2, 5, 9};
  const std::vector<uint64_t> ranked = {5, 1, 2, 7};
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) + 1/log2(4).
  const double ideal = 1.0 + 1.0 / std::log2(3.0) + 0.5;
  CHECK(testing::NdcgAtK(ranked, relevant, 10) == Approx(1.5 / ideal));
  // At k = 1 only rank 0 counts, and the ideal has one relevant document.
  CHECK(testing::NdcgAtK(ranked, relevant, 1) == Approx(1.0));
  CHECK(testing::NdcgAtK({1, 5}, relevant, 2) ==
        Approx((1.0 / std::log2(3.0)) / (1.0 + 1.0 / std::log2(3.0))));
  CHECK(testing::RecallAtK(ranked, relevant, 10) == Approx(2.0 / 3.0));
  CHECK(testing::RecallAtK(ranked, relevant, 2) == Approx(1.0 / 3.0));
  CHECK(testing::ReciprocalRank({1, 7, 9}, relevant) == Approx(1.0 / 3.0));
  CHECK(testing::ReciprocalRank({1, 7}, relevant) == 0);
  CHECK(testing::NdcgAtK(ranked, {}, 10) == 0);
}

TEST_CASE("SMART parser keeps the selected fields only", "[ir_eval]") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/TEST.ALL";
  {
    std::ofstream out(path, std::ios::binary);
    out << ".I 1\r\n.T\r\nA Title  \r\n.A\r\nSomeone\r\n.W\r\nfirst line \r\n"
           "second line\r\n.I 17\r\n.W\r\nonly body\r\n";
  }
  auto records = testing::LoadSmartRecords(path);
  REQUIRE(records.size() == 2);
  CHECK(records[0].id == 1);
  CHECK(records[0].text == "first line second line");
  CHECK(records[1].id == 17);
  CHECK(records[1].text == "only body");
  records = testing::LoadSmartRecords(path, "TW");
  CHECK(records[0].text == "A Title first line second line");
  CHECK_THROWS(testing::LoadSmartRecords(dir.path() + "/missing"));
}

}  // namespace
}  // namespace vecdb
