#include "tests/crash/verifier.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/crash/point_model.h"
#include "tests/crash/rpc_util.h"

namespace vecdb::testing {
namespace {

using vecdb::v1::Point;
using vecdb::v1::VectorDB;

constexpr size_t kGetBatch = 256;
constexpr size_t kQueryBatch = 64;
constexpr size_t kScrollLimit = 1000;
constexpr size_t kMaxReported = 20;
// Distance of a point to itself: 0 up to rounding (cosine normalises).
constexpr float kSelfDistance = 1e-4f;

// Collects differences; keeps the first kMaxReported.
class Problems {
 public:
  void Add(std::string problem) {
    if (lines_.size() < kMaxReported) lines_.push_back(std::move(problem));
    ++count_;
  }
  absl::Status ToStatus() const {
    if (count_ == 0) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat(count_, " difference(s):\n  ",
                                            absl::StrJoin(lines_, "\n  ")));
  }

 private:
  std::vector<std::string> lines_;
  size_t count_ = 0;
};

// Fetches `ids` with every field; missing ids are absent from the map.
absl::StatusOr<absl::flat_hash_map<std::string, Point>> GetPoints(
    VectorDB::Stub& stub, const std::string& collection,
    const std::vector<std::string>& ids) {
  absl::flat_hash_map<std::string, Point> found;
  for (size_t begin = 0; begin < ids.size(); begin += kGetBatch) {
    vecdb::v1::GetRequest request;
    request.set_collection(collection);
    for (size_t i = begin; i < std::min(ids.size(), begin + kGetBatch); ++i) {
      request.add_ids(ids[i]);
    }
    request.mutable_include()->set_vector(true);
    request.mutable_include()->set_metadata(true);
    request.mutable_include()->set_document(true);
    vecdb::v1::GetResponse response;
    auto context = NewContext();
    if (absl::Status s =
            FromGrpc(stub.Get(context.get(), request, &response), "Get");
        !s.ok()) {
      return s;
    }
    for (Point& p : *response.mutable_points()) {
      std::string id = p.id();
      found.emplace(std::move(id), std::move(p));
    }
  }
  return found;
}

// Empty if the fetched state of `id` is `version` (0 = absent).
std::string DiffState(const absl::flat_hash_map<std::string, Point>& found,
                      const std::string& id, uint32_t version, uint32_t dim) {
  auto it = found.find(id);
  if (version == 0) {
    if (it == found.end()) return "";
    const auto& md = it->second.metadata();
    auto v = md.find("version");
    return absl::StrCat(id, ": expected absent, found version ",
                        v == md.end() ? -1 : v->second.int_value());
  }
  if (it == found.end()) {
    return absl::StrCat(id, ": expected version ", version, ", missing");
  }
  return DiffFromModel(it->second, id, version, dim);
}

std::string DescribeOp(const WriteOp& op) {
  return absl::StrCat(op.kind == WriteOp::Kind::kUpsert ? "upsert" : "delete",
                      "(", op.keys.size(), ")");
}

// Resolves one writer's in-flight operation; kNone if it has none.
absl::StatusOr<InFlightOutcome> ResolveInFlight(VectorDB::Stub& stub,
                                                const std::string& collection,
                                                uint32_t dim,
                                                WriterState& writer) {
  if (!writer.in_flight().has_value()) return InFlightOutcome::kNone;
  const WriteOp& op = *writer.in_flight();
  std::vector<std::string> ids;
  for (uint32_t key : op.keys) ids.push_back(writer.Id(key));
  absl::StatusOr<absl::flat_hash_map<std::string, Point>> found =
      GetPoints(stub, collection, ids);
  if (!found.ok()) return found.status();
  bool all_old = true;
  bool all_new = true;
  std::vector<std::string> states;
  for (size_t i = 0; i < op.keys.size(); ++i) {
    const bool is_old =
        DiffState(*found, ids[i], writer.AckedVersion(op.keys[i]), dim).empty();
    const bool is_new =
        DiffState(*found, ids[i], VersionAfter(op, i), dim).empty();
    all_old = all_old && is_old;
    all_new = all_new && is_new;
    states.push_back(absl::StrCat(ids[i], is_old ? "=old" : "",
                                  is_new ? "=new" : "",
                                  !is_old && !is_new ? "=neither" : ""));
  }
  if (!all_old && !all_new) {
    return absl::DataLossError(absl::StrCat(
        "in-flight ", DescribeOp(op), " of writer ", writer.writer(),
        " is half applied (old = last acknowledged state): ",
        absl::StrJoin(states, " ")));
  }
  writer.ResolveInFlight(all_new);
  if (all_old && all_new) return InFlightOutcome::kEither;
  return all_new ? InFlightOutcome::kApplied : InFlightOutcome::kNotApplied;
}

// Every point of every writer: present with its version or absent.
absl::Status CheckPoints(VectorDB::Stub& stub, const std::string& collection,
                         uint32_t dim, const std::vector<WriterState>& writers,
                         Problems& problems) {
  for (const WriterState& writer : writers) {
    std::vector<std::string> ids;
    for (uint32_t key = 0; key < writer.keyspace(); ++key) {
      ids.push_back(writer.Id(key));
    }
    absl::StatusOr<absl::flat_hash_map<std::string, Point>> found =
        GetPoints(stub, collection, ids);
    if (!found.ok()) return found.status();
    for (uint32_t key = 0; key < writer.keyspace(); ++key) {
      std::string diff =
          DiffState(*found, ids[key], writer.AckedVersion(key), dim);
      if (!diff.empty()) problems.Add(std::move(diff));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCountAndScroll(VectorDB::Stub& stub,
                                 const std::string& collection,
                                 const std::vector<WriterState>& writers,
                                 Problems& problems) {
  absl::flat_hash_set<std::string> live;
  for (const WriterState& writer : writers) {
    for (uint32_t key = 0; key < writer.keyspace(); ++key) {
      if (writer.AckedVersion(key) != 0) live.insert(writer.Id(key));
    }
  }
  vecdb::v1::CountRequest count_request;
  count_request.set_collection(collection);
  vecdb::v1::CountResponse count;
  auto context = NewContext();
  if (absl::Status s =
          FromGrpc(stub.Count(context.get(), count_request, &count), "Count");
      !s.ok()) {
    return s;
  }
  if (count.count() != live.size()) {
    problems.Add(absl::StrCat("Count is ", count.count(), ", expected ",
                              live.size(), " live ids"));
  }

  absl::flat_hash_set<std::string> seen;
  std::string cursor;
  // Bounded: every page but the last holds at least one point.
  for (size_t page = 0; page <= live.size() + 1; ++page) {
    vecdb::v1::ScrollRequest request;
    request.set_collection(collection);
    request.set_cursor(cursor);
    request.set_limit(kScrollLimit);
    vecdb::v1::ScrollResponse response;
    auto scroll_context = NewContext();
    if (absl::Status s = FromGrpc(
            stub.Scroll(scroll_context.get(), request, &response), "Scroll");
        !s.ok()) {
      return s;
    }
    for (const Point& p : response.points()) {
      if (!seen.insert(p.id()).second) {
        problems.Add(absl::StrCat("Scroll returned ", p.id(), " twice"));
      } else if (!live.contains(p.id())) {
        problems.Add(absl::StrCat("Scroll returned unexpected id ", p.id()));
      }
    }
    if (response.next_cursor().empty()) break;
    if (response.points().empty()) {
      problems.Add("Scroll returned an empty page with a cursor");
      break;
    }
    cursor = response.next_cursor();
  }
  for (const std::string& id : live) {
    if (!seen.contains(id)) problems.Add(absl::StrCat("Scroll missed ", id));
  }
  return absl::OkStatus();
}

// Indices of `points` whose own-vector query (k=10, `ef`) misses them.
absl::StatusOr<std::vector<size_t>> SelfQueryMisses(
    VectorDB::Stub& stub, const std::string& collection,
    const std::vector<std::pair<std::string, std::vector<float>>>& points,
    const std::vector<size_t>& which, uint32_t ef) {
  std::vector<size_t> misses;
  for (size_t begin = 0; begin < which.size(); begin += kQueryBatch) {
    const size_t end = std::min(which.size(), begin + kQueryBatch);
    vecdb::v1::QueryRequest request;
    request.set_collection(collection);
    request.set_k(10);
    request.set_ef(ef);
    request.mutable_include()->set_distance(true);
    for (size_t i = begin; i < end; ++i) {
      const std::vector<float>& v = points[which[i]].second;
      request.add_queries()->mutable_values()->Add(v.begin(), v.end());
    }
    vecdb::v1::QueryResponse response;
    auto context = NewContext();
    if (absl::Status s =
            FromGrpc(stub.Query(context.get(), request, &response), "Query");
        !s.ok()) {
      return s;
    }
    if (response.results_size() != static_cast<int>(end - begin)) {
      return absl::DataLossError(
          absl::StrCat("Query of ", end - begin, " vectors returned ",
                       response.results_size(), " results"));
    }
    for (size_t i = begin; i < end; ++i) {
      const std::string& id = points[which[i]].first;
      const auto& hits = response.results(i - begin).hits();
      const bool hit =
          std::any_of(hits.begin(), hits.end(), [&](const auto& h) {
            return h.point().id() == id &&
                   std::fabs(h.distance()) <= kSelfDistance;
          });
      if (!hit) misses.push_back(which[i]);
    }
  }
  return misses;
}

}  // namespace

std::string VerifyReport::InFlightSummary() const {
  std::vector<std::string> parts;
  for (size_t w = 0; w < in_flight.size(); ++w) {
    std::string outcome;
    switch (in_flight[w]) {
      case InFlightOutcome::kNone:
        outcome = "";
        break;
      case InFlightOutcome::kApplied:
        outcome = "=applied";
        break;
      case InFlightOutcome::kNotApplied:
        outcome = "=not-applied";
        break;
      case InFlightOutcome::kEither:
        outcome = "=either";
        break;
    }
    parts.push_back(absl::StrCat("w", w, " ", in_flight_ops[w], outcome));
  }
  return absl::StrJoin(parts, " ");
}

absl::StatusOr<size_t> CheckSelfQueries(
    VectorDB::Stub& stub, const std::string& collection,
    const std::vector<std::pair<std::string, std::vector<float>>>& points) {
  std::vector<size_t> all(points.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  absl::StatusOr<std::vector<size_t>> misses =
      SelfQueryMisses(stub, collection, points, all, /*ef=*/0);
  if (!misses.ok()) return misses.status();
  if (misses->empty()) return 0;
  // HNSW is approximate: a miss at the default ef that a wide search finds is
  // not lost data.
  const size_t retried = misses->size();
  misses = SelfQueryMisses(stub, collection, points, *misses, /*ef=*/1000);
  if (!misses.ok()) return misses.status();
  Problems problems;
  for (size_t i : *misses) {
    problems.Add(
        absl::StrCat("self-query (k=10, ef=1000) misses ", points[i].first));
  }
  if (absl::Status s = problems.ToStatus(); !s.ok()) return s;
  return retried;
}

absl::StatusOr<VerifyReport> VerifyCollection(
    VectorDB::Stub& stub, const std::string& collection, uint32_t dim,
    std::vector<WriterState>& writers) {
  VerifyReport report;
  for (WriterState& writer : writers) {
    report.in_flight_ops.push_back(
        writer.in_flight().has_value() ? DescribeOp(*writer.in_flight()) : "-");
    absl::StatusOr<InFlightOutcome> outcome =
        ResolveInFlight(stub, collection, dim, writer);
    if (!outcome.ok()) return outcome.status();
    report.in_flight.push_back(*outcome);
  }
  Problems problems;
  if (absl::Status s = CheckPoints(stub, collection, dim, writers, problems);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCountAndScroll(stub, collection, writers, problems);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = problems.ToStatus(); !s.ok()) return s;

  std::vector<std::pair<std::string, std::vector<float>>> live;
  for (const WriterState& writer : writers) {
    for (uint32_t key = 0; key < writer.keyspace(); ++key) {
      if (const uint32_t v = writer.AckedVersion(key); v != 0) {
        live.emplace_back(writer.Id(key), ModelVector(writer.Id(key), v, dim));
      }
    }
  }
  report.live = live.size();
  absl::StatusOr<size_t> retries = CheckSelfQueries(stub, collection, live);
  if (!retries.ok()) return retries.status();
  report.self_query_retries = *retries;
  return report;
}

}  // namespace vecdb::testing
