// End to end: the real `vecdb` binary, run as a child process against an
// in-process server.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/readers.h"
#include "tests/cli/run_vecdb.h"
#include "tests/clients/test_server.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using Json = nlohmann::json;
using testing::Contains;
using testing::ParseJson;
using testing::RunResult;
using testing::RunVecdb;
using testing::TempDir;
using testing::TestServer;

std::string JoinCommas(const std::vector<float>& vector) {
  std::string text;
  for (float value : vector) {
    if (!text.empty()) text += ",";
    text += std::to_string(value);
  }
  return text;
}

const std::string& Sift5kPath() {
  static const std::string path =
      testing::SharedDataDir() + "/sift5k/sift-dataset-5k.tsv";
  return path;
}

TEST_CASE("vecdb: create, upsert sift5k, query, describe, get, delete, drop",
          "[cli]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };

  RunResult created = run({"create", "sift", "--dim", "128", "--metric", "l2",
                           "--ef-construction", "100"});
  CHECK(created.exit_code == 0);
  CHECK(created.out == "created collection sift (dimension 128, metric l2)\n");

  RunResult upserted = run(
      {"--json", "upsert", "sift", "--tsv", Sift5kPath(), "--batch", "1000"});
  Json upsert_json = ParseJson(upserted);
  CHECK(upsert_json["upserted"] == 5000);
  CHECK(upserted.err.empty());  // no progress bar: stdout is not a terminal

  auto rows = cli::ReadTsv(Sift5kPath(), 128);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 5000);
  for (size_t row : {0, 42, 4999}) {
    Json query =
        ParseJson(run({"query", "sift", "--vector", JoinCommas((*rows)[row]),
                       "--k", "3", "--json"}));
    REQUIRE(query["results"].size() == 1);
    const Json& hits = query["results"][0]["hits"];
    REQUIRE(hits.size() == 3);
    CHECK(hits[0]["distance"].get<double>() == Approx(0).margin(1e-4));
    // A duplicate vector could tie at distance 0; any hit at 0 is a copy.
    const std::string id = hits[0]["id"].get<std::string>();
    CHECK((*rows)[std::stoul(id)] == (*rows)[row]);
  }

  Json batch = ParseJson(run({"--json", "query", "sift", "--tsv", Sift5kPath(),
                              "--limit-queries", "3", "--k", "1"}));
  REQUIRE(batch["results"].size() == 3);
  CHECK(batch["results"][2]["hits"][0]["distance"].get<double>() ==
        Approx(0).margin(1e-4));

  Json described = ParseJson(run({"describe", "sift", "--json"}));
  CHECK(described["count"] == 5000);
  CHECK(described["dimension"] == 128);
  CHECK(described["metric"] == "l2");
  CHECK(described["hnsw"]["ef_construction"] == 100);
  RunResult human = run({"describe", "sift"});
  CHECK(human.exit_code == 0);
  CHECK(Contains(human.out, "name                  sift\n"));
  CHECK(Contains(human.out, "count                 5000\n"));

  Json got = ParseJson(
      run({"get", "sift", "42", "missing", "--include", "vector", "--json"}));
  REQUIRE(got["points"].size() == 1);
  CHECK(got["points"][0]["id"] == "42");
  CHECK(got["points"][0]["vector"].get<std::vector<float>>() == (*rows)[42]);
  CHECK(got["missing_ids"] == Json::array({"missing"}));

  Json deleted = ParseJson(run({"--json", "delete", "sift", "42", "43", "x"}));
  CHECK(deleted["deleted"] == 2);
  Json stats = ParseJson(run({"--json", "stats", "sift"}));
  CHECK(stats["count"] == 4998);
  CHECK(stats["index_slots"].get<uint64_t>() >= 5000);

  RunResult dropped = run({"drop", "sift"});
  CHECK(dropped.exit_code == 0);
  CHECK(dropped.out == "dropped collection sift\n");
  RunResult gone = run({"describe", "sift"});
  CHECK(gone.exit_code == 1);
  CHECK(gone.out.empty());
  CHECK(gone.err == "error: collection \"sift\" not found (NOT_FOUND)\n");
}

TEST_CASE("vecdb: JSONL upsert and table output", "[cli]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  const std::string jsonl = dir.path() + "/points.jsonl";
  std::ofstream(jsonl)
      << R"({"id": "a", "vector": [1, 0], "metadata": {"lang": "en"}, "document": "alpha"})"
      << "\n"
      << R"({"id": "bb", "vector": [0, 1]})"
      << "\n";

  REQUIRE(run({"create", "docs", "--dim", "2"}).exit_code == 0);
  RunResult upserted = run({"upsert", "docs", "--jsonl", jsonl});
  CHECK(upserted.exit_code == 0);
  CHECK(Contains(upserted.out, "upserted 2 points into docs"));

  RunResult list = run({"list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out ==
        "NAME  DIMENSION  METRIC  COUNT\n"
        "docs  2          cosine  2\n");

  RunResult got =
      run({"get", "docs", "a", "bb", "--include", "metadata,document"});
  CHECK(got.exit_code == 0);
  CHECK(got.out ==
        "ID  DOCUMENT  METADATA\n"
        "a   alpha     {\"lang\":\"en\"}\n"
        "bb\n");

  RunResult query = run({"query", "docs", "--vector", "1,0", "--k", "2"});
  CHECK(query.exit_code == 0);
  CHECK(Contains(query.out, "RANK  ID  DISTANCE\n1     a   0\n2     bb  1\n"));
}

TEST_CASE("vecdb: errors exit 1 with the server's message and code", "[cli]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  REQUIRE(run({"create", "docs", "--dim", "4"}).exit_code == 0);

  RunResult duplicate = run({"create", "docs", "--dim", "4"});
  CHECK(duplicate.exit_code == 1);
  CHECK(duplicate.err ==
        "error: collection \"docs\" already exists (ALREADY_EXISTS)\n");

  RunResult wrong_dim = run({"query", "docs", "--vector", "1,2"});
  CHECK(wrong_dim.exit_code == 1);
  CHECK(Contains(wrong_dim.err, "expected dimension 4, got 2"));
  CHECK(Contains(wrong_dim.err, "(INVALID_ARGUMENT)\n"));

  const std::string tsv = dir.path() + "/bad.tsv";
  std::ofstream(tsv) << "1\t2\t3\t4\n1\t2\tx\t4\n";
  RunResult bad_file = run({"upsert", "docs", "--tsv", tsv});
  CHECK(bad_file.exit_code == 1);
  CHECK(bad_file.err ==
        "error: " + tsv +
            ":2: field 3: 'x' is not a number (INVALID_ARGUMENT)\n");

  RunResult unreachable = RunVecdb(dir, {"--server", "127.0.0.1:1", "list"});
  CHECK(unreachable.exit_code == 1);
  CHECK(Contains(unreachable.err, "(UNAVAILABLE)\n"));
}

TEST_CASE("vecdb: usage errors exit 2 with a usage line", "[cli]") {
  TempDir dir;
  RunResult unknown = RunVecdb(dir, {"list", "--bogus"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "error: unknown option '--bogus'\n"
        "usage: vecdb [--server ADDR] [--json] list\n");

  RunResult no_dim = RunVecdb(dir, {"create", "docs"});
  CHECK(no_dim.exit_code == 2);
  CHECK(Contains(no_dim.err, "error: --dim is required\nusage: vecdb"));

  RunResult two_sources =
      RunVecdb(dir, {"upsert", "docs", "--tsv", "a", "--fvecs", "b"});
  CHECK(two_sources.exit_code == 2);
  CHECK(Contains(two_sources.err,
                 "error: only one of --jsonl, --fvecs, --tsv may be given"));

  RunResult bad_metric =
      RunVecdb(dir, {"create", "d", "--dim", "2", "--metric", "dot"});
  CHECK(bad_metric.exit_code == 2);
  CHECK(Contains(bad_metric.err,
                 "--metric: expected cosine, l2 or ip, got 'dot'"));

  RunResult help = RunVecdb(dir, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(Contains(help.out, "query NAME (--vector"));
}

// Points p00..p29 at (i, 0): from the query (0, 0) they rank in id order.
// lang en / de / fr by i % 3, year 2000 + i % 5, documents "heart attack
// report" (even i) or "sunny weather" (odd i).
std::string WriteFilterPoints(const TempDir& dir) {
  const std::string path = dir.path() + "/filter_points.jsonl";
  std::ofstream out(path);
  static const char* kLangs[] = {"en", "de", "fr"};
  for (int i = 0; i < 30; ++i) {
    Json point = {
        {"id", (i < 10 ? "p0" : "p") + std::to_string(i)},
        {"vector", {i, 0}},
        {"metadata", {{"lang", kLangs[i % 3]}, {"year", 2000 + i % 5}}},
        {"document", i % 2 == 0 ? "heart attack report" : "sunny weather"}};
    out << point.dump() << "\n";
  }
  return path;
}

std::vector<std::string> HitIds(const Json& hits) {
  std::vector<std::string> ids;
  for (const Json& hit : hits) ids.push_back(hit["id"].get<std::string>());
  return ids;
}

TEST_CASE("vecdb: --filter on query, count, scroll, get and delete",
          "[cli][filter]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  REQUIRE(run({"create", "docs", "--dim", "2", "--metric", "l2"}).exit_code ==
          0);
  REQUIRE(
      run({"upsert", "docs", "--jsonl", WriteFilterPoints(dir)}).exit_code ==
      0);
  const std::string en = R"({"field":"lang","op":"eq","value":"en"})";

  Json query = ParseJson(run({"--json", "query", "docs", "--vector", "0,0",
                              "--k", "4", "--filter", en}));
  CHECK(HitIds(query["results"][0]["hits"]) ==
        std::vector<std::string>{"p00", "p03", "p06", "p09"});
  Json all_en = ParseJson(run({"--json", "query", "docs", "--vector", "0,0",
                               "--k", "50", "--filter", en}));
  CHECK(all_en["results"][0]["hits"].size() == 10);

  RunResult count = run({"count", "docs", "--filter", en});
  CHECK(count.exit_code == 0);
  CHECK(count.out == "10\n");
  CHECK(run({"count", "docs"}).out == "30\n");
  CHECK(ParseJson(run(
            {"--json", "count", "docs", "--filter",
             R"({"field":"year","op":"in","values":[2001,2002]})"}))["count"] ==
        12);

  // en and year >= 2002: i in {3, 9, 12, 18, 24, 27}.
  const std::string en_late =
      R"({"all_of":[)" + en + R"(,{"field":"year","op":"gte","value":2002}]})";
  Json page = ParseJson(
      run({"--json", "scroll", "docs", "--filter", en_late, "--limit", "4"}));
  CHECK(HitIds(page["points"]) ==
        std::vector<std::string>{"p03", "p09", "p12", "p18"});
  CHECK(page["next_cursor"] == "p18");
  Json rest = ParseJson(run({"--json", "scroll", "docs", "--filter", en_late,
                             "--cursor", "p18", "--limit", "4"}));
  CHECK(HitIds(rest["points"]) == std::vector<std::string>{"p24", "p27"});
  CHECK(rest["next_cursor"] == "");
  RunResult table = run({"scroll", "docs", "--filter", en_late, "--limit", "2",
                         "--include", "metadata"});
  CHECK(table.exit_code == 0);
  CHECK(table.out ==
        "ID   METADATA\n"
        "p03  {\"lang\":\"en\",\"year\":2003}\n"
        "p09  {\"lang\":\"en\",\"year\":2004}\n"
        "next cursor: p09\n");

  Json got = ParseJson(
      run({"--json", "get", "docs", "p00", "p01", "zz", "--filter", en}));
  CHECK(HitIds(got["points"]) == std::vector<std::string>{"p00"});
  CHECK(got["missing_ids"] == Json::array({"zz"}));

  RunResult deleted =
      run({"delete", "docs", "--filter", R"({"not":)" + en + "}"});
  CHECK(deleted.exit_code == 0);
  CHECK(Contains(deleted.out, "deleted 20 points matching the filter"));
  CHECK(run({"count", "docs"}).out == "10\n");
  Json by_ids =
      ParseJson(run({"--json", "delete", "docs", "p00", "p03", "--filter",
                     R"({"field":"year","op":"eq","value":2003})"}));
  CHECK(by_ids["deleted"] == 1);
  CHECK(run({"count", "docs"}).out == "9\n");
}

TEST_CASE("vecdb: text and hybrid queries, --explain", "[cli][text]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  REQUIRE(run({"create", "docs", "--dim", "2", "--metric", "l2"}).exit_code ==
          0);
  REQUIRE(
      run({"upsert", "docs", "--jsonl", WriteFilterPoints(dir)}).exit_code ==
      0);

  Json text = ParseJson(run({"--json", "query", "docs", "--text",
                             "heart attack", "--k", "5", "--explain"}));
  const Json& text_hits = text["results"][0]["hits"];
  REQUIRE(text_hits.size() == 5);
  for (const Json& hit : text_hits) {
    CHECK(std::stoi(hit["id"].get<std::string>().substr(1)) % 2 == 0);
    CHECK(hit["score"].get<double>() > 0);
    CHECK_FALSE(hit.contains("distance"));
  }
  CHECK(text["results"][0]["explain"]["path"] == "text");
  CHECK(text["results"][0]["explain"]["postings_scored"].get<uint64_t>() > 0);

  RunResult text_table =
      run({"query", "docs", "--text", "sunny", "--k", "2", "--explain",
           "--filter", R"({"field":"lang","op":"eq","value":"de"})"});
  CHECK(text_table.exit_code == 0);
  CHECK(Contains(text_table.out, "RANK  ID   SCORE\n1     p"));
  CHECK(Contains(text_table.out, "explain:\n  path                   text\n"));

  Json hybrid = ParseJson(
      run({"--json", "query", "docs", "--vector", "1,0", "--text",
           "heart attack", "--k", "5", "--rrf-k", "10", "--explain"}));
  const Json& hits = hybrid["results"][0]["hits"];
  REQUIRE(hits.size() == 5);
  // p01 is nearest (vector rank 1) but has no "heart attack"; p00 and p02
  // are in both rankings.
  for (const Json& hit : hits) {
    const auto vector_rank = hit["vector_rank"].get<uint32_t>();
    const auto text_rank = hit["text_rank"].get<uint32_t>();
    const double expected = (vector_rank > 0 ? 1.0 / (10 + vector_rank) : 0) +
                            (text_rank > 0 ? 1.0 / (10 + text_rank) : 0);
    CHECK(hit["score"].get<double>() == Approx(expected).epsilon(1e-4));
    CHECK(hit.contains("distance") == (vector_rank > 0));
    CHECK(hit.contains("text_score") == (text_rank > 0));
  }
  CHECK(hits[0]["vector_rank"].get<uint32_t>() > 0);
  CHECK(hits[0]["text_rank"].get<uint32_t>() > 0);
  CHECK(hybrid["results"][0]["explain"]["path"] == "graph");

  RunResult hybrid_table = run({"query", "docs", "--vector", "1,0", "--text",
                                "heart attack", "--k", "3"});
  CHECK(hybrid_table.exit_code == 0);
  CHECK(Contains(hybrid_table.out, "RANK  ID   SCORE"));
  CHECK(Contains(hybrid_table.out,
                 "DISTANCE  VECTOR_RANK  TEXT_RANK  TEXT_SCORE\n"));
  CHECK_FALSE(Contains(hybrid_table.out, "explain:"));
}

TEST_CASE(
    "vecdb: a malformed filter exits 2 naming the JSON path, a bad one "
    "1 naming the node",
    "[cli][filter]") {
  TestServer server;
  TempDir dir;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  REQUIRE(run({"create", "docs", "--dim", "2"}).exit_code == 0);

  RunResult malformed =
      run({"count", "docs", "--filter", R"({"all_of":[{"not":7}]})"});
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.err ==
        "error: --filter: filter.all_of[0].not: expected an object, got "
        "number\nusage: vecdb [--server ADDR] [--json] count NAME "
        "[--filter JSON]\n");
  RunResult not_json =
      run({"query", "docs", "--vector", "1,0", "--filter", "{lang: en}"});
  CHECK(not_json.exit_code == 2);
  CHECK(Contains(not_json.err, "error: --filter: filter: not valid JSON\n"));

  RunResult rejected = run({"count", "docs", "--filter",
                            R"({"not":{"field":"","op":"eq","value":1}})"});
  CHECK(rejected.exit_code == 1);
  CHECK(Contains(rejected.err, "filter.negate.field.field"));
  CHECK(Contains(rejected.err, "(INVALID_ARGUMENT)\n"));

  RunResult nothing = run({"delete", "docs"});
  CHECK(nothing.exit_code == 2);
  CHECK(Contains(nothing.err, "error: give ids to delete, --filter, or both"));
  RunResult not_hybrid =
      run({"query", "docs", "--vector", "1,0", "--rrf-k", "5"});
  CHECK(not_hybrid.exit_code == 2);
  CHECK(Contains(not_hybrid.err, "--rrf-k applies to hybrid queries only"));
  RunResult no_source = run({"query", "docs", "--explain"});
  CHECK(no_source.exit_code == 2);
  CHECK(Contains(no_source.err,
                 "one of --vector, --fvecs, --tsv, --text is required"));
}

TEST_CASE("vecdb: VECDB_SERVER selects the server", "[cli]") {
  TestServer server;
  TempDir dir;
  RunResult listed =
      RunVecdb(dir, {"--json", "list"}, {"VECDB_SERVER=" + server.address()});
  Json json = ParseJson(listed);
  CHECK(json["collections"] == Json::array());
}

}  // namespace
}  // namespace vecdb
