#include "secondary/text_index.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace vecdb {
namespace {

using Terms = std::vector<std::string>;

// Three documents (term: frequency), lengths 3, 2 and 5, so N = 3 and
// avglen = 10/3:
//   1: a:2 b:1        2: b:1 c:1        3: a:1 c:3 d:1
void AddDoc(TextIndex& index, uint64_t label,
            const std::vector<std::pair<std::string, uint32_t>>& terms) {
  uint32_t length = 0;
  for (const auto& [term, tf] : terms) {
    index.Insert({term, label, tf});
    length += tf;
  }
  index.SetLength(label, length);
}

void RemoveDoc(TextIndex& index, uint64_t label,
               const std::vector<std::pair<std::string, uint32_t>>& terms) {
  for (const auto& [term, tf] : terms) index.Erase({term, label, tf});
  index.EraseLength(label);
}

const std::vector<std::pair<std::string, uint32_t>> kDoc1 = {{"a", 2},
                                                             {"b", 1}};
const std::vector<std::pair<std::string, uint32_t>> kDoc2 = {{"b", 1},
                                                             {"c", 1}};
const std::vector<std::pair<std::string, uint32_t>> kDoc3 = {
    {"a", 1}, {"c", 3}, {"d", 1}};

TextIndex ThreeDocs() {
  TextIndex index;
  AddDoc(index, 1, kDoc1);
  AddDoc(index, 2, kDoc2);
  AddDoc(index, 3, kDoc3);
  return index;
}

std::vector<uint64_t> HitLabels(const std::vector<TextHit>& hits) {
  std::vector<uint64_t> labels;
  for (const TextHit& hit : hits) labels.push_back(hit.label);
  return labels;
}

std::vector<uint64_t> SetLabels(const LabelSet& set) {
  std::vector<uint64_t> labels(set.cardinality());
  set.toUint64Array(labels.data());
  return labels;
}

TEST_CASE("TextIndex scores the three-document corpus by BM25",
          "[text_index]") {
  TextIndex index = ThreeDocs();
  const Bm25Params params;  // k1 1.2, b 0.75

  // idf(a) = idf(c) = ln(1 + (3 - 2 + 0.5) / 2.5) = ln 1.6 = 0.4700036
  // doc 1, a: tf 2, len 3: norm = 0.25 + 0.75 * 3 / (10/3) = 0.925
  //   0.4700036 * 2 * 2.2 / (2 + 1.2 * 0.925) = 0.6649569
  // doc 3, a: tf 1, len 5: norm = 1.375
  //   0.4700036 * 2.2 / (1 + 1.65) = 0.3901917
  // doc 3, c: tf 3: 0.4700036 * 6.6 / (3 + 1.65) = 0.6671019 -> 1.0572936
  // doc 2, c: tf 1, len 2: norm = 0.7
  //   0.4700036 * 2.2 / (1 + 0.84) = 0.5619609
  auto hits = index.Search(Terms{"a", "c"}, 10, nullptr, params);
  REQUIRE(HitLabels(hits) == std::vector<uint64_t>{3, 1, 2});
  CHECK(hits[0].score == Approx(1.0572936).margin(1e-5));
  CHECK(hits[1].score == Approx(0.6649569).margin(1e-5));
  CHECK(hits[2].score == Approx(0.5619609).margin(1e-5));

  // idf(d) = ln(1 + 2.5 / 1.5) = 0.9808293; doc 3: 0.9808293 * 0.8301887.
  // idf(b) = ln 1.6; doc 1, b: tf 1: 0.4700036 * 2.2 / (1 + 1.11) = 0.4900512
  hits = index.Search(Terms{"b", "d"}, 10, nullptr, params);
  REQUIRE(HitLabels(hits) == std::vector<uint64_t>{3, 2, 1});
  CHECK(hits[0].score == Approx(0.8142733).margin(1e-5));
  CHECK(hits[1].score == Approx(0.5619609).margin(1e-5));
  CHECK(hits[2].score == Approx(0.4900512).margin(1e-5));
}

TEST_CASE("TextIndex uses Lucene's idf and the k1 and b parameters",
          "[text_index]") {
  TextIndex index;
  // 10 documents of length 4; "rare" in 1 of them, "common" in all.
  for (uint64_t label = 0; label < 10; ++label) {
    index.Insert({"common", label, 4});
    index.SetLength(label, 4);
  }
  index.Insert({"rare", 7, 1});
  CHECK(index.DocumentFrequency("rare") == 1);
  CHECK(index.DocumentFrequency("common") == 10);
  CHECK(index.DocumentFrequency("absent") == 0);

  // b = 0 removes length normalisation: score = idf * tf (k1+1) / (tf+k1).
  const Bm25Params no_length{.k1 = 2.0f, .b = 0.0f};
  auto hits = index.Search(Terms{"rare"}, 10, nullptr, no_length);
  REQUIRE(hits.size() == 1);
  const double idf_rare = std::log(1.0 + (10 - 1 + 0.5) / (1 + 0.5));
  CHECK(hits[0].score == Approx(idf_rare * 1 * 3.0 / (1 + 2.0)).margin(1e-5));

  // A term in every document still has a small positive idf.
  hits = index.Search(Terms{"common"}, 1, nullptr, no_length);
  REQUIRE(hits.size() == 1);
  const double idf_common = std::log(1.0 + 0.5 / 10.5);
  CHECK(hits[0].score == Approx(idf_common * 4 * 3.0 / (4 + 2.0)).margin(1e-5));
  CHECK(hits[0].label == 0);
}

TEST_CASE("TextIndex removals update N, avglen and document frequency",
          "[text_index]") {
  TextIndex index = ThreeDocs();
  CHECK(SetLabels(index.documents()) == std::vector<uint64_t>{1, 2, 3});
  RemoveDoc(index, 3, kDoc3);
  CHECK(SetLabels(index.documents()) == std::vector<uint64_t>{1, 2});
  CHECK(index.DocumentFrequency("a") == 1);
  CHECK(index.DocumentFrequency("c") == 1);
  CHECK(index.DocumentFrequency("d") == 0);
  CHECK(index.Postings("d").isEmpty());

  // N = 2, avglen = 2.5, idf(a) = idf(c) = ln 2.
  // doc 1, a: norm = 0.25 + 0.75 * 3 / 2.5 = 1.15
  //   ln 2 * 4.4 / (2 + 1.38) = 0.9023218
  // doc 2, c: norm = 0.25 + 0.75 * 2 / 2.5 = 0.85
  //   ln 2 * 2.2 / (1 + 1.02) = 0.7549128
  auto hits = index.Search(Terms{"a", "c"}, 10, nullptr, Bm25Params{});
  REQUIRE(HitLabels(hits) == std::vector<uint64_t>{1, 2});
  CHECK(hits[0].score == Approx(0.9023218).margin(1e-5));
  CHECK(hits[1].score == Approx(0.7549128).margin(1e-5));

  // Adding the document back restores the original scores.
  AddDoc(index, 3, kDoc3);
  hits = index.Search(Terms{"a", "c"}, 10, nullptr, Bm25Params{});
  REQUIRE(HitLabels(hits) == std::vector<uint64_t>{3, 1, 2});
  CHECK(hits[0].score == Approx(1.0572936).margin(1e-5));
}

TEST_CASE("TextIndex matches a fresh index after churn", "[text_index]") {
  TextIndex churned = ThreeDocs();
  // Replace document 2 with a different text, change a length twice,
  // remove and re-add document 1.
  RemoveDoc(churned, 2, kDoc2);
  AddDoc(churned, 2, {{"c", 2}, {"d", 2}});
  churned.SetLength(2, 9);
  churned.SetLength(2, 4);
  RemoveDoc(churned, 1, kDoc1);
  AddDoc(churned, 1, kDoc1);

  TextIndex fresh;
  AddDoc(fresh, 1, kDoc1);
  AddDoc(fresh, 2, {{"c", 2}, {"d", 2}});
  AddDoc(fresh, 3, kDoc3);

  for (const Terms& query :
       {Terms{"a"}, Terms{"b"}, Terms{"c", "d"}, Terms{"a", "b", "c", "d"}}) {
    auto got = churned.Search(query, 10, nullptr, Bm25Params{});
    auto want = fresh.Search(query, 10, nullptr, Bm25Params{});
    REQUIRE(HitLabels(got) == HitLabels(want));
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].score == Approx(want[i].score).margin(1e-6));
    }
  }
  CHECK(churned.DocumentFrequency("b") == 1);
  CHECK(churned.DocumentFrequency("d") == 2);
}

TEST_CASE("TextIndex ignores erasing absent entries", "[text_index]") {
  TextIndex index = ThreeDocs();
  index.Erase({"zzz", 1, 1});
  index.Erase({"a", 2, 1});  // label without the term
  index.Erase({"a", 1, 5});  // wrong frequency: not the inserted entry
  index.EraseLength(42);
  CHECK(index.DocumentFrequency("a") == 2);
  CHECK(SetLabels(index.documents()) == std::vector<uint64_t>{1, 2, 3});
  auto hits = index.Search(Terms{"a", "c"}, 10, nullptr, Bm25Params{});
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].score == Approx(1.0572936).margin(1e-5));
}

TEST_CASE("TextIndex Search keeps only allowed labels", "[text_index]") {
  TextIndex index = ThreeDocs();
  LabelSet allowed;
  allowed.add(uint64_t{1});
  allowed.add(uint64_t{2});
  TextSearchStats stats;
  auto hits = index.Search(Terms{"a", "c"}, 10, &allowed, Bm25Params{}, &stats);
  // Scores are still those of the whole corpus (N = 3).
  REQUIRE(HitLabels(hits) == std::vector<uint64_t>{1, 2});
  CHECK(hits[0].score == Approx(0.6649569).margin(1e-5));
  CHECK(hits[1].score == Approx(0.5619609).margin(1e-5));
  CHECK(stats.postings_scored == 2);

  // A small allowed set (fewer labels than postings) gives the same hits.
  LabelSet only_three;
  only_three.add(uint64_t{3});
  hits = index.Search(Terms{"a", "c"}, 10, &only_three, Bm25Params{});
  REQUIRE(HitLabels(hits) == std::vector<uint64_t>{3});
  CHECK(hits[0].score == Approx(1.0572936).margin(1e-5));

  LabelSet none;
  CHECK(index.Search(Terms{"a"}, 10, &none, Bm25Params{}).empty());
}

TEST_CASE("TextIndex Search breaks ties by smaller label and cuts at k",
          "[text_index]") {
  TextIndex index;
  for (uint64_t label : {50, 7, 30, 12, 99}) {
    index.Insert({"same", label, 1});
    index.SetLength(label, 3);
  }
  index.Insert({"other", 60, 1});
  index.SetLength(60, 3);
  auto hits = index.Search(Terms{"same"}, 3, nullptr, Bm25Params{});
  CHECK(HitLabels(hits) == std::vector<uint64_t>{7, 12, 30});
  CHECK(hits[0].score == hits[2].score);
  hits = index.Search(Terms{"same"}, 10, nullptr, Bm25Params{});
  CHECK(HitLabels(hits) == std::vector<uint64_t>{7, 12, 30, 50, 99});
}

TEST_CASE("TextIndex Search with k above the matches returns every match",
          "[text_index]") {
  TextIndex index = ThreeDocs();
  auto hits = index.Search(Terms{"d"}, 1000, nullptr, Bm25Params{});
  CHECK(HitLabels(hits) == std::vector<uint64_t>{3});
  CHECK(index.Search(Terms{"a"}, 0, nullptr, Bm25Params{}).empty());
}

TEST_CASE("TextIndex Search handles empty, unknown and repeated terms",
          "[text_index]") {
  TextIndex index = ThreeDocs();
  CHECK(index.Search(Terms{}, 10, nullptr, Bm25Params{}).empty());
  CHECK(index.Search(Terms{"nothing"}, 10, nullptr, Bm25Params{}).empty());
  CHECK(TextIndex().Search(Terms{"a"}, 10, nullptr, Bm25Params{}).empty());

  // Duplicates count once.
  TextSearchStats stats;
  auto once = index.Search(Terms{"a", "nothing"}, 10, nullptr, Bm25Params{});
  auto twice =
      index.Search(Terms{"a", "a", "a"}, 10, nullptr, Bm25Params{}, &stats);
  REQUIRE(HitLabels(once) == HitLabels(twice));
  CHECK(twice[0].score == Approx(0.6649569).margin(1e-5));
  CHECK(stats.postings_scored == 2);
}

TEST_CASE("TextIndex Postings and documents list labels", "[text_index]") {
  TextIndex index = ThreeDocs();
  CHECK(SetLabels(index.Postings("a")) == std::vector<uint64_t>{1, 3});
  CHECK(SetLabels(index.Postings("c")) == std::vector<uint64_t>{2, 3});
  CHECK(index.Postings("none").isEmpty());

  // Labels above 2^32 and a document of length 0.
  const uint64_t big = (uint64_t{5} << 32) + 3;
  index.Insert({"a", big, 1});
  index.SetLength(big, 1);
  index.SetLength(8, 0);
  CHECK(SetLabels(index.Postings("a")) == std::vector<uint64_t>{1, 3, big});
  CHECK(SetLabels(index.documents()) == std::vector<uint64_t>{1, 2, 3, 8, big});
  CHECK(index.Search(Terms{"a"}, 10, nullptr, Bm25Params{}).size() == 3);
}

TEST_CASE("TextIndex reports memory and survives a move", "[text_index]") {
  TextIndex index;
  const size_t empty_bytes = index.MemoryBytes();
  for (uint64_t label = 0; label < 1000; ++label) {
    index.Insert({"term" + std::to_string(label % 50), label, 1});
    index.SetLength(label, 1);
  }
  CHECK(index.MemoryBytes() > empty_bytes + 1000 * 12);
  TextIndex moved = std::move(index);
  CHECK(moved.documents().cardinality() == 1000);
  CHECK(moved.DocumentFrequency("term7") == 20);
}

}  // namespace
}  // namespace vecdb
