#include "proto/filter_convert.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/string_view.h"

namespace vecdb {
namespace {

absl::StatusOr<FilterValue> ValueFromProto(const v1::FilterValue& proto,
                                           std::string_view path) {
  switch (proto.kind_case()) {
    case v1::FilterValue::kStringValue:
      return FilterValue(proto.string_value());
    case v1::FilterValue::kIntValue:
      return FilterValue(static_cast<int64_t>(proto.int_value()));
    case v1::FilterValue::kDoubleValue:
      return FilterValue(proto.double_value());
    case v1::FilterValue::kBoolValue:
      return FilterValue(proto.bool_value());
    case v1::FilterValue::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(path), ": no value set"));
}

void ValueToProto(const FilterValue& value, v1::FilterValue* proto) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    proto->set_string_value(*s);
  } else if (const auto* i = std::get_if<int64_t>(&value)) {
    proto->set_int_value(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    proto->set_double_value(*d);
  } else {
    proto->set_bool_value(std::get<bool>(value));
  }
}

absl::StatusOr<Filter> FieldFromProto(const v1::FieldCondition& proto,
                                      const std::string& path) {
  Filter filter;
  filter.kind = Filter::Kind::kField;
  filter.field = proto.field();
  filter.op = static_cast<FieldOp>(static_cast<int32_t>(proto.op()));
  filter.values.reserve(proto.values_size());
  for (int j = 0; j < proto.values_size(); ++j) {
    VECDB_ASSIGN_OR_RETURN(
        FilterValue value,
        ValueFromProto(proto.values(j),
                       absl::StrCat(path, ".field.values[", j, "]")));
    filter.values.push_back(std::move(value));
  }
  return filter;
}

// `depth` is the level of `proto`, the root being 1.
absl::StatusOr<Filter> NodeFromProto(const v1::Filter& proto,
                                     const std::string& path, size_t depth);

absl::StatusOr<Filter> ListFromProto(const v1::FilterList& list,
                                     Filter::Kind kind,
                                     const std::string& prefix, size_t depth) {
  Filter filter;
  filter.kind = kind;
  filter.children.reserve(list.filters_size());
  for (int i = 0; i < list.filters_size(); ++i) {
    VECDB_ASSIGN_OR_RETURN(
        Filter child, NodeFromProto(list.filters(i),
                                    absl::StrCat(prefix, "[", i, "]"), depth));
    filter.children.push_back(std::move(child));
  }
  return filter;
}

absl::StatusOr<Filter> NodeFromProto(const v1::Filter& proto,
                                     const std::string& path, size_t depth) {
  if (depth > kMaxFilterDepth + 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": deeper than ", kMaxFilterDepth, " levels"));
  }
  switch (proto.node_case()) {
    case v1::Filter::kField:
      return FieldFromProto(proto.field(), path);
    case v1::Filter::kAllOf:
      return ListFromProto(proto.all_of(), Filter::Kind::kAnd,
                           absl::StrCat(path, ".all_of"), depth + 1);
    case v1::Filter::kAnyOf:
      return ListFromProto(proto.any_of(), Filter::Kind::kOr,
                           absl::StrCat(path, ".any_of"), depth + 1);
    case v1::Filter::kNegate: {
      VECDB_ASSIGN_OR_RETURN(
          Filter child,
          NodeFromProto(proto.negate(), absl::StrCat(path, ".negate"),
                        depth + 1));
      return NotFilter(std::move(child));
    }
    case v1::Filter::kText: {
      Filter filter;
      filter.kind = Filter::Kind::kText;
      filter.text_op =
          static_cast<TextOp>(static_cast<int32_t>(proto.text().op()));
      filter.text = proto.text().text();
      return filter;
    }
    case v1::Filter::NODE_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat(path, ": no condition set"));
}

}  // namespace

bool HasFilter(const v1::Filter& proto) {
  return proto.node_case() != v1::Filter::NODE_NOT_SET;
}

absl::StatusOr<Filter> FilterFromProto(const v1::Filter& proto,
                                       std::string_view field) {
  return NodeFromProto(proto, std::string(field), 1);
}

void FilterToProto(const Filter& filter, v1::Filter* proto) {
  proto->Clear();
  switch (filter.kind) {
    case Filter::Kind::kField: {
      v1::FieldCondition* field = proto->mutable_field();
      field->set_field(filter.field);
      field->set_op(static_cast<v1::FieldOp>(static_cast<int32_t>(filter.op)));
      field->mutable_values()->Reserve(static_cast<int>(filter.values.size()));
      for (const FilterValue& value : filter.values) {
        ValueToProto(value, field->add_values());
      }
      return;
    }
    case Filter::Kind::kAnd:
    case Filter::Kind::kOr: {
      v1::FilterList* list = filter.kind == Filter::Kind::kAnd
                                 ? proto->mutable_all_of()
                                 : proto->mutable_any_of();
      for (const Filter& child : filter.children) {
        FilterToProto(child, list->add_filters());
      }
      return;
    }
    case Filter::Kind::kNot: {
      v1::Filter* negate = proto->mutable_negate();
      if (filter.children.size() == 1) {
        FilterToProto(filter.children[0], negate);
      }
      return;
    }
    case Filter::Kind::kText:
      proto->mutable_text()->set_op(
          static_cast<v1::TextOp>(static_cast<int32_t>(filter.text_op)));
      proto->mutable_text()->set_text(filter.text);
      return;
  }
}

}  // namespace vecdb
