#include "tests/crash/index_check.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "filter/matcher.h"
#include "proto/convert.h"
#include "proto/filter_convert.h"
#include "secondary/entries.h"
#include "storage/rocks_store.h"
#include "tests/crash/point_model.h"
#include "tests/crash/rpc_util.h"

namespace vecdb::testing {
namespace {

constexpr size_t kMaxReported = 20;

// Entries flattened to comparable strings, so that sets can be diffed and
// printed.
std::string Describe(const MetadataEntry& e) {
  std::string value = std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "present";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return absl::StrCat("\"", v, "\"");
        } else if constexpr (std::is_same_v<T, double>) {
          return absl::StrCat(v, "d");
        } else {
          return absl::StrCat(v);
        }
      },
      e.value);
  return absl::StrCat("meta label ", e.label, " ", e.field, "=", value);
}

std::string Describe(const TermEntry& e) {
  return absl::StrCat("term label ", e.label, " \"", e.term, "\" x",
                      e.frequency);
}

std::string DescribeLength(uint64_t label, uint32_t length) {
  return absl::StrCat("length label ", label, " = ", length);
}

void Diff(const std::set<std::string>& expected,
          const std::set<std::string>& actual, std::vector<std::string>& out,
          size_t& count) {
  for (const std::string& e : expected) {
    if (!actual.contains(e)) {
      if (out.size() < kMaxReported) out.push_back("missing " + e);
      ++count;
    }
  }
  for (const std::string& a : actual) {
    if (!expected.contains(a)) {
      if (out.size() < kMaxReported) out.push_back("left over " + a);
      ++count;
    }
  }
}

// The filters the crash test checks after each restart, over the model's
// metadata (point_model.cc): every operator and value kind, text words and
// phrases, negations.
std::vector<Filter> CrashFilters() {
  using S = std::string;
  return {
      FieldFilter("even", FieldOp::kEq, {true}),
      FieldFilter("even", FieldOp::kNe, {true}),
      FieldFilter("version", FieldOp::kGte, {int64_t{3}}),
      FieldFilter("version", FieldOp::kLt, {2.5}),
      FieldFilter("version", FieldOp::kIn, {int64_t{1}, int64_t{4}}),
      FieldFilter("score", FieldOp::kLt, {250.0}),
      FieldFilter("score", FieldOp::kGt, {int64_t{900}}),
      FieldFilter("neg", FieldOp::kLte, {int64_t{-(int64_t{1} << 61)}}),
      FieldFilter("tag", FieldOp::kGte, {S("tag-3")}),
      FieldFilter("tag", FieldOp::kLt, {S("tag-2")}),
      FieldFilter("tags", FieldOp::kExists),
      FieldFilter("tags", FieldOp::kContainsAny,
                  {S("t1"), S("t2"), S("t3"), S("t10"), S("t500")}),
      FieldFilter("tags", FieldOp::kNotIn, {S("t7"), S("t8")}),
      TextFilter(TextOp::kContains, "version 4"),
      TextFilter(TextOp::kNotContains, "document"),
      AndFilter({FieldFilter("even", FieldOp::kEq, {false}),
                 OrFilter({FieldFilter("tags", FieldOp::kExists),
                           TextFilter(TextOp::kContains, "version 1")})}),
      NotFilter(FieldFilter("score", FieldOp::kGte, {500.0})),
  };
}

}  // namespace

absl::Status CheckIndexEntries(const std::string& data_dir) {
  auto store = RocksStore::Open(data_dir + "/db", {.create_if_missing = false});
  if (!store.ok()) return store.status();
  auto collections = (*store)->ListCollections();
  if (!collections.ok()) return collections.status();
  std::vector<std::string> problems;
  size_t count = 0;
  for (const CollectionRecord& record : *collections) {
    std::set<std::string> expected, actual;
    absl::Status scan = (*store)->Scan(
        record.id, "", SIZE_MAX,
        {.vector = false, .metadata = true, .document = true},
        [&](std::string_view, StoredPoint&& point) {
          PointIndexEntries entries =
              EntriesFor(point.label, point.metadata, point.document);
          for (const MetadataEntry& e : entries.metadata) {
            expected.insert(Describe(e));
          }
          for (const TermEntry& e : entries.terms) expected.insert(Describe(e));
          if (entries.document_length.has_value()) {
            expected.insert(
                DescribeLength(point.label, *entries.document_length));
          }
          return true;
        });
    if (!scan.ok()) return scan;
    IndexEntryVisitor visitor;
    visitor.metadata = [&](MetadataEntry&& e) { actual.insert(Describe(e)); };
    visitor.term = [&](TermEntry&& e) { actual.insert(Describe(e)); };
    visitor.document_length = [&](uint64_t label, uint32_t length) {
      actual.insert(DescribeLength(label, length));
    };
    if (absl::Status s = (*store)->LoadIndexEntries(record.id, visitor);
        !s.ok()) {
      return s;
    }
    Diff(expected, actual, problems, count);
    auto complete = (*store)->IndexEntriesComplete(record.id);
    if (!complete.ok()) return complete.status();
    if (!*complete) {
      problems.push_back(absl::StrCat(record.name, ": entries not complete"));
      ++count;
    }
  }
  if (count == 0) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat(count, " index entry difference(s):\n  ",
                   absl::StrJoin(problems, "\n  ")));
}

absl::Status CheckFilteredCounts(vecdb::v1::VectorDB::Stub& stub,
                                 const std::string& collection, uint32_t dim,
                                 const std::vector<WriterState>& writers) {
  std::vector<Point> live;
  for (const WriterState& writer : writers) {
    for (uint32_t key = 0; key < writer.keyspace(); ++key) {
      if (const uint32_t v = writer.AckedVersion(key); v != 0) {
        auto point = PointFromProto(ModelPoint(writer.Id(key), v, dim), "model");
        if (!point.ok()) return point.status();
        live.push_back(*std::move(point));
      }
    }
  }
  std::vector<std::string> problems;
  const std::vector<Filter> filters = CrashFilters();
  for (size_t f = 0; f < filters.size(); ++f) {
    const Filter& filter = filters[f];
    std::set<std::string> matching;
    for (const Point& p : live) {
      if (MatchesFilter(filter, p.metadata, p.document)) matching.insert(p.id);
    }
    vecdb::v1::CountRequest count_request;
    count_request.set_collection(collection);
    FilterToProto(filter, count_request.mutable_filter());
    vecdb::v1::CountResponse count;
    auto context = NewContext();
    if (absl::Status s = FromGrpc(
            stub.Count(context.get(), count_request, &count), "Count");
        !s.ok()) {
      return s;
    }
    if (count.count() != matching.size()) {
      problems.push_back(absl::StrCat("filter ", f, ": Count ", count.count(),
                                      ", expected ", matching.size()));
    }
    // A filtered query: min(k, matching) hits, every one matching.
    if (live.empty()) continue;
    vecdb::v1::QueryRequest query;
    query.set_collection(collection);
    query.set_k(20);
    FilterToProto(filter, query.mutable_filter());
    const std::vector<float>& v = live[f % live.size()].vector;
    query.add_queries()->mutable_values()->Add(v.begin(), v.end());
    vecdb::v1::QueryResponse response;
    auto query_context = NewContext();
    if (absl::Status s = FromGrpc(
            stub.Query(query_context.get(), query, &response), "Query");
        !s.ok()) {
      return s;
    }
    const auto& hits = response.results(0).hits();
    if (static_cast<size_t>(hits.size()) !=
        std::min<size_t>(20, matching.size())) {
      problems.push_back(absl::StrCat("filter ", f, ": query returned ",
                                      hits.size(), " hits, expected ",
                                      std::min<size_t>(20, matching.size())));
    }
    for (const auto& hit : hits) {
      if (!matching.contains(hit.point().id())) {
        problems.push_back(absl::StrCat("filter ", f, ": query returned ",
                                        hit.point().id(),
                                        ", which does not match"));
        break;
      }
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("filtered reads differ:\n  ",
                                          absl::StrJoin(problems, "\n  ")));
}

}  // namespace vecdb::testing
