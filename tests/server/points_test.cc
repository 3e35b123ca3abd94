// Point RPCs end to end: upsert, get, delete, count, scroll, query.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

v1::Point RichPoint(const std::string& id, const std::vector<float>& vector) {
  v1::Point point = MakePoint(id, vector);
  (*point.mutable_metadata())["lang"].set_string_value("en");
  (*point.mutable_metadata())["year"].set_int_value(2024);
  (*point.mutable_metadata())["tags"].mutable_list_value()->add_values("x");
  point.set_document("document of " + id);
  return point;
}

v1::Include IncludeAll() {
  v1::Include include;
  include.set_vector(true);
  include.set_metadata(true);
  include.set_document(true);
  include.set_distance(true);
  return include;
}

TEST_CASE("Upsert, get, count and delete points", "[server]") {
  TestServer server;
  server.CreateCollection("c", 3, v1::METRIC_L2);
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert,
                     MakeUpsert("c", {RichPoint("a", {1, 0, 0}),
                                      RichPoint("b", {0, 1, 0}),
                                      RichPoint("c", {0, 0, 1})}),
                     upserted)
              .ok());
  CHECK(upserted.upserted() == 3);
  CHECK(server.Count("c") == 3);

  v1::GetRequest get;
  get.set_collection("c");
  get.add_ids("c");
  get.add_ids("nope");
  get.add_ids("a");
  *get.mutable_include() = IncludeAll();
  v1::GetResponse got;
  REQUIRE(VECDB_CALL(server.stub(), Get, get, got).ok());
  REQUIRE(got.points_size() == 2);
  CHECK(got.points(0).id() == "c");
  CHECK(got.points(1).id() == "a");
  const v1::Point& a = got.points(1);
  CHECK(std::vector<float>(a.vector().begin(), a.vector().end()) ==
        std::vector<float>{1, 0, 0});
  CHECK(a.metadata().at("lang").string_value() == "en");
  CHECK(a.metadata().at("year").int_value() == 2024);
  CHECK(a.metadata().at("tags").list_value().values(0) == "x");
  CHECK(a.document() == "document of a");
  REQUIRE(got.missing_ids_size() == 1);
  CHECK(got.missing_ids(0) == "nope");

  SECTION("include nothing returns ids only") {
    get.clear_include();
    got.Clear();
    REQUIRE(VECDB_CALL(server.stub(), Get, get, got).ok());
    REQUIRE(got.points_size() == 2);
    CHECK(got.points(1).id() == "a");
    CHECK(got.points(1).vector_size() == 0);
    CHECK(got.points(1).metadata().empty());
    CHECK_FALSE(got.points(1).has_document());
  }

  SECTION("upsert replaces a point") {
    v1::Point replacement = MakePoint("a", {5, 5, 5});
    REQUIRE(VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", {replacement}),
                       upserted)
                .ok());
    CHECK(server.Count("c") == 3);
    got.Clear();
    REQUIRE(VECDB_CALL(server.stub(), Get, get, got).ok());
    REQUIRE(got.points_size() == 2);
    CHECK(got.points(1).vector(0) == 5.0f);
    CHECK(got.points(1).metadata().empty());
    CHECK_FALSE(got.points(1).has_document());
  }

  SECTION("delete counts the ids that existed") {
    v1::DeleteRequest del;
    del.set_collection("c");
    del.add_ids("a");
    del.add_ids("missing");
    v1::DeleteResponse deleted;
    REQUIRE(VECDB_CALL(server.stub(), Delete, del, deleted).ok());
    CHECK(deleted.deleted() == 1);
    CHECK(deleted.sequence() > upserted.sequence());
    CHECK(server.Count("c") == 2);
    got.Clear();
    REQUIRE(VECDB_CALL(server.stub(), Get, get, got).ok());
    REQUIRE(got.points_size() == 1);
    CHECK(got.points(0).id() == "c");
    CHECK(got.missing_ids_size() == 2);
  }
}

TEST_CASE("Scroll pages through every point in id order", "[server]") {
  TestServer server;
  server.CreateCollection("c", 2, v1::METRIC_L2);
  std::vector<v1::Point> points;
  for (const char* id : {"e", "b", "d", "a", "c"}) {
    points.push_back(RichPoint(id, {1, 2}));
  }
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", points), upserted)
              .ok());

  v1::ScrollRequest scroll;
  scroll.set_collection("c");
  scroll.set_limit(2);
  scroll.mutable_include()->set_document(true);
  std::vector<std::string> ids;
  int pages = 0;
  while (true) {
    v1::ScrollResponse page;
    REQUIRE(VECDB_CALL(server.stub(), Scroll, scroll, page).ok());
    ++pages;
    REQUIRE(page.points_size() <= 2);
    for (const v1::Point& p : page.points()) {
      ids.push_back(p.id());
      CHECK(p.document() == "document of " + p.id());
      CHECK(p.vector_size() == 0);
      CHECK(p.metadata().empty());
    }
    if (page.next_cursor().empty()) break;
    scroll.set_cursor(page.next_cursor());
    REQUIRE(pages < 10);
  }
  CHECK(ids == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(pages >= 3);

  SECTION("limit 0 means 100") {
    v1::ScrollRequest all;
    all.set_collection("c");
    v1::ScrollResponse page;
    REQUIRE(VECDB_CALL(server.stub(), Scroll, all, page).ok());
    CHECK(page.points_size() == 5);
    CHECK(page.next_cursor().empty());
  }
}

TEST_CASE("Query answers a batch in request order, closest first", "[server]") {
  TestServer server;
  server.CreateCollection("c", 4, v1::METRIC_L2);
  const auto vectors = RandomVectors(50, 4, 7);
  std::vector<v1::Point> points;
  for (size_t i = 0; i < vectors.size(); ++i) {
    points.push_back(RichPoint("p" + std::to_string(i), vectors[i]));
  }
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", points), upserted)
              .ok());

  v1::QueryRequest query;
  query.set_collection("c");
  query.set_k(5);
  for (size_t i : {17, 3, 42}) {
    query.add_queries()->mutable_values()->Add(vectors[i].begin(),
                                               vectors[i].end());
  }
  query.mutable_include()->set_metadata(true);
  v1::QueryResponse response;
  REQUIRE(VECDB_CALL(server.stub(), Query, query, response).ok());
  REQUIRE(response.results_size() == 3);
  const std::vector<std::string> expected_first = {"p17", "p3", "p42"};
  for (int q = 0; q < 3; ++q) {
    const v1::QueryResult& result = response.results(q);
    REQUIRE(result.hits_size() == 5);
    CHECK(result.hits(0).point().id() == expected_first[q]);
    CHECK(result.hits(0).distance() == Approx(0.0f).margin(1e-5));
    for (int h = 1; h < result.hits_size(); ++h) {
      CHECK(result.hits(h - 1).distance() <= result.hits(h).distance());
    }
    for (const v1::ScoredPoint& hit : result.hits()) {
      CHECK(hit.point().metadata().at("lang").string_value() == "en");
      CHECK(hit.point().vector_size() == 0);
      CHECK_FALSE(hit.point().has_document());
    }
  }

  SECTION("the hit distance is the Euclidean distance") {
    const v1::ScoredPoint& second = response.results(0).hits(1);
    const auto& target = vectors[std::stoul(second.point().id().substr(1))];
    double sum = 0;
    for (size_t d = 0; d < 4; ++d) {
      const double diff = target[d] - vectors[17][d];
      sum += diff * diff;
    }
    CHECK(second.distance() == Approx(std::sqrt(sum)).epsilon(1e-4));
  }

  SECTION("include vector and document, k above the count") {
    query.set_k(1000);
    query.set_ef(10);
    *query.mutable_include() = IncludeAll();
    response.Clear();
    REQUIRE(VECDB_CALL(server.stub(), Query, query, response).ok());
    REQUIRE(response.results_size() == 3);
    CHECK(response.results(0).hits_size() == 50);
    const v1::Point& hit = response.results(1).hits(0).point();
    CHECK(hit.id() == "p3");
    CHECK(std::vector<float>(hit.vector().begin(), hit.vector().end()) ==
          vectors[3]);
    CHECK(hit.document() == "document of p3");
  }
}

TEST_CASE("Cosine distances are 1 - cos", "[server]") {
  TestServer server;
  server.CreateCollection("c", 2, v1::METRIC_COSINE);
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert,
                     MakeUpsert("c", {MakePoint("same", {2, 0}),
                                      MakePoint("orthogonal", {0, 3}),
                                      MakePoint("opposite", {-1, 0})}),
                     upserted)
              .ok());
  v1::QueryRequest query;
  query.set_collection("c");
  query.set_k(3);
  query.add_queries()->add_values(1);
  query.mutable_queries(0)->add_values(0);
  v1::QueryResponse response;
  REQUIRE(VECDB_CALL(server.stub(), Query, query, response).ok());
  REQUIRE(response.results(0).hits_size() == 3);
  const auto& hits = response.results(0).hits();
  CHECK(hits[0].point().id() == "same");
  CHECK(hits[0].distance() == Approx(0.0f).margin(1e-5));
  CHECK(hits[1].point().id() == "orthogonal");
  CHECK(hits[1].distance() == Approx(1.0f).margin(1e-5));
  CHECK(hits[2].point().id() == "opposite");
  CHECK(hits[2].distance() == Approx(2.0f).margin(1e-5));
}

}  // namespace
}  // namespace vecdb::testing
