// Filters, text and hybrid queries and explain through the client library,
// against a real in-process server.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "tests/clients/test_server.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using client::QueryPath;
using client::QueryResult;
using testing::TestServer;

constexpr size_t kPoints = 200;
constexpr size_t kDim = 8;

std::string IdOf(size_t i) {
  std::string id = std::to_string(i);
  return "p" + std::string(3 - id.size(), '0') + id;
}
size_t IndexOf(const std::string& id) { return std::stoul(id.substr(1)); }

// Point i: lang en / de / fr by i % 3; year 2000 + i % 10 (int); rating
// i / 2.0 (double); tags; a document by i % 5.
std::string LangOf(size_t i) {
  static const char* kLangs[] = {"en", "de", "fr"};
  return kLangs[i % 3];
}
int64_t YearOf(size_t i) { return 2000 + static_cast<int64_t>(i % 10); }
bool IsAttack(size_t i) { return i % 5 == 0; }

std::vector<Point> MakePoints() {
  std::vector<Point> points;
  auto vectors = testing::RandomVectors(kPoints, kDim, 7);
  for (size_t i = 0; i < kPoints; ++i) {
    Point point{.id = IdOf(i), .vector = std::move(vectors[i])};
    point.metadata["lang"] = LangOf(i);
    point.metadata["year"] = YearOf(i);
    point.metadata["rating"] = static_cast<double>(i) / 2.0;
    point.metadata["tags"] =
        std::vector<std::string>{i % 2 == 0 ? "even" : "odd", "all"};
    point.document = IsAttack(i)  ? "heart attack risk factors"
                     : i % 5 == 1 ? "a heart of gold"
                                  : "weather report for today";
    points.push_back(std::move(point));
  }
  return points;
}

Filter LangIs(const std::string& lang) {
  return FieldFilter("lang", FieldOp::kEq, {lang});
}

float L2(const std::vector<float>& a, const std::vector<float>& b) {
  float sum = 0;
  for (size_t d = 0; d < a.size(); ++d) sum += (a[d] - b[d]) * (a[d] - b[d]);
  return std::sqrt(sum);
}

class Fixture {
 public:
  Fixture() : points_(MakePoints()) {
    auto client = Client::Connect(server_.address(), {});
    REQUIRE(client.ok());
    client_ = *std::move(client);
    REQUIRE(client_->CreateCollection("docs", kDim, Metric::kL2).ok());
    REQUIRE(client_->Upsert("docs", points_).ok());
  }
  Client& client() { return *client_; }
  const std::vector<Point>& points() const { return points_; }

  // Ids of the `k` points nearest to `query` among those `match` accepts.
  template <typename Match>
  std::vector<std::string> ExactNearest(const std::vector<float>& query,
                                        size_t k, Match match) const {
    std::vector<std::pair<float, std::string>> scored;
    for (size_t i = 0; i < points_.size(); ++i) {
      if (match(i)) scored.emplace_back(L2(query, points_[i].vector), IdOf(i));
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> ids;
    for (size_t i = 0; i < std::min(k, scored.size()); ++i) {
      ids.push_back(scored[i].second);
    }
    return ids;
  }

 private:
  TestServer server_;
  std::vector<Point> points_;
  std::unique_ptr<Client> client_;
};

std::vector<std::string> Ids(const std::vector<client::ScoredPoint>& hits) {
  std::vector<std::string> ids;
  for (const auto& hit : hits) ids.push_back(hit.point.id);
  return ids;
}

TEST_CASE("A filtered query returns only matching points, min(k, matching)",
          "[client][filter]") {
  Fixture f;
  const std::vector<float> query = f.points()[1].vector;  // a "de" point

  client::QueryOptions options;
  options.k = 10;
  options.filter = LangIs("en");
  options.include.metadata = true;
  auto results = f.client().Query("docs", {query}, options);
  REQUIRE(results.ok());
  REQUIRE(results->size() == 1);
  const auto& hits = (*results)[0].hits;
  REQUIRE(hits.size() == 10);
  for (const auto& hit : hits) {
    CHECK(std::get<std::string>(hit.point.metadata.at("lang")) == "en");
    CHECK(IndexOf(hit.point.id) % 3 == 0);
  }
  CHECK(std::is_sorted(
      hits.begin(), hits.end(),
      [](const auto& a, const auto& b) { return a.distance < b.distance; }));
  CHECK(Ids(hits) ==
        f.ExactNearest(query, 10, [](size_t i) { return i % 3 == 0; }));
  CHECK_FALSE((*results)[0].explain.has_value());

  // 67 points are "en": asking for more returns exactly those.
  options.k = 100;
  results = f.client().Query("docs", {query}, options);
  REQUIRE(results.ok());
  CHECK((*results)[0].hits.size() == 67);

  // A selective filter (7 points: en, year 2003) is answered exactly.
  options.k = 20;
  options.filter = AndFilter(
      {LangIs("en"), FieldFilter("year", FieldOp::kEq, {int64_t{2003}})});
  results = f.client().Query("docs", {query}, options);
  REQUIRE(results.ok());
  CHECK(Ids((*results)[0].hits) == f.ExactNearest(query, 20, [](size_t i) {
    return i % 3 == 0 && YearOf(i) == 2003;
  }));
  CHECK((*results)[0].hits.size() == 7);
}

TEST_CASE("Count, Scroll, Get and Delete take a filter", "[client][filter]") {
  Fixture f;
  Client& client = f.client();
  CHECK(*client.Count("docs") == kPoints);
  CHECK(*client.Count("docs", LangIs("en")) == 67);
  CHECK(*client.Count("docs", FieldFilter("year", FieldOp::kIn,
                                          {int64_t{2001}, 2002.0})) == 40);
  CHECK(*client.Count("docs", FieldFilter("rating", FieldOp::kLt, {10.0})) ==
        20);
  CHECK(*client.Count("docs", FieldFilter("tags", FieldOp::kContainsAll,
                                          {std::string("even"),
                                           std::string("all")})) == 100);
  CHECK(*client.Count("docs", NotFilter(LangIs("en"))) == 133);
  CHECK(*client.Count("docs", TextFilter(TextOp::kContains, "heart attack")) ==
        40);

  // Scroll pages of 10 through the 67 "en" points, in id order.
  std::vector<std::string> scrolled;
  std::string cursor;
  do {
    auto page = client.Scroll("docs", cursor, 10, {}, LangIs("en"));
    REQUIRE(page.ok());
    REQUIRE(page->points.size() <= 10);
    for (const Point& point : page->points) scrolled.push_back(point.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  std::vector<std::string> expected;
  for (size_t i = 0; i < kPoints; i += 3) expected.push_back(IdOf(i));
  CHECK(scrolled == expected);

  // Get: p001 exists but does not match, so it is neither returned nor
  // missing.
  auto got = client.Get("docs", {"p000", "p001", "nope"}, {}, LangIs("en"));
  REQUIRE(got.ok());
  REQUIRE(got->points.size() == 1);
  CHECK(got->points[0].id == "p000");
  CHECK(got->missing_ids == std::vector<std::string>{"nope"});

  // Delete by ids and filter: only the matching id goes.
  auto both = client.Delete("docs", {"p000", "p001"}, LangIs("de"));
  REQUIRE(both.ok());
  CHECK(both->deleted == 1);
  CHECK(client.Get("docs", {"p000", "p001"})->missing_ids ==
        std::vector<std::string>{"p001"});

  // Delete by filter alone: every "fr" point (66).
  auto by_filter = client.Delete("docs", {}, LangIs("fr"));
  REQUIRE(by_filter.ok());
  CHECK(by_filter->deleted == 66);
  CHECK(*client.Count("docs") == kPoints - 67);
  CHECK(*client.Count("docs", LangIs("fr")) == 0);
  auto none = client.Delete("docs", {}, LangIs("xx"));
  REQUIRE(none.ok());
  CHECK(none->deleted == 0);
}

TEST_CASE("A text query ranks by BM25 and honours the filter",
          "[client][text]") {
  Fixture f;
  client::QueryOptions options;
  options.k = 10;
  options.text_queries = {"heart attack"};
  options.explain = true;
  auto results = f.client().Query("docs", {}, options);
  REQUIRE(results.ok());
  REQUIRE(results->size() == 1);
  const QueryResult& result = (*results)[0];
  REQUIRE(result.hits.size() == 10);
  for (const auto& hit : result.hits) {
    CHECK(IsAttack(IndexOf(hit.point.id)));
    CHECK(hit.score > 0);
  }
  CHECK(std::is_sorted(
      result.hits.begin(), result.hits.end(),
      [](const auto& a, const auto& b) { return a.score > b.score; }));
  REQUIRE(result.explain.has_value());
  CHECK(result.explain->path == QueryPath::kText);
  CHECK(result.explain->postings_scored > 0);

  // All 40 "heart attack" documents outrank the 40 with "heart" alone.
  options.k = 80;
  results = f.client().Query("docs", {}, options);
  REQUIRE(results.ok());
  const auto& hits = (*results)[0].hits;
  REQUIRE(hits.size() == 80);
  for (size_t r = 0; r < hits.size(); ++r) {
    CHECK(IsAttack(IndexOf(hits[r].point.id)) == (r < 40));
  }
  CHECK(hits[0].score > hits[79].score);

  options.k = 100;
  options.filter = LangIs("en");
  results = f.client().Query("docs", {}, options);
  REQUIRE(results.ok());
  REQUIRE((*results)[0].hits.size() == 27);  // en and "heart": i % 15 in {0, 6}
  for (const auto& hit : (*results)[0].hits) {
    CHECK(IndexOf(hit.point.id) % 3 == 0);
  }
}

TEST_CASE("A hybrid query fuses the rankings and reports both ranks",
          "[client][hybrid]") {
  Fixture f;
  const std::vector<float> query = f.points()[5].vector;  // an attack point
  client::QueryOptions options;
  options.k = 10;
  options.text_queries = {"heart attack"};
  options.hybrid = {.rrf_k = 10, .vector_weight = 2, .text_weight = 1};
  options.explain = true;
  auto results = f.client().Query("docs", {query}, options);
  REQUIRE(results.ok());
  REQUIRE(results->size() == 1);
  const QueryResult& result = (*results)[0];
  REQUIRE(result.hits.size() == 10);
  const auto& top = result.hits[0];
  CHECK(top.point.id == "p005");
  CHECK(top.vector_rank == 1);
  CHECK(top.text_rank > 0);
  CHECK(top.distance == Approx(0).margin(1e-5));
  CHECK(top.text_score > 0);
  for (const auto& hit : result.hits) {
    INFO(hit.point.id);
    CHECK((hit.vector_rank > 0 || hit.text_rank > 0));
    const double expected =
        (hit.vector_rank > 0 ? 2.0 / (10 + hit.vector_rank) : 0) +
        (hit.text_rank > 0 ? 1.0 / (10 + hit.text_rank) : 0);
    CHECK(hit.score == Approx(expected).epsilon(1e-4));
    if (hit.text_rank > 0) {
      CHECK(hit.text_score > 0);
    }
  }
  CHECK(std::is_sorted(
      result.hits.begin(), result.hits.end(),
      [](const auto& a, const auto& b) { return a.score > b.score; }));
  REQUIRE(result.explain.has_value());
  CHECK(result.explain->path == QueryPath::kGraph);
  CHECK(result.explain->postings_scored > 0);
  CHECK(result.explain->distance_computations > 0);

  // Unequal counts of vectors and texts are rejected.
  options.text_queries = {"heart", "attack"};
  auto mismatched = f.client().Query("docs", {query}, options);
  CHECK(mismatched.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Explain reports the path and the counts", "[client][explain]") {
  Fixture f;
  const std::vector<float> query = f.points()[0].vector;
  client::QueryOptions options;
  options.k = 5;
  options.explain = true;
  auto plain = f.client().Query("docs", {query}, options);
  REQUIRE(plain.ok());
  REQUIRE((*plain)[0].explain.has_value());
  const client::Explain& graph = *(*plain)[0].explain;
  CHECK(graph.path == QueryPath::kGraph);
  CHECK(graph.actual_matches == kPoints);
  CHECK(graph.distance_computations > 0);
  CHECK(graph.nodes_expanded > 0);
  CHECK(client::QueryPathName(graph.path) == "graph");

  options.filter = LangIs("en");
  auto filtered = f.client().Query("docs", {query}, options);
  REQUIRE(filtered.ok());
  REQUIRE((*filtered)[0].explain.has_value());
  const client::Explain& explain = *(*filtered)[0].explain;
  CHECK((explain.path == QueryPath::kFilteredGraph ||
         explain.path == QueryPath::kExactCandidates ||
         explain.path == QueryPath::kFilteredGraphThenExact));
  CHECK(explain.actual_matches == 67);
  CHECK(explain.estimated_matches > 0);
  CHECK(explain.distance_computations > 0);
  CHECK_FALSE(explain.reason.empty());
}

TEST_CASE("A bad filter is INVALID_ARGUMENT naming the node",
          "[client][filter]") {
  Fixture f;
  const Filter unknown_op = AndFilter(
      {LangIs("en"),
       NotFilter(FieldFilter("year", static_cast<FieldOp>(42), {int64_t{1}}))});
  auto count = f.client().Count("docs", unknown_op);
  CHECK(count.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(count.status().message().find(
            "filter.all_of[1].negate.field.op: unknown operator 42") !=
        absl::string_view::npos);

  client::QueryOptions options;
  options.filter =
      OrFilter({LangIs("en"), FieldFilter("", FieldOp::kEq, {int64_t{1}})});
  auto query = f.client().Query("docs", {f.points()[0].vector}, options);
  CHECK(query.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(query.status().message().find("filter.any_of[1].field.field") !=
        absl::string_view::npos);

  Filter empty_not;
  empty_not.kind = Filter::Kind::kNot;
  auto scroll = f.client().Scroll("docs", "", 10, {}, empty_not);
  CHECK(scroll.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(scroll.status().message().find("filter.negate: no condition set") !=
        absl::string_view::npos);

  auto get = f.client().Get("docs", {"p000"}, {},
                            FieldFilter("n", FieldOp::kGt, {true}));
  CHECK(get.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(get.status().message().find("filter.field") != absl::string_view::npos);

  // Nothing was deleted by a rejected request.
  auto deleted = f.client().Delete("docs", {}, unknown_op);
  CHECK(deleted.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(*f.client().Count("docs") == kPoints);
}

}  // namespace
}  // namespace vecdb
