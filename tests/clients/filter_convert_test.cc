// vecdb.v1.Filter <-> Filter (proto/filter_convert.h): round trips of every
// node kind and value type, and the structural errors with their paths.
#include "proto/filter_convert.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace vecdb {
namespace {

bool SameFilter(const Filter& a, const Filter& b) {
  if (a.kind != b.kind || a.field != b.field || a.op != b.op ||
      a.values != b.values || a.text_op != b.text_op || a.text != b.text ||
      a.children.size() != b.children.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameFilter(a.children[i], b.children[i])) return false;
  }
  return true;
}

Filter Nested(size_t levels) {
  Filter filter = FieldFilter("f", FieldOp::kExists);
  for (size_t i = 1; i < levels; ++i) filter = NotFilter(std::move(filter));
  return filter;
}

TEST_CASE("Filter round trip keeps every node kind and value type",
          "[filter_convert]") {
  const Filter filter = AndFilter({
      FieldFilter("lang", FieldOp::kEq, {std::string("en")}),
      FieldFilter("year", FieldOp::kIn, {int64_t{2020}, int64_t{-7}}),
      FieldFilter("score", FieldOp::kGte, {0.5}),
      FieldFilter("ok", FieldOp::kNe, {true}),
      FieldFilter("tags", FieldOp::kExists),
      OrFilter({FieldFilter("tags", FieldOp::kContainsAll,
                            {std::string("a"), std::string("b")}),
                NotFilter(TextFilter(TextOp::kNotContains, "heart attack"))}),
      TextFilter(TextOp::kContains, "x"),
  });
  v1::Filter proto;
  FilterToProto(filter, &proto);
  REQUIRE(HasFilter(proto));
  REQUIRE(proto.all_of().filters_size() == 7);
  CHECK(proto.all_of().filters(0).field().values(0).string_value() == "en");
  CHECK(proto.all_of().filters(1).field().op() == v1::FIELD_OP_IN);
  CHECK(proto.all_of().filters(1).field().values(1).int_value() == -7);
  CHECK(proto.all_of().filters(2).field().values(0).double_value() == 0.5);
  CHECK(proto.all_of().filters(3).field().values(0).bool_value());
  CHECK(proto.all_of().filters(5).any_of().filters(1).negate().text().op() ==
        v1::TEXT_OP_NOT_CONTAINS);

  auto back = FilterFromProto(proto, "filter");
  REQUIRE(back.ok());
  CHECK(SameFilter(*back, filter));
  // An int stays an int and a double a double, even when equal in value.
  CHECK(std::holds_alternative<int64_t>(back->children[1].values[0]));
  CHECK(std::holds_alternative<double>(back->children[2].values[0]));
}

TEST_CASE("Unknown operator numbers are copied, for validation to reject",
          "[filter_convert]") {
  v1::Filter proto;
  proto.mutable_field()->set_field("f");
  proto.mutable_field()->set_op(static_cast<v1::FieldOp>(42));
  auto field = FilterFromProto(proto, "filter");
  REQUIRE(field.ok());
  CHECK(static_cast<int32_t>(field->op) == 42);

  proto.mutable_text()->set_op(v1::TEXT_OP_UNSPECIFIED);
  proto.mutable_text()->set_text("w");
  auto text = FilterFromProto(proto, "filter");
  REQUIRE(text.ok());
  CHECK(text->kind == Filter::Kind::kText);
  CHECK(static_cast<int32_t>(text->text_op) == 0);
}

TEST_CASE("An unset filter is no filter", "[filter_convert]") {
  CHECK_FALSE(HasFilter(v1::Filter()));
  v1::GetRequest request;
  CHECK_FALSE(HasFilter(request.filter()));
}

TEST_CASE("A node with no condition is named by its path", "[filter_convert]") {
  v1::Filter proto;
  auto root = FilterFromProto(proto, "filter");
  CHECK(root.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(root.status().message() == "filter: no condition set");

  v1::FilterList* all = proto.mutable_all_of();
  all->add_filters()->mutable_field()->set_field("a");
  v1::FilterList* any = all->add_filters()->mutable_any_of();
  any->add_filters()->mutable_text()->set_text("t");
  any->add_filters()->mutable_negate();
  auto nested = FilterFromProto(proto, "filter");
  CHECK(nested.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(nested.status().message() ==
        "filter.all_of[1].any_of[1].negate: no condition set");
}

TEST_CASE("A value with no kind is named by its path", "[filter_convert]") {
  v1::Filter proto;
  v1::FieldCondition* field = proto.mutable_negate()->mutable_field();
  field->set_field("f");
  field->set_op(v1::FIELD_OP_IN);
  field->add_values()->set_int_value(1);
  field->add_values();
  auto result = FilterFromProto(proto, "q.filter");
  CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(result.status().message() ==
        "q.filter.negate.field.values[1]: no value set");
}

TEST_CASE("Depth: one level past the limit converts, two stop conversion",
          "[filter_convert]") {
  v1::Filter proto;
  FilterToProto(Nested(kMaxFilterDepth + 1), &proto);
  auto allowed = FilterFromProto(proto, "filter");
  REQUIRE(allowed.ok());
  CHECK(SameFilter(*allowed, Nested(kMaxFilterDepth + 1)));

  FilterToProto(Nested(kMaxFilterDepth + 2), &proto);
  auto too_deep = FilterFromProto(proto, "filter");
  CHECK(too_deep.status().code() == absl::StatusCode::kInvalidArgument);
  std::string path = "filter";
  for (size_t i = 1; i < kMaxFilterDepth + 2; ++i) path += ".negate";
  CHECK(too_deep.status().message() == path + ": deeper than 16 levels");

  // A very deep tree fails the same way instead of recursing to its end.
  v1::Filter deep;
  v1::Filter* node = &deep;
  for (int i = 0; i < 5000; ++i) node = node->mutable_negate();
  node->mutable_field()->set_field("f");
  CHECK(FilterFromProto(deep, "filter").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("FilterToProto writes a malformed kNot as an empty node",
          "[filter_convert]") {
  Filter bad;
  bad.kind = Filter::Kind::kNot;
  v1::Filter proto;
  FilterToProto(bad, &proto);
  REQUIRE(proto.has_negate());
  CHECK_FALSE(HasFilter(proto.negate()));
  CHECK(FilterFromProto(proto, "filter").status().message() ==
        "filter.negate: no condition set");
}

}  // namespace
}  // namespace vecdb
