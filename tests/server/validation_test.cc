// Every rejected request: exact status code, the field in the message, and
// nothing written.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

using grpc::StatusCode;

// Ten valid points of dimension 3, ids g0..g9.
std::vector<v1::Point> GoodPoints() {
  std::vector<v1::Point> points;
  for (int i = 0; i < 10; ++i) {
    points.push_back(
        MakePoint("g" + std::to_string(i), {1.0f + i, 2.0f, 3.0f}));
  }
  return points;
}

// Checks that none of GoodPoints() was written and "c" still holds only
// the point "base".
void CheckNothingWritten(TestServer& server) {
  CHECK(server.Count("c") == 1);
  v1::GetRequest get;
  get.set_collection("c");
  for (const v1::Point& p : GoodPoints()) get.add_ids(p.id());
  v1::GetResponse got;
  REQUIRE(VECDB_CALL(server.stub(), Get, get, got).ok());
  CHECK(got.points_size() == 0);
  CHECK(got.missing_ids_size() == 10);
}

TEST_CASE("A bad point rejects the whole batch", "[server]") {
  TestServer server;
  server.CreateCollection("c", 3, v1::METRIC_COSINE);
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert,
                     MakeUpsert("c", {MakePoint("base", {1, 1, 1})}), upserted)
              .ok());
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();

  // Each case: the 11th point (index 10) is bad.
  struct Case {
    const char* what;
    v1::Point bad;
    const char* message;
  };
  v1::Point no_kind = MakePoint("nk", {1, 2, 3});
  (*no_kind.mutable_metadata())["lang"];
  v1::Point long_key = MakePoint("lk", {1, 2, 3});
  (*long_key.mutable_metadata())[std::string(257, 'k')].set_int_value(1);
  const std::vector<Case> cases = {
      {"wrong dimension", MakePoint("w", {1, 2}),
       "points[10].vector: expected dimension 3, got 2"},
      {"NaN", MakePoint("n", {1, nan, 3}), "points[10].vector[1]"},
      {"infinity", MakePoint("i", {1, 2, -inf}), "points[10].vector[2]"},
      {"zero vector under cosine", MakePoint("z", {0, 0, 0}),
       "points[10].vector"},
      {"empty id", MakePoint("", {1, 2, 3}), "points[10].id"},
      {"id of 513 bytes", MakePoint(std::string(513, 'x'), {1, 2, 3}),
       "points[10].id"},
      {"duplicate id", MakePoint("g3", {1, 2, 3}), "points[10].id"},
      {"metadata value with no kind", no_kind,
       "points[10].metadata[\"lang\"]: no value set"},
      {"metadata key of 257 bytes", long_key, "points[10].metadata"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    std::vector<v1::Point> points = GoodPoints();
    points.push_back(c.bad);
    CHECK_STATUS(
        VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", points), upserted),
        StatusCode::INVALID_ARGUMENT, c.message);
    CheckNothingWritten(server);
  }
}

TEST_CASE("An id of 512 bytes is accepted", "[server]") {
  TestServer server;
  server.CreateCollection("c", 1, v1::METRIC_L2);
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert,
                     MakeUpsert("c", {MakePoint(std::string(512, 'x'), {1})}),
                     upserted)
              .ok());
  CHECK(server.Count("c") == 1);
}

TEST_CASE("Request limits: empty lists, batch size, k, ef, scroll limit",
          "[server]") {
  TestServer server;
  server.CreateCollection("c", 2, v1::METRIC_L2);
  v1::UpsertResponse upserted;

  // Over the batch limit (kTestMaxBatch = 100).
  std::vector<v1::Point> many;
  for (int i = 0; i < 101; ++i) {
    many.push_back(MakePoint("p" + std::to_string(i), {1, 2}));
  }
  CHECK_STATUS(
      VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", many), upserted),
      StatusCode::INVALID_ARGUMENT,
      "points: 101 points exceed the limit of 100 per request");
  CHECK(server.Count("c") == 0);
  many.pop_back();
  REQUIRE(
      VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", many), upserted).ok());
  CHECK(server.Count("c") == 100);

  CHECK_STATUS(VECDB_CALL(server.stub(), Upsert, MakeUpsert("c", {}), upserted),
               StatusCode::INVALID_ARGUMENT, "points: must not be empty");

  v1::GetRequest get;
  get.set_collection("c");
  v1::GetResponse got;
  CHECK_STATUS(VECDB_CALL(server.stub(), Get, get, got),
               StatusCode::INVALID_ARGUMENT, "ids: must not be empty");
  for (int i = 0; i < 101; ++i) get.add_ids("p" + std::to_string(i));
  CHECK_STATUS(VECDB_CALL(server.stub(), Get, get, got),
               StatusCode::INVALID_ARGUMENT,
               "ids: 101 ids exceed the limit of 100 per request");

  v1::DeleteRequest del;
  del.set_collection("c");
  v1::DeleteResponse deleted;
  CHECK_STATUS(VECDB_CALL(server.stub(), Delete, del, deleted),
               StatusCode::INVALID_ARGUMENT, "ids: must not be empty");
  for (int i = 0; i < 101; ++i) del.add_ids("p" + std::to_string(i));
  CHECK_STATUS(VECDB_CALL(server.stub(), Delete, del, deleted),
               StatusCode::INVALID_ARGUMENT,
               "ids: 101 ids exceed the limit of 100 per request");
  CHECK(server.Count("c") == 100);

  v1::QueryRequest query;
  query.set_collection("c");
  query.set_k(10);
  v1::QueryResponse response;
  CHECK_STATUS(VECDB_CALL(server.stub(), Query, query, response),
               StatusCode::INVALID_ARGUMENT, "queries: must not be empty");
  for (int i = 0; i < 101; ++i) {
    query.add_queries()->mutable_values()->Resize(2, 1.0f);
  }
  CHECK_STATUS(VECDB_CALL(server.stub(), Query, query, response),
               StatusCode::INVALID_ARGUMENT,
               "queries: 101 queries exceed the limit of 100 per request");
  query.mutable_queries()->RemoveLast();
  REQUIRE(VECDB_CALL(server.stub(), Query, query, response).ok());
  CHECK(response.results_size() == 100);

  query.set_k(0);
  CHECK_STATUS(VECDB_CALL(server.stub(), Query, query, response),
               StatusCode::INVALID_ARGUMENT, "k: must be in 1..1000, got 0");
  query.set_k(1001);
  CHECK_STATUS(VECDB_CALL(server.stub(), Query, query, response),
               StatusCode::INVALID_ARGUMENT, "k: must be in 1..1000, got 1001");
  query.set_k(10);
  query.set_ef(4097);
  CHECK_STATUS(VECDB_CALL(server.stub(), Query, query, response),
               StatusCode::INVALID_ARGUMENT, "ef: ");
  CHECK_STATUS(VECDB_CALL(server.stub(), Query, query, response),
               StatusCode::INVALID_ARGUMENT, "got 4097");

  v1::ScrollRequest scroll;
  scroll.set_collection("c");
  scroll.set_limit(10001);
  v1::ScrollResponse page;
  CHECK_STATUS(VECDB_CALL(server.stub(), Scroll, scroll, page),
               StatusCode::INVALID_ARGUMENT, "limit: ");
  scroll.set_limit(10000);
  REQUIRE(VECDB_CALL(server.stub(), Scroll, scroll, page).ok());
  CHECK(page.points_size() == 100);
}

TEST_CASE("Bad query vectors name the query", "[server]") {
  TestServer server;
  server.CreateCollection("c", 2, v1::METRIC_COSINE);
  v1::UpsertResponse upserted;
  REQUIRE(VECDB_CALL(server.stub(), Upsert,
                     MakeUpsert("c", {MakePoint("a", {1, 2})}), upserted)
              .ok());
  auto query_with_second = [&](std::vector<float> second) {
    v1::QueryRequest query;
    query.set_collection("c");
    query.set_k(1);
    query.add_queries()->mutable_values()->Resize(2, 1.0f);
    query.add_queries()->mutable_values()->Add(second.begin(), second.end());
    v1::QueryResponse response;
    return VECDB_CALL(server.stub(), Query, query, response);
  };
  CHECK_STATUS(query_with_second({1, 2, 3}), StatusCode::INVALID_ARGUMENT,
               "queries[1]: expected dimension 2, got 3");
  CHECK_STATUS(query_with_second({1, std::nanf("")}),
               StatusCode::INVALID_ARGUMENT, "queries[1][1]");
  CHECK_STATUS(query_with_second({std::numeric_limits<float>::infinity(), 1}),
               StatusCode::INVALID_ARGUMENT, "queries[1][0]");
  CHECK_STATUS(query_with_second({0, 0}), StatusCode::INVALID_ARGUMENT,
               "queries[1]");
}

TEST_CASE(
    "Every RPC: unknown collection is NOT_FOUND, empty name is "
    "INVALID_ARGUMENT",
    "[server]") {
  TestServer server;
  auto& stub = server.stub();
  for (const std::string name : {"ghost", ""}) {
    INFO("collection \"" << name << "\"");
    const StatusCode code =
        name.empty() ? StatusCode::INVALID_ARGUMENT : StatusCode::NOT_FOUND;
    const std::string text =
        name.empty() ? "collection: must not be empty" : "ghost";

    v1::GetCollectionRequest get_collection;
    get_collection.set_collection(name);
    v1::CollectionInfo info;
    CHECK_STATUS(VECDB_CALL(stub, GetCollection, get_collection, info), code,
                 text);

    v1::DropCollectionRequest drop;
    drop.set_collection(name);
    v1::DropCollectionResponse dropped;
    CHECK_STATUS(VECDB_CALL(stub, DropCollection, drop, dropped), code, text);

    v1::UpsertResponse upserted;
    CHECK_STATUS(VECDB_CALL(stub, Upsert,
                            MakeUpsert(name, {MakePoint("a", {1})}), upserted),
                 code, text);

    v1::GetRequest get;
    get.set_collection(name);
    get.add_ids("a");
    v1::GetResponse got;
    CHECK_STATUS(VECDB_CALL(stub, Get, get, got), code, text);

    v1::DeleteRequest del;
    del.set_collection(name);
    del.add_ids("a");
    v1::DeleteResponse deleted;
    CHECK_STATUS(VECDB_CALL(stub, Delete, del, deleted), code, text);

    v1::CountRequest count;
    count.set_collection(name);
    v1::CountResponse counted;
    CHECK_STATUS(VECDB_CALL(stub, Count, count, counted), code, text);

    v1::ScrollRequest scroll;
    scroll.set_collection(name);
    v1::ScrollResponse page;
    CHECK_STATUS(VECDB_CALL(stub, Scroll, scroll, page), code, text);

    v1::QueryRequest query;
    query.set_collection(name);
    query.set_k(1);
    query.add_queries()->add_values(1);
    v1::QueryResponse response;
    CHECK_STATUS(VECDB_CALL(stub, Query, query, response), code, text);
  }
}

}  // namespace
}  // namespace vecdb::testing
