// Conversions between v1 messages and domain types (proto/convert.h).
#include "proto/convert.h"

#include <google/protobuf/util/message_differencer.h>

#include <catch2/catch.hpp>

namespace vecdb {
namespace {

bool Equals(const v1::Point& a, const v1::Point& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

v1::Point FullProtoPoint() {
  v1::Point proto;
  proto.set_id("doc-1");
  proto.add_vector(0.5f);
  proto.add_vector(-2.0f);
  auto& metadata = *proto.mutable_metadata();
  metadata["lang"].set_string_value("en");
  metadata["year"].set_int_value(-2024);
  metadata["score"].set_double_value(0.25);
  metadata["draft"].set_bool_value(true);
  metadata["tags"].mutable_list_value()->add_values("a");
  metadata["tags"].mutable_list_value()->add_values("b");
  proto.set_document("text");
  return proto;
}

TEST_CASE("PointFromProto converts every field", "[convert]") {
  const v1::Point proto = FullProtoPoint();
  absl::StatusOr<Point> point = PointFromProto(proto, "points[0]");
  REQUIRE(point.ok());
  CHECK(point->id == "doc-1");
  CHECK(point->vector == std::vector<float>{0.5f, -2.0f});
  CHECK(std::get<std::string>(point->metadata.at("lang")) == "en");
  CHECK(std::get<int64_t>(point->metadata.at("year")) == -2024);
  CHECK(std::get<double>(point->metadata.at("score")) == 0.25);
  CHECK(std::get<bool>(point->metadata.at("draft")) == true);
  CHECK(std::get<std::vector<std::string>>(point->metadata.at("tags")) ==
        std::vector<std::string>{"a", "b"});
  CHECK(point->document == "text");
}

TEST_CASE("PointToProto round-trips, copying and moving", "[convert]") {
  const v1::Point proto = FullProtoPoint();
  absl::StatusOr<Point> point = PointFromProto(proto, "p");
  REQUIRE(point.ok());

  v1::Point copied;
  PointToProto(*point, &copied);
  CHECK(Equals(copied, proto));

  v1::Point source = proto;
  absl::StatusOr<Point> moved_in = PointFromProto(&source, "p");
  REQUIRE(moved_in.ok());
  CHECK(*moved_in == *point);
  v1::Point moved_out;
  PointToProto(std::move(*moved_in), &moved_out);
  CHECK(Equals(moved_out, proto));
}

TEST_CASE("A point without document or metadata stays without them",
          "[convert]") {
  v1::Point proto;
  proto.set_id("x");
  absl::StatusOr<Point> point = PointFromProto(proto, "p");
  REQUIRE(point.ok());
  CHECK_FALSE(point->document.has_value());
  CHECK(point->metadata.empty());
  CHECK(point->vector.empty());
  v1::Point back;
  PointToProto(*point, &back);
  CHECK_FALSE(back.has_document());
  CHECK(back.vector_size() == 0);
}

TEST_CASE("A metadata value with no kind names the field", "[convert]") {
  google::protobuf::RepeatedPtrField<v1::Point> points;
  for (int i = 0; i < 3; ++i) *points.Add() = FullProtoPoint();
  (*points.Mutable(2)->mutable_metadata())["lang"].Clear();
  absl::StatusOr<std::vector<Point>> converted =
      PointsFromProto(&points, "points");
  REQUIRE(converted.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(converted.status().message() ==
        "points[2].metadata[\"lang\"]: no value set");
}

TEST_CASE("Metric conversion rejects unspecified and unknown values",
          "[convert]") {
  CHECK(*MetricFromProto(v1::METRIC_COSINE) == Metric::kCosine);
  CHECK(*MetricFromProto(v1::METRIC_L2) == Metric::kL2);
  CHECK(*MetricFromProto(v1::METRIC_INNER_PRODUCT) == Metric::kInnerProduct);
  for (Metric m : {Metric::kCosine, Metric::kL2, Metric::kInnerProduct}) {
    CHECK(*MetricFromProto(MetricToProto(m)) == m);
  }
  absl::Status unspecified = MetricFromProto(v1::METRIC_UNSPECIFIED).status();
  CHECK(unspecified.code() == absl::StatusCode::kInvalidArgument);
  CHECK(unspecified.message() == "metric: must be set");
  absl::Status unknown =
      MetricFromProto(static_cast<v1::Metric>(9), "config.metric").status();
  CHECK(unknown.code() == absl::StatusCode::kInvalidArgument);
  CHECK(unknown.message() == "config.metric: unknown value 9");
}

TEST_CASE("HnswParams: zero fields take the defaults", "[convert]") {
  v1::HnswParams proto;
  proto.set_ef_search(99);
  const HnswParams params = HnswParamsFromProto(proto);
  CHECK(params.m == HnswParams{}.m);
  CHECK(params.ef_construction == HnswParams{}.ef_construction);
  CHECK(params.ef_search == 99);
  v1::HnswParams back;
  HnswParamsToProto(params, &back);
  CHECK(back.m() == 16);
  CHECK(back.ef_construction() == 200);
  CHECK(back.ef_search() == 99);
}

TEST_CASE("Include and query vectors convert", "[convert]") {
  v1::Include proto;
  proto.set_metadata(true);
  proto.set_distance(true);
  const Include include = IncludeFromProto(proto);
  CHECK_FALSE(include.vector);
  CHECK(include.metadata);
  CHECK_FALSE(include.document);

  google::protobuf::RepeatedPtrField<v1::QueryVector> queries;
  queries.Add()->add_values(1.0f);
  queries.Add();
  const auto converted = QueryVectorsFromProto(queries);
  REQUIRE(converted.size() == 2);
  CHECK(converted[0] == std::vector<float>{1.0f});
  CHECK(converted[1].empty());
}

}  // namespace
}  // namespace vecdb
