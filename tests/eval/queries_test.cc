#include "eval/queries.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "tests/testing/test_data.h"

namespace vecdb::eval {
namespace {

std::string WriteFile(const testing::TempDir& dir, const std::string& name,
                      const std::string& text) {
  const std::string path = dir.path() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST_CASE("SMART queries: the shared ADI.QRY by auto", "[eval][queries]") {
  auto queries = LoadQueries(testing::SharedDataDir() + "/adi/ADI.QRY");
  REQUIRE(queries.ok());
  REQUIRE(queries->size() == 35);
  CHECK(queries->front().id == "1");
  CHECK(queries->front().text.find("descriptive titles") != std::string::npos);
}

TEST_CASE("JSONL queries: string or integer ids", "[eval][queries]") {
  testing::TempDir dir;
  const auto path = WriteFile(dir, "q.jsonl",
                              "{\"id\": \"a\", \"text\": \"x < y & z\"}\r\n"
                              "\n"
                              "{\"id\": 7, \"text\": \"seven\", \"k\": 1}\n");
  for (auto format : {QueryFormat::kAuto, QueryFormat::kJsonl}) {
    auto queries = LoadQueries(path, format);
    REQUIRE(queries.ok());
    REQUIRE(queries->size() == 2);
    CHECK(queries->at(0).id == "a");
    CHECK(queries->at(0).text == "x < y & z");
    CHECK(queries->at(1).id == "7");
  }
}

TEST_CASE("TSV queries: the text is everything after the first tab",
          "[eval][queries]") {
  testing::TempDir dir;
  const auto path = WriteFile(dir, "q.tsv", "1\tfirst query\r\n2\ta\tb\n\n");
  for (auto format : {QueryFormat::kAuto, QueryFormat::kTsv}) {
    auto queries = LoadQueries(path, format);
    REQUIRE(queries.ok());
    REQUIRE(queries->size() == 2);
    CHECK(queries->at(0).text == "first query");
    CHECK(queries->at(1).text == "a\tb");
  }
}

TEST_CASE("Malformed query files name the file and line", "[eval][queries]") {
  testing::TempDir dir;
  struct Case {
    std::string text;
    QueryFormat format;
    std::string where;
  };
  const Case cases[] = {
      {"{\"id\": \"1\", \"text\": \"a\"}\n{\"id\": \"2\"}\n",
       QueryFormat::kAuto, ":2: needs"},
      {"{\"id\": \"1\", \"text\": \"a\"}\nnot json\n", QueryFormat::kJsonl,
       ":2: not a JSON object"},
      {"1\ta\n2 b\n", QueryFormat::kTsv, ":2: expected"},
      {"1\ta\n1\tb\n", QueryFormat::kTsv, ":2: query id \"1\" repeated"},
      {"1\t  \n", QueryFormat::kTsv, ":1: empty query text"},
      {"\tno id\n", QueryFormat::kTsv, ":1: empty query id"},
      {"\njust words\n", QueryFormat::kAuto, ":2: cannot tell"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string path = WriteFile(dir, "f" + std::to_string(n++), c.text);
    auto queries = LoadQueries(path, c.format);
    INFO(c.text);
    REQUIRE(queries.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(queries.status().message()).find(path + c.where) !=
          std::string::npos);
  }
  CHECK(LoadQueries(dir.path() + "/missing").status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(ParseQueryFormat("xml").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vecdb::eval
