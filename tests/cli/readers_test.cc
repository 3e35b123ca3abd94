#include "cli/readers.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "tests/testing/test_data.h"

namespace vecdb::cli {
namespace {

using testing::TempDir;

std::string WriteFile(const TempDir& dir, const std::string& name,
                      const std::string& content) {
  const std::string path = dir.path() + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// fvecs bytes: per vector, int32 dimension then the floats (little endian,
// as on the x86/ARM hosts we run on).
std::string Fvecs(const std::vector<std::vector<float>>& vectors) {
  std::string bytes;
  for (const auto& vector : vectors) {
    const int32_t dim = static_cast<int32_t>(vector.size());
    bytes.append(reinterpret_cast<const char*>(&dim), 4);
    bytes.append(reinterpret_cast<const char*>(vector.data()),
                 4 * vector.size());
  }
  return bytes;
}

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

TEST_CASE("ReadJsonl reads points with every metadata type", "[cli]") {
  TempDir dir;
  const std::string path =
      WriteFile(dir, "in.jsonl",
                R"({"id": "a", "vector": [1, 2.5, -3], "document": "hello",)"
                R"( "metadata": {"s": "x", "i": 7, "d": 0.25, "b": false,)"
                R"( "l": ["p", "q"]}})"
                "\n\n"
                R"({"id": "b", "vector": [0, 0, 1e-3]})"
                "\n");
  auto points = ReadJsonl(path);
  REQUIRE(points.ok());
  REQUIRE(points->size() == 2);
  const Point& a = (*points)[0];
  CHECK(a.id == "a");
  CHECK(a.vector == std::vector<float>{1, 2.5f, -3});
  CHECK(a.document == "hello");
  CHECK(a.metadata.at("s") == MetadataValue(std::string("x")));
  CHECK(a.metadata.at("i") == MetadataValue(int64_t{7}));
  CHECK(a.metadata.at("d") == MetadataValue(0.25));
  CHECK(a.metadata.at("b") == MetadataValue(false));
  CHECK(a.metadata.at("l") ==
        MetadataValue(std::vector<std::string>{"p", "q"}));
  const Point& b = (*points)[1];
  CHECK(b.id == "b");
  CHECK(b.vector.size() == 3);
  CHECK(b.metadata.empty());
  CHECK_FALSE(b.document.has_value());
}

TEST_CASE("ReadJsonl names file and line of a malformed record", "[cli]") {
  TempDir dir;
  const std::string good = R"({"id": "ok", "vector": [1]})";
  struct Case {
    std::string line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"[1, 2]", "expected a JSON object, got array"},
      {"{\"id\": \"x\", \"vector\": ", "not valid JSON"},
      {R"({"id": "x", "vector": "1,2"})",
       "vector: must be an array of numbers"},
      {R"({"id": "x", "vector": [1, "2"]})",
       "vector[1]: must be a number, got string"},
      {R"({"id": "x", "vector": [1e300]})", "vector[0]: out of float range"},
      {R"({"vector": [1]})", "id: missing"},
      {R"({"id": 3, "vector": [1]})", "id: must be a string"},
      {R"({"id": "x"})", "vector: missing"},
      {R"({"id": "x", "vector": [1], "vectors": [1]})",
       "unknown key \"vectors\" (expected id, vector, metadata, document)"},
      {R"({"id": "x", "vector": [1], "metadata": [1]})",
       "metadata: must be an object"},
      {R"({"id": "x", "vector": [1], "metadata": {"k": null}})",
       "metadata.k: unsupported value type null (expected string, number, "
       "boolean or array of strings)"},
      {R"({"id": "x", "vector": [1], "metadata": {"k": [1]}})",
       "metadata.k: a list may hold only strings"},
      {R"({"id": "x", "vector": [1], "document": 5})",
       "document: must be a string"},
  };
  for (const Case& c : cases) {
    const std::string path =
        WriteFile(dir, "bad.jsonl", good + "\n" + c.line + "\n");
    auto points = ReadJsonl(path);
    INFO(c.line);
    CHECK(points.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(points.status().message() == path + ":2: " + c.message);
  }
}

TEST_CASE("ReadFvecs reads vectors and honours the limit", "[cli]") {
  TempDir dir;
  const std::string path =
      WriteFile(dir, "in.fvecs", Fvecs({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
  auto all = ReadFvecs(path);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK((*all)[2] == std::vector<float>{7, 8, 9});

  auto two = ReadFvecs(path, 2);
  REQUIRE(two.ok());
  CHECK(two->size() == 2);

  auto empty = ReadFvecs(WriteFile(dir, "empty.fvecs", ""));
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("ReadFvecs rejects truncated and inconsistent files", "[cli]") {
  TempDir dir;
  std::string bytes = Fvecs({{1, 2, 3}, {4, 5, 6}});

  const std::string cut_floats =
      WriteFile(dir, "a.fvecs", bytes.substr(0, bytes.size() - 2));
  auto truncated = ReadFvecs(cut_floats);
  CHECK(truncated.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(truncated.status().message() ==
        cut_floats +
            ": vector 1 at byte 16: truncated (10 bytes left, expected 12)");

  const std::string cut_header = WriteFile(
      dir, "b.fvecs", bytes.substr(0, 16) + std::string("\x03\x00", 2));
  CHECK(ReadFvecs(cut_header).status().message() ==
        cut_header +
            ": vector 1 at byte 16: truncated (2 bytes left, expected a "
            "4-byte dimension)");

  const std::string mixed =
      WriteFile(dir, "c.fvecs", Fvecs({{1, 2, 3}, {4, 5}}));
  CHECK(ReadFvecs(mixed).status().message() ==
        mixed +
            ": vector 1 at byte 16: dimension 2 differs from the first "
            "vector's 3");

  const std::string negative =
      WriteFile(dir, "d.fvecs", std::string("\xff\xff\xff\xff", 4));
  CHECK(ReadFvecs(negative).status().message() ==
        negative + ": vector 0 at byte 0: dimension -1 outside 1..4096");

  auto missing = ReadFvecs(dir.path() + "/nope.fvecs");
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK(Contains(missing.status().message(), "nope.fvecs: cannot open file"));
}

TEST_CASE("ReadTsv reads rows, ignoring columns past the dimension", "[cli]") {
  TempDir dir;
  const std::string path =
      WriteFile(dir, "in.tsv", "1\t2\t3\t100001\r\n\n4\t5.5\t-6\t100002\n");
  auto exact = ReadTsv(path);
  REQUIRE(exact.ok());
  REQUIRE(exact->size() == 2);
  CHECK((*exact)[0] == std::vector<float>{1, 2, 3, 100001});

  auto three = ReadTsv(path, 3);
  REQUIRE(three.ok());
  REQUIRE(three->size() == 2);
  CHECK((*three)[1] == std::vector<float>{4, 5.5f, -6});

  auto limited = ReadTsv(path, 3, 1);
  REQUIRE(limited.ok());
  CHECK(limited->size() == 1);
}

TEST_CASE("ReadTsv names file and line of a malformed row", "[cli]") {
  TempDir dir;
  const std::string text = WriteFile(dir, "a.tsv", "1\t2\t3\n1\t2\tabc\n");
  auto bad = ReadTsv(text);
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(bad.status().message() == text + ":2: field 3: 'abc' is not a number");

  const std::string short_row = WriteFile(dir, "b.tsv", "1\t2\t3\n\n1\t2\n");
  CHECK(ReadTsv(short_row).status().message() ==
        short_row + ":3: expected 3 values, got 2");
  CHECK(ReadTsv(short_row, 3).status().message() ==
        short_row + ":3: expected 3 values, got 2");

  const std::string long_row = WriteFile(dir, "c.tsv", "1\t2\n1\t2\t3\n");
  CHECK(ReadTsv(long_row).status().message() ==
        long_row + ":2: expected 2 values, got 3");

  const std::string empty_field = WriteFile(dir, "d.tsv", "1\t\t3\n");
  CHECK(ReadTsv(empty_field).status().message() ==
        empty_field + ":1: field 2: '' is not a number");

  const std::string nan = WriteFile(dir, "e.tsv", "1\tnan\n");
  CHECK(ReadTsv(nan).status().message() ==
        nan + ":1: field 2: 'nan' is not a finite number");
}

TEST_CASE("ParseVectorText and PointsFromVectors", "[cli]") {
  auto vector = ParseVectorText("0.5, -1,2e1");
  REQUIRE(vector.ok());
  CHECK(*vector == std::vector<float>{0.5f, -1, 20});
  CHECK(ParseVectorText("1,,2").status().message() ==
        "vector element 2: '' is not a number");
  CHECK(ParseVectorText("").status().message() == "vector: empty");

  const std::vector<Point> points = PointsFromVectors({{1}, {2}, {3}}, "row-");
  REQUIRE(points.size() == 3);
  CHECK(points[0].id == "row-0");
  CHECK(points[2].id == "row-2");
  CHECK(points[2].vector == std::vector<float>{3});
}

}  // namespace
}  // namespace vecdb::cli
