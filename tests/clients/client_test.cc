// The client library against a real in-process server.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "tests/clients/test_server.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::RandomVectors;
using testing::TestServer;

std::unique_ptr<Client> ConnectTo(const TestServer& server,
                                  ClientOptions options = {}) {
  auto client = Client::Connect(server.address(), options);
  REQUIRE(client.ok());
  return *std::move(client);
}

// Points "p0".."p<n-1>" with random vectors of `dim` components.
std::vector<Point> MakePoints(size_t n, size_t dim, uint64_t seed) {
  std::vector<Point> points;
  auto vectors = RandomVectors(n, dim, seed);
  for (size_t i = 0; i < n; ++i) {
    points.push_back(
        {.id = "p" + std::to_string(i), .vector = std::move(vectors[i])});
  }
  return points;
}

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

TEST_CASE("Connect rejects bad options", "[client]") {
  CHECK(Client::Connect("", {}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Client::Connect("127.0.0.1:1", {.deadline = std::chrono::seconds(0)})
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(Client::Connect("127.0.0.1:1", {.max_message_bytes = 0})
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE(
    "An unreachable server is UNAVAILABLE, or DEADLINE_EXCEEDED when "
    "waiting for it",
    "[client]") {
  auto fail_fast = Client::Connect("127.0.0.1:1", {});
  REQUIRE(fail_fast.ok());
  CHECK((*fail_fast)->Count("c").status().code() ==
        absl::StatusCode::kUnavailable);

  auto waiting = Client::Connect(
      "127.0.0.1:1",
      {.deadline = std::chrono::milliseconds(200), .wait_for_ready = true});
  REQUIRE(waiting.ok());
  CHECK((*waiting)->Count("c").status().code() ==
        absl::StatusCode::kDeadlineExceeded);
}

TEST_CASE("Collections: create, get, list, drop", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);

  auto created = client->CreateCollection(
      "docs", 16, Metric::kL2,
      {.m = 8, .ef_construction = 50, .ef_search = 32});
  REQUIRE(created.ok());
  CHECK(created->name == "docs");
  CHECK(created->dimension == 16);
  CHECK(created->metric == Metric::kL2);
  CHECK(created->hnsw.m == 8);
  CHECK(created->hnsw.ef_construction == 50);
  CHECK(created->hnsw.ef_search == 32);
  CHECK(created->count == 0);
  CHECK(created->created_unix_ms > 0);

  REQUIRE(client->CreateCollection("alpha", 4, Metric::kCosine).ok());
  auto got = client->GetCollection("alpha");
  REQUIRE(got.ok());
  CHECK(got->dimension == 4);
  CHECK(got->metric == Metric::kCosine);
  CHECK(got->hnsw.m == 16);  // server default

  auto list = client->ListCollections();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].name == "alpha");
  CHECK((*list)[1].name == "docs");

  REQUIRE(client->DropCollection("alpha").ok());
  auto after = client->GetCollection("alpha");
  CHECK(after.status().code() == absl::StatusCode::kNotFound);
  CHECK(Contains(after.status().message(), "alpha"));
  REQUIRE(client->ListCollections().ok());
  CHECK(client->ListCollections()->size() == 1);
}

TEST_CASE("Collection errors carry the server's code and message", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 8, Metric::kL2).ok());

  auto duplicate = client->CreateCollection("docs", 8, Metric::kL2);
  CHECK(duplicate.status().code() == absl::StatusCode::kAlreadyExists);
  CHECK(Contains(duplicate.status().message(), "\"docs\" already exists"));

  auto bad_name = client->CreateCollection("no spaces", 8, Metric::kL2);
  CHECK(bad_name.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(bad_name.status().message(), "name"));

  auto bad_dim = client->CreateCollection("zero", 0, Metric::kL2);
  CHECK(bad_dim.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(bad_dim.status().message(), "dimension"));

  const absl::Status drop = client->DropCollection("missing");
  CHECK(drop.code() == absl::StatusCode::kNotFound);
  CHECK(Contains(drop.message(), "\"missing\" not found"));
  CHECK(client->Count("missing").status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(client->Upsert("missing", MakePoints(1, 8, 1)).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("Points: upsert, get, count, delete", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 3, Metric::kL2).ok());

  std::vector<Point> points = {
      {.id = "a",
       .vector = {1, 0, 0},
       .metadata = {{"lang", std::string("en")},
                    {"year", int64_t{2024}},
                    {"score", 0.5},
                    {"draft", true},
                    {"tags", std::vector<std::string>{"x", "y"}}},
       .document = "first"},
      {.id = "b", .vector = {0, 1, 0}},
      {.id = "c", .vector = {0, 0, 1}, .document = "third"},
  };
  auto upserted = client->Upsert("docs", points);
  REQUIRE(upserted.ok());
  CHECK(upserted->upserted == 3);
  CHECK(upserted->sequence > 0);
  REQUIRE(client->Count("docs").ok());
  CHECK(*client->Count("docs") == 3);

  auto all = client->Get("docs", {"c", "zzz", "a"},
                         {.vector = true, .metadata = true, .document = true});
  REQUIRE(all.ok());
  REQUIRE(all->points.size() == 2);
  CHECK(all->points[0] == points[2]);
  CHECK(all->points[1] == points[0]);
  CHECK(all->missing_ids == std::vector<std::string>{"zzz"});

  auto ids_only = client->Get("docs", {"a"});
  REQUIRE(ids_only.ok());
  REQUIRE(ids_only->points.size() == 1);
  CHECK(ids_only->points[0].id == "a");
  CHECK(ids_only->points[0].vector.empty());
  CHECK(ids_only->points[0].metadata.empty());
  CHECK_FALSE(ids_only->points[0].document.has_value());

  auto deleted = client->Delete("docs", {"b", "nope"});
  REQUIRE(deleted.ok());
  CHECK(deleted->deleted == 1);
  CHECK(deleted->sequence > upserted->sequence);
  CHECK(*client->Count("docs") == 2);

  auto wrong_dim = client->Upsert(
      "docs", {{.id = "d", .vector = {1, 2, 3}}, {.id = "e", .vector = {1}}});
  CHECK(wrong_dim.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(wrong_dim.status().message(),
                 "points[1].vector: expected dimension 3, got 1"));
  CHECK(*client->Count("docs") == 2);  // the request was atomic
}

TEST_CASE("Scroll pages through every point once in id order", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 4, Metric::kL2).ok());
  REQUIRE(client->Upsert("docs", MakePoints(250, 4, 7)).ok());

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = client->Scroll("docs", cursor, 100, {.vector = true});
    REQUIRE(page.ok());
    for (const Point& point : page->points) {
      CHECK(point.vector.size() == 4);
      seen.push_back(point.id);
    }
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty() && pages < 10);
  CHECK(pages == 3);
  CHECK(seen.size() == 250);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

TEST_CASE("Query finds stored vectors at distance 0", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 16, Metric::kL2).ok());
  std::vector<Point> points = MakePoints(300, 16, 3);
  points[5].document = "five";
  REQUIRE(client->Upsert("docs", points).ok());

  auto results = client->Query("docs", {points[5].vector, points[200].vector},
                               /*k=*/5, /*ef=*/100, {.document = true});
  REQUIRE(results.ok());
  REQUIRE(results->size() == 2);
  REQUIRE((*results)[0].size() == 5);
  CHECK((*results)[0][0].point.id == "p5");
  CHECK((*results)[0][0].point.document == "five");
  CHECK((*results)[0][0].distance == Approx(0).margin(1e-5));
  CHECK((*results)[0][1].distance >= (*results)[0][0].distance);
  CHECK((*results)[1][0].point.id == "p200");
  CHECK((*results)[0][0].point.vector.empty());

  auto bad_k = client->Query("docs", {points[0].vector}, 0);
  CHECK(bad_k.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(bad_k.status().message(), "k: must be in 1..1000"));

  auto bad_dim = client->Query("docs", {{1, 2}}, 3);
  CHECK(bad_dim.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(bad_dim.status().message(), "expected dimension 16, got 2"));
}

TEST_CASE("UpsertBatched splits the upload and reports progress", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 8, Metric::kL2).ok());
  const std::vector<Point> points = MakePoints(1050, 8, 11);

  std::vector<std::pair<size_t, size_t>> calls;
  auto result = client->UpsertBatched(
      "docs", points, 200,
      [&calls](size_t done, size_t total) { calls.emplace_back(done, total); });
  REQUIRE(result.ok());
  CHECK(result->upserted == 1050);
  CHECK(*client->Count("docs") == 1050);
  const std::vector<std::pair<size_t, size_t>> expected = {
      {200, 1050}, {400, 1050},  {600, 1050},
      {800, 1050}, {1000, 1050}, {1050, 1050}};
  CHECK(calls == expected);

  CHECK(client->UpsertBatched("docs", points, 0).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("UpsertBatched stops at the first failed batch", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 8, Metric::kL2).ok());
  std::vector<Point> points = MakePoints(1000, 8, 13);
  points[450].vector.resize(3);

  auto result = client->UpsertBatched("docs", points, 200);
  CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(Contains(result.status().message(), "batch of points 400..599"));
  CHECK(Contains(result.status().message(),
                 "points[50].vector: expected dimension 8, got 3"));
  CHECK(*client->Count("docs") == 400);
}

TEST_CASE("One client is shared by concurrent threads", "[client]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("docs", 8, Metric::kL2).ok());

  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::vector<absl::Status> statuses(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<Point> points = MakePoints(100, 8, 100 + t);
      for (Point& point : points) point.id += "-t" + std::to_string(t);
      statuses[t] = client->UpsertBatched("docs", points, 25).status();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const absl::Status& status : statuses) CHECK(status.ok());
  CHECK(*client->Count("docs") == 400);
}

}  // namespace
}  // namespace vecdb
