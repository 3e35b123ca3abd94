// Filters through the gRPC API: status codes and messages for bad trees,
// delete by filter, explain in the response.
#include <catch2/catch.hpp>

#include "tests/server/server_fixture.h"

namespace vecdb::testing {
namespace {

// 50 points "p<i>" with vector (i, 1), metadata {"i": i, "odd": i % 2 == 1}.
void Fill(TestServer& server) {
  server.CreateCollection("f", 2, v1::METRIC_L2);
  std::vector<v1::Point> points;
  for (int i = 0; i < 50; ++i) {
    v1::Point p = MakePoint("p" + std::to_string(i),
                            {static_cast<float>(i), 1.0f});
    (*p.mutable_metadata())["i"].set_int_value(i);
    (*p.mutable_metadata())["odd"].set_bool_value(i % 2 == 1);
    points.push_back(std::move(p));
  }
  v1::UpsertResponse response;
  REQUIRE(VECDB_CALL(server.stub(), Upsert, MakeUpsert("f", points), response)
              .ok());
}

v1::Filter Range(const std::string& field, v1::FieldOp op, int64_t value) {
  v1::Filter f;
  f.mutable_field()->set_field(field);
  f.mutable_field()->set_op(op);
  f.mutable_field()->add_values()->set_int_value(value);
  return f;
}

TEST_CASE("server: filtered query, count and explain", "[filter]") {
  TestServer server;
  Fill(server);
  v1::QueryRequest request;
  request.set_collection("f");
  request.set_k(5);
  request.set_explain(true);
  request.add_queries()->add_values(0);
  request.mutable_queries(0)->add_values(1);
  *request.mutable_filter() = Range("i", v1::FIELD_OP_GTE, 47);
  v1::QueryResponse response;
  REQUIRE(VECDB_CALL(server.stub(), Query, request, response).ok());
  const auto& result = response.results(0);
  REQUIRE(result.hits_size() == 3);  // min(k, matching)
  CHECK(result.hits(0).point().id() == "p47");
  CHECK(result.hits(1).point().id() == "p48");
  CHECK(result.hits(2).point().id() == "p49");
  CHECK(result.explain().path() == v1::QUERY_PATH_EXACT_CANDIDATES);
  CHECK(result.explain().actual_matches() == 3);
  CHECK(result.explain().distance_computations() == 3);
  CHECK(!result.explain().reason().empty());

  v1::CountRequest count;
  count.set_collection("f");
  count.mutable_filter()->mutable_field()->set_field("odd");
  count.mutable_filter()->mutable_field()->set_op(v1::FIELD_OP_EQ);
  count.mutable_filter()->mutable_field()->add_values()->set_bool_value(true);
  v1::CountResponse counted;
  REQUIRE(VECDB_CALL(server.stub(), Count, count, counted).ok());
  CHECK(counted.count() == 25);
}

TEST_CASE("server: bad filters are INVALID_ARGUMENT naming the node",
          "[filter]") {
  TestServer server;
  Fill(server);
  auto count_with = [&](const v1::Filter& filter) {
    v1::CountRequest request;
    request.set_collection("f");
    *request.mutable_filter() = filter;
    v1::CountResponse response;
    return VECDB_CALL(server.stub(), Count, request, response);
  };
  v1::Filter unknown = Range("i", static_cast<v1::FieldOp>(42), 1);
  CHECK_STATUS(count_with(unknown), grpc::StatusCode::INVALID_ARGUMENT,
               "filter.field.op: unknown operator 42");

  v1::Filter nested;
  *nested.mutable_all_of()->add_filters() = Range("i", v1::FIELD_OP_EQ, 1);
  v1::Filter* bad = nested.mutable_all_of()->add_filters();
  bad->mutable_negate()->mutable_field()->set_field("i");
  bad->mutable_negate()->mutable_field()->set_op(v1::FIELD_OP_GT);
  bad->mutable_negate()->mutable_field()->add_values()->set_bool_value(true);
  CHECK_STATUS(count_with(nested), grpc::StatusCode::INVALID_ARGUMENT,
               "filter.all_of[1].negate.field.values[0]");

  v1::Filter empty_field = Range("", v1::FIELD_OP_EQ, 1);
  CHECK_STATUS(count_with(empty_field), grpc::StatusCode::INVALID_ARGUMENT,
               "filter.field.field: empty field");
  v1::Filter long_field = Range(std::string(300, 'x'), v1::FIELD_OP_EQ, 1);
  CHECK_STATUS(count_with(long_field), grpc::StatusCode::INVALID_ARGUMENT,
               "filter.field.field");

  v1::Filter deep = Range("i", v1::FIELD_OP_EQ, 1);
  for (int i = 0; i < 40; ++i) {
    v1::Filter wrapper;
    *wrapper.mutable_negate() = deep;
    deep = wrapper;
  }
  CHECK_STATUS(count_with(deep), grpc::StatusCode::INVALID_ARGUMENT,
               "deeper than");

  v1::Filter unset;
  unset.mutable_any_of()->add_filters();
  CHECK_STATUS(count_with(unset), grpc::StatusCode::INVALID_ARGUMENT,
               "filter.any_of[0]");

  // A rejected delete-by-filter deletes nothing.
  v1::DeleteRequest del;
  del.set_collection("f");
  *del.mutable_filter() = nested;
  v1::DeleteResponse deleted;
  CHECK_STATUS(VECDB_CALL(server.stub(), Delete, del, deleted),
               grpc::StatusCode::INVALID_ARGUMENT, "filter.all_of[1]");
  CHECK(server.Count("f") == 50);
}

TEST_CASE("server: delete by filter says how many it deleted", "[filter]") {
  TestServer server;
  Fill(server);
  v1::DeleteRequest request;
  request.set_collection("f");
  *request.mutable_filter() = Range("i", v1::FIELD_OP_LT, 10);
  v1::DeleteResponse response;
  REQUIRE(VECDB_CALL(server.stub(), Delete, request, response).ok());
  CHECK(response.deleted() == 10);
  CHECK(server.Count("f") == 40);
  // Matching nothing is not an error.
  REQUIRE(VECDB_CALL(server.stub(), Delete, request, response).ok());
  CHECK(response.deleted() == 0);
  CHECK(server.Count("f") == 40);
  // Neither ids nor a filter: an error.
  v1::DeleteRequest nothing;
  nothing.set_collection("f");
  CHECK_STATUS(VECDB_CALL(server.stub(), Delete, nothing, response),
               grpc::StatusCode::INVALID_ARGUMENT, "ids: must not be empty");
}

}  // namespace
}  // namespace vecdb::testing
