#include "eval/judgments.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "eval/metrics.h"
#include "tests/testing/test_data.h"

namespace vecdb::eval {
namespace {

std::string WriteFile(const testing::TempDir& dir, const std::string& name,
                      const std::string& text) {
  const std::string path = dir.path() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST_CASE("SMART judgments: every listed pair is relevant, CRLF accepted",
          "[eval]") {
  testing::TempDir dir;
  const auto path =
      WriteFile(dir, "x.REL", "1 13 1\r\n1 14 1\r\n\r\n2 7 0 0.0\r\n");
  auto judgments = LoadJudgments(path, JudgmentFormat::kSmart);
  REQUIRE(judgments.ok());
  REQUIRE(judgments->size() == 2);
  CHECK(judgments->at("1") == std::set<std::string>{"13", "14"});
  CHECK(judgments->at("2") == std::set<std::string>{"7"});
}

TEST_CASE("TREC qrels: relevance above zero counts", "[eval]") {
  testing::TempDir dir;
  const auto path = WriteFile(dir, "q.txt",
                              "q1 0 d1 1\nq1 0 d2 0\nq1 0 d3 2\nq2 0 d9 1\n");
  auto judgments = LoadJudgments(path, JudgmentFormat::kTrec);
  REQUIRE(judgments.ok());
  CHECK(judgments->at("q1") == std::set<std::string>{"d1", "d3"});
  CHECK(judgments->at("q2") == std::set<std::string>{"d9"});
}

TEST_CASE("Malformed judgment lines name the file and line", "[eval]") {
  testing::TempDir dir;
  auto smart = LoadJudgments(WriteFile(dir, "a", "1 2\n3\n"),
                             JudgmentFormat::kSmart);
  REQUIRE(smart.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(smart.status().message()).find(":2: ") !=
        std::string::npos);
  auto trec = LoadJudgments(WriteFile(dir, "b", "q1 0 d1 x\n"),
                            JudgmentFormat::kTrec);
  CHECK(trec.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(LoadJudgments(dir.path() + "/missing", JudgmentFormat::kSmart)
            .status()
            .code() == absl::StatusCode::kNotFound);
}

TEST_CASE("Measures over string ids match hand-computed values", "[eval]") {
  const std::set<std::string> relevant = {"a", "c", "f"};
  const std::vector<std::string> ranked = {"a", "b", "c", "d"};
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) + 1/log2(4).
  const double ideal = 1.0 + 1.0 / std::log2(3.0) + 0.5;
  CHECK(NdcgAtK(ranked, relevant, 10) == Approx(1.5 / ideal));
  CHECK(RecallAtK(ranked, relevant, 2) == Approx(1.0 / 3.0));
  CHECK(ReciprocalRank(std::vector<std::string>{"x", "c"}, relevant) ==
        Approx(0.5));
}

}  // namespace
}  // namespace vecdb::eval
