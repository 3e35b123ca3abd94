// Filtered, text and hybrid queries through the embedded engine, checked
// against an oracle kept outside the database.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "filter/matcher.h"
#include "index/vector_index.h"
#include "tests/collection/engine_fixture.h"

namespace vecdb {
namespace {

using testing::Create;
using testing::OpenEngine;
using testing::RandomVectors;
using testing::TempDir;
using testing::UpsertAll;

constexpr uint32_t kDim = 32;

// What the test believes the collection holds.
using Model = std::map<std::string, Point>;

// A point whose "r" field is uniform in 0..999, so that "r < 1000·s" keeps
// a fraction s of the points whatever their vectors.
Point MakePoint(size_t i, std::vector<float> vector, std::mt19937_64& rng) {
  Point p;
  p.id = "p" + std::to_string(i);
  p.vector = std::move(vector);
  p.metadata["r"] = static_cast<int64_t>(rng() % 1000);
  p.metadata["even"] = i % 2 == 0;
  p.metadata["tag"] = "t" + std::to_string(i % 7);
  return p;
}

std::vector<std::string> ExactFiltered(const Model& model,
                                       const std::vector<float>& query,
                                       const Filter& filter, size_t k) {
  std::vector<std::pair<float, std::string>> all;
  for (const auto& [id, p] : model) {
    if (!MatchesFilter(filter, p.metadata, p.document)) continue;
    all.emplace_back(Distance(Metric::kL2, query, p.vector), id);
  }
  const size_t keep = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + keep, all.end());
  std::vector<std::string> ids;
  for (size_t i = 0; i < keep; ++i) ids.push_back(all[i].second);
  return ids;
}

size_t CountMatching(const Model& model, const Filter& filter) {
  size_t n = 0;
  for (const auto& [id, p] : model) {
    n += MatchesFilter(filter, p.metadata, p.document) ? 1 : 0;
  }
  return n;
}

// Runs `queries` with `filter` and checks: every hit matches, exactly
// min(k, matching) hits, recall@k against exact filtered search.
double CheckFilteredRecall(Collection& c, const Model& model,
                           const std::vector<std::vector<float>>& queries,
                           const Filter& filter, size_t k) {
  const size_t matching = CountMatching(model, filter);
  auto results = c.Search(queries, {},
                          {.k = static_cast<uint32_t>(k),
                           .ef = 128,
                           .include = {.metadata = true},
                           .filter = filter});
  REQUIRE(results.ok());
  size_t found = 0, wanted = 0;
  for (size_t q = 0; q < queries.size(); ++q) {
    const auto& hits = (*results)[q].hits;
    REQUIRE(hits.size() == std::min(k, matching));
    std::set<std::string> got;
    for (const Hit& h : hits) {
      REQUIRE(MatchesFilter(filter, h.point.metadata, std::nullopt));
      got.insert(h.point.id);
    }
    REQUIRE(got.size() == hits.size());
    for (const std::string& id : ExactFiltered(model, queries[q], filter, k)) {
      found += got.count(id);
      ++wanted;
    }
  }
  return wanted == 0 ? 1.0 : static_cast<double>(found) / wanted;
}

void CheckEverySelectivity(Collection& c, const Model& model,
                           const std::vector<std::vector<float>>& queries,
                           const std::string& phase) {
  for (int64_t bound : {1, 10, 100, 500, 1000}) {
    const Filter filter = FieldFilter("r", FieldOp::kLt, {bound});
    const double recall = CheckFilteredRecall(c, model, queries, filter, 10);
    INFO(phase << ": r < " << bound << " recall@10 " << recall);
    CHECK(recall >= 0.95);
  }
  // An AND of two conditions, and an eq on a string.
  const Filter both = AndFilter({FieldFilter("even", FieldOp::kEq, {true}),
                                 FieldFilter("r", FieldOp::kGte, {int64_t{900}})});
  CHECK(CheckFilteredRecall(c, model, queries, both, 10) >= 0.95);
  const Filter tag = FieldFilter("tag", FieldOp::kEq, {std::string("t3")});
  CHECK(CheckFilteredRecall(c, model, queries, tag, 10) >= 0.95);
}

TEST_CASE("filtered queries: min(k, matching) hits and recall at every "
          "selectivity, after deletes, replacements and a reopen",
          "[filter]") {
  TempDir dir;
  const size_t n = 20000;
  const auto vectors = RandomVectors(n + 2000, kDim, 11);
  const std::vector<std::vector<float>> queries(vectors.begin() + n,
                                                vectors.begin() + n + 40);
  std::mt19937_64 rng(5);
  Model model;
  std::vector<Point> points;
  for (size_t i = 0; i < n; ++i) {
    points.push_back(MakePoint(i, vectors[i], rng));
    model[points.back().id] = points.back();
  }
  {
    auto engine = OpenEngine(dir.path());
    auto c = Create(*engine, "f", kDim);
    UpsertAll(*c, points, 2000);
    CheckEverySelectivity(*c, model, queries, "initial");

    // Delete a fifth, replace a tenth with new vectors and new "r" values.
    std::vector<std::string> doomed;
    std::vector<Point> replaced;
    for (size_t i = 0; i < n; ++i) {
      if (i % 5 == 1) doomed.push_back("p" + std::to_string(i));
      if (i % 10 == 2) {
        replaced.push_back(MakePoint(i, vectors[n + 1000 + i % 1000], rng));
      }
    }
    REQUIRE(c->Delete(doomed).ok());
    for (const std::string& id : doomed) model.erase(id);
    for (const Point& p : replaced) model[p.id] = p;
    UpsertAll(*c, replaced, 1000);
    REQUIRE(c->Count() == model.size());
    CheckEverySelectivity(*c, model, queries, "after deletes and replacements");
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto c = *engine->GetCollection("f");
  CheckEverySelectivity(*c, model, queries, "after reopen");
}

TEST_CASE("filtered queries: explain says which path answered", "[filter]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "f", kDim);
  const auto vectors = RandomVectors(10000, kDim, 3);
  std::mt19937_64 rng(9);
  std::vector<Point> points;
  for (size_t i = 0; i < vectors.size(); ++i) {
    points.push_back(MakePoint(i, vectors[i], rng));
  }
  UpsertAll(*c, points, 2000);
  auto explain = [&](std::optional<Filter> filter) {
    auto r = c->Search({vectors[0]}, {},
                       {.k = 10, .filter = filter, .explain = true});
    REQUIRE(r.ok());
    REQUIRE((*r)[0].explain.has_value());
    return *(*r)[0].explain;
  };
  const QueryExplain none = explain(std::nullopt);
  CHECK(none.path == QueryPath::kGraph);
  CHECK(none.actual_matches == 10000);
  CHECK(none.distance_computations > 0);

  const QueryExplain rare =
      explain(FieldFilter("r", FieldOp::kLt, {int64_t{10}}));
  CHECK(rare.path == QueryPath::kExactCandidates);
  CHECK(rare.actual_matches == CountMatching(
                                   [&] {
                                     Model m;
                                     for (auto& p : points) m[p.id] = p;
                                     return m;
                                   }(),
                                   FieldFilter("r", FieldOp::kLt, {int64_t{10}})));
  CHECK(rare.distance_computations == rare.actual_matches);
  CHECK(rare.estimated_matches > 0);

  const QueryExplain half = explain(FieldFilter("even", FieldOp::kEq, {true}));
  CHECK(half.path == QueryPath::kFilteredGraph);
  CHECK(half.actual_matches == 5000);
  CHECK(half.estimated_matches == 5000);
  CHECK(half.distance_computations < 5000);
  CHECK(!half.reason.empty());

  const QueryExplain nothing =
      explain(FieldFilter("tag", FieldOp::kEq, {std::string("absent")}));
  CHECK(nothing.actual_matches == 0);

  // An estimate far off (an AND of two large, nearly disjoint sets is
  // estimated at the smaller one) is corrected by the exact count.
  const QueryExplain off = explain(
      AndFilter({FieldFilter("r", FieldOp::kLt, {int64_t{500}}),
                 FieldFilter("r", FieldOp::kGte, {int64_t{498}})}));
  CHECK(off.estimated_matches > 4000);
  CHECK(off.actual_matches < 100);
  CHECK(off.path == QueryPath::kExactCandidates);
  CHECK(off.reason.find("the estimate alone chose the walk") !=
        std::string::npos);
}

TEST_CASE("filters on get, count, scroll and delete", "[filter]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "f", 4);
  const auto vectors = RandomVectors(300, 4, 8);
  std::mt19937_64 rng(2);
  Model model;
  std::vector<Point> points;
  for (size_t i = 0; i < vectors.size(); ++i) {
    points.push_back(MakePoint(i, vectors[i], rng));
    if (i % 4 == 0) points.back().document = "the quick brown fox " + std::to_string(i);
    model[points.back().id] = points.back();
  }
  UpsertAll(*c, points);
  const Filter t3 = FieldFilter("tag", FieldOp::kEq, {std::string("t3")});

  auto count = c->Count(t3);
  REQUIRE(count.ok());
  CHECK(*count == CountMatching(model, t3));
  auto fox = c->Count(TextFilter(TextOp::kContains, "Quick Brown"));
  REQUIRE(fox.ok());
  CHECK(*fox == 75);
  auto no_fox = c->Count(TextFilter(TextOp::kNotContains, "brown quick"));
  REQUIRE(no_fox.ok());
  CHECK(*no_fox == 300);  // the words never occur in that order

  // Scroll pages through exactly the matching ids, in id order.
  std::vector<std::string> expected;
  for (const auto& [id, p] : model) {
    if (MatchesFilter(t3, p.metadata, p.document)) expected.push_back(id);
  }
  std::vector<std::string> scrolled;
  std::string cursor;
  do {
    auto page = c->Scroll(cursor, 7, {}, &t3);
    REQUIRE(page.ok());
    for (const Point& p : page->points) scrolled.push_back(p.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  CHECK(scrolled == expected);

  // Get: a non-matching id is reported like a missing one.
  auto got = c->Get({"p3", "p4", "nope"}, {}, &t3);
  REQUIRE(got.ok());
  CHECK((*got)[0].has_value());   // 3 % 7 == 3
  CHECK(!(*got)[1].has_value());
  CHECK(!(*got)[2].has_value());

  // Delete by filter, among ids, and matching nothing.
  const Filter absent = FieldFilter("tag", FieldOp::kEq, {std::string("zz")});
  auto none = c->Delete({}, &absent);
  REQUIRE(none.ok());
  CHECK(none->affected == 0);
  auto some = c->Delete({"p3", "p4", "p10"}, &t3);
  REQUIRE(some.ok());
  CHECK(some->affected == 2);  // p3 and p10
  model.erase("p3");
  model.erase("p10");
  auto all = c->Delete({}, &t3);
  REQUIRE(all.ok());
  CHECK(all->affected == CountMatching(model, t3));
  CHECK(*c->Count(t3) == 0);
  CHECK(c->Count() == 300 - 2 - all->affected);

  // A bad filter is rejected before anything changes, naming the node.
  Filter bad = AndFilter({t3, FieldFilter("", FieldOp::kExists)});
  auto rejected = c->Delete({}, &bad);
  CHECK(absl::IsInvalidArgument(rejected.status()));
  CHECK(rejected.status().message() ==
        "filter.all_of[1].field.field: empty field");
  CHECK(c->Count() == 300 - 2 - all->affected);
}

TEST_CASE("filters: -0.0 and 0.0 are one value across replacement and reopen",
          "[filter]") {
  TempDir dir;
  {
    auto engine = OpenEngine(dir.path());
    auto c = Create(*engine, "z", 2);
    auto put = [&](double x) {
      Point p{.id = "p", .vector = {1, 0}};
      p.metadata["x"] = x;
      REQUIRE(c->Upsert({p}).ok());
    };
    put(0.0);
    put(-0.0);
    CHECK(*c->Count(FieldFilter("x", FieldOp::kEq, {int64_t{0}})) == 1);
    put(5.0);
    REQUIRE(engine->Close().ok());
  }
  auto engine = OpenEngine(dir.path());
  auto c = *engine->GetCollection("z");
  CHECK(*c->Count(FieldFilter("x", FieldOp::kEq, {int64_t{0}})) == 0);
  CHECK(*c->Count(FieldFilter("x", FieldOp::kEq, {5.0})) == 1);
  REQUIRE(c->Delete({"p"}).ok());
  CHECK(*c->Count(FieldFilter("x", FieldOp::kGte, {int64_t{0}})) == 0);
}

TEST_CASE("text and hybrid queries", "[text]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "t", 2);
  std::vector<Point> points = {
      {.id = "a", .vector = {1, 0}, .document = "Heart attack risk in adults"},
      {.id = "b", .vector = {0, 1}, .document = "attack of the killer tomatoes"},
      {.id = "c", .vector = {0.9f, 0.1f}, .document = "kidney disease"},
      {.id = "d", .vector = {0.5f, 0.5f}},
  };
  points[0].metadata["lang"] = std::string("en");
  REQUIRE(c->Upsert(points).ok());

  auto text = c->Search({}, {"heart ATTACK"}, {.k = 10, .explain = true});
  REQUIRE(text.ok());
  const auto& hits = (*text)[0].hits;
  REQUIRE(hits.size() == 2);  // only documents holding a query word
  CHECK(hits[0].point.id == "a");
  CHECK(hits[1].point.id == "b");
  CHECK(hits[0].score > hits[1].score);
  CHECK((*text)[0].explain->path == QueryPath::kText);
  CHECK((*text)[0].explain->postings_scored == 3);

  // Text with a filter.
  auto only_b = c->Search({}, {"attack"},
                          {.k = 10,
                           .filter = NotFilter(FieldFilter(
                               "lang", FieldOp::kEq, {std::string("en")}))});
  REQUIRE(only_b.ok());
  REQUIRE((*only_b)[0].hits.size() == 1);
  CHECK((*only_b)[0].hits[0].point.id == "b");

  // Hybrid: RRF of the two rankings with their ranks.
  auto hybrid = c->Search({{1, 0}}, {"kidney"},
                          {.k = 4, .hybrid = {.rrf_k = 10}});
  REQUIRE(hybrid.ok());
  const auto& fused = (*hybrid)[0].hits;
  REQUIRE(fused.size() == 4);
  for (const Hit& h : fused) {
    float expected = 0;
    if (h.vector_rank > 0) expected += 1.0f / (10 + h.vector_rank);
    if (h.text_rank > 0) expected += 1.0f / (10 + h.text_rank);
    CHECK(h.score == Approx(expected));
  }
  // "c" is second by vector and first by text: it wins.
  CHECK(fused[0].point.id == "c");
  CHECK(fused[0].vector_rank == 2);
  CHECK(fused[0].text_rank == 1);
  CHECK(fused[0].text_score > 0);

  // Relative score fusion: "c" is first by text (the only text hit: 1) and
  // its distance is between "a" (1) and "b"/"d": it wins again, and every
  // score is the sum of its normalised parts, within [0, 2].
  auto relative = c->Search(
      {{1, 0}}, {"kidney"},
      {.k = 4, .hybrid = {.fusion = Fusion::kRelativeScore}});
  REQUIRE(relative.ok());
  const auto& by_score = (*relative)[0].hits;
  REQUIRE(by_score.size() == 4);
  CHECK(by_score[0].point.id == "c");
  CHECK(by_score[0].text_rank == 1);
  CHECK(by_score[0].score > 1.0f);
  CHECK(by_score[1].point.id == "a");
  CHECK(by_score[1].score == Approx(1.0));
  for (const Hit& h : by_score) CHECK((h.score >= 0 && h.score <= 2));
  CHECK(c->Search({{1, 0}}, {"x"},
                  {.k = 1, .hybrid = {.fusion = static_cast<Fusion>(9)}})
            .status()
            .message() == "hybrid.fusion: unknown fusion 9");

  // Errors name the field.
  CHECK(c->Search({}, {"!!! ..."}, {.k = 1}).status().message() ==
        "text_queries[0]: has no words");
  CHECK(c->Search({{1, 0}, {0, 1}}, {"x"}, {.k = 1}).status().message() ==
        "text_queries: a hybrid query pairs queries and text_queries by "
        "position: got 2 vectors and 1 texts");
  CHECK(absl::IsInvalidArgument(
      c->Search({{1, 0}}, {"x"}, {.k = 1, .hybrid = {.rrf_k = 0}}).status()));

  // Replacing and deleting documents updates the text index.
  REQUIRE(c->Upsert({{.id = "b", .vector = {0, 1}, .document = "tomatoes"}})
              .ok());
  REQUIRE(c->Delete({"a"}).ok());
  auto after = c->Search({}, {"attack"}, {.k = 10});
  REQUIRE(after.ok());
  CHECK((*after)[0].hits.empty());
}

}  // namespace
}  // namespace vecdb

namespace vecdb {
namespace {

TEST_CASE("phrase filters are exact in combinations and beside a writer",
          "[filter][phrase]") {
  TempDir dir;
  auto engine = OpenEngine(dir.path());
  auto c = Create(*engine, "ph", 4);
  const auto vectors = RandomVectors(1200, 4, 9);
  std::mt19937_64 rng(3);
  Model model;
  std::vector<Point> points;
  for (size_t i = 0; i < 600; ++i) {
    points.push_back(MakePoint(i, vectors[i], rng));
    // Every document holds both words; only some in phrase order.
    points.back().document = i % 3 == 0 ? "a quick brown fox"
                             : i % 3 == 1 ? "brown and quick"
                                          : "quick red brown";
    model[points.back().id] = points.back();
  }
  UpsertAll(*c, points);
  const Filter phrase = TextFilter(TextOp::kContains, "quick brown");
  const Filter combined = OrFilter(
      {AndFilter({phrase, FieldFilter("tag", FieldOp::kEq,
                                      {std::string("t1")})}),
       NotFilter(TextFilter(TextOp::kContains, "red brown"))});
  for (const Filter* f : {&phrase, &combined}) {
    auto count = c->Count(*f);
    REQUIRE(count.ok());
    CHECK(*count == CountMatching(model, *f));
  }

  // A writer adds phrase candidates while counts run: each count lies
  // between the counts before and after the writes.
  std::vector<Point> more;
  for (size_t i = 600; i < 1200; ++i) {
    more.push_back(MakePoint(i, vectors[i], rng));
    more.back().document = "quick brown " + std::to_string(i);
  }
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::thread writer([&] {
    testing::UpsertAllCounting(*c, more, 20, errors);
    done = true;
  });
  std::vector<uint64_t> seen;
  while (!done) {
    auto count = c->Count(phrase);
    if (!count.ok()) ++errors;
    else seen.push_back(*count);
  }
  writer.join();
  CHECK(errors == 0);
  for (uint64_t n : seen) {
    CHECK(n >= 200);
    CHECK(n <= 800);
  }
  for (const Point& p : more) model[p.id] = p;
  for (const Filter* f : {&phrase, &combined}) {
    auto count = c->Count(*f);
    REQUIRE(count.ok());
    CHECK(*count == CountMatching(model, *f));
  }
}

}  // namespace
}  // namespace vecdb
