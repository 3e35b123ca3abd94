#include "eval/judgments.h"

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

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST_CASE("SMART judgments: every listed pair is relevant, CRLF accepted",
          "[eval][judgments]") {
  testing::TempDir dir;
  const auto path =
      WriteFile(dir, "x.REL", "1 13 1\r\n1 14 1\r\n\r\n2 7 0 0.0\r\n");
  for (auto format : {JudgmentFormat::kSmart, JudgmentFormat::kAuto}) {
    auto judgments = LoadJudgments(path, format);
    REQUIRE(judgments.ok());
    REQUIRE(judgments->size() == 2);
    CHECK(judgments->at("1") == DocGrades{{"13", 1}, {"14", 1}});
    CHECK(judgments->at("2") == DocGrades{{"7", 1}});
  }
}

TEST_CASE("ADI's 4-column SMART lines are not read as TREC by auto",
          "[eval][judgments]") {
  testing::TempDir dir;
  const auto path = WriteFile(dir, "ADI.REL",
                              "1   17   0   0.000000   \r\n"
                              "1   46   0   0.000000   \r\n");
  auto judgments = LoadJudgments(path, JudgmentFormat::kAuto);
  REQUIRE(judgments.ok());
  CHECK(judgments->at("1") == DocGrades{{"17", 1}, {"46", 1}});
}

TEST_CASE("TREC qrels keep grades; auto picks TREC for 4 integer columns",
          "[eval][judgments]") {
  testing::TempDir dir;
  const auto path =
      WriteFile(dir, "q.txt", "q1 0 d1 1\nq1 0 d2 0\nq1 0 d3 2\nq2 Q0 d9 -1\n");
  for (auto format : {JudgmentFormat::kTrec, JudgmentFormat::kAuto}) {
    auto judgments = LoadJudgments(path, format);
    REQUIRE(judgments.ok());
    CHECK(judgments->at("q1") == DocGrades{{"d1", 1}, {"d2", 0}, {"d3", 2}});
    CHECK(judgments->at("q2") == DocGrades{{"d9", -1}});
    CHECK(RelevantCount(judgments->at("q1")) == 2);
    CHECK(RelevantCount(judgments->at("q2")) == 0);
  }
}

TEST_CASE("A UTF-8 byte order mark does not become part of the first id",
          "[eval][judgments]") {
  testing::TempDir dir;
  const auto trec = WriteFile(dir, "bom.txt", "\xEF\xBB\xBFq1 0 d1 1\n");
  auto judgments = LoadJudgments(trec, JudgmentFormat::kAuto);
  REQUIRE(judgments.ok());
  CHECK(judgments->count("q1") == 1);
  const auto jsonl = WriteFile(
      dir, "bom.jsonl",
      "\xEF\xBB\xBF{\"query_id\": \"q2\", \"doc_id\": \"d\"}\n");
  auto from_jsonl = LoadJudgments(jsonl, JudgmentFormat::kAuto);
  REQUIRE(from_jsonl.ok());
  CHECK(from_jsonl->at("q2") == DocGrades{{"d", 1}});
}

TEST_CASE("A repeated pair keeps its last grade", "[eval][judgments]") {
  testing::TempDir dir;
  auto judgments = LoadJudgments(WriteFile(dir, "q", "q 0 d 1\nq 0 d 3\n"),
                                 JudgmentFormat::kTrec);
  REQUIRE(judgments.ok());
  CHECK(judgments->at("q") == DocGrades{{"d", 3}});
}

TEST_CASE("JSONL judgments: string or integer ids, relevance default 1",
          "[eval][judgments]") {
  testing::TempDir dir;
  const auto path = WriteFile(
      dir, "q.jsonl",
      "\n  {\"query_id\": \"1\", \"doc_id\": \"13\", \"relevance\": 2}\n"
      "{\"query_id\": 1, \"doc_id\": 14, \"note\": \"x\"}\r\n"
      "{\"query_id\": \"2\", \"doc_id\": \"a b\", \"relevance\": 0}\n");
  for (auto format : {JudgmentFormat::kJsonl, JudgmentFormat::kAuto}) {
    auto judgments = LoadJudgments(path, format);
    REQUIRE(judgments.ok());
    CHECK(judgments->at("1") == DocGrades{{"13", 2}, {"14", 1}});
    CHECK(judgments->at("2") == DocGrades{{"a b", 0}});
  }
}

TEST_CASE("Malformed judgment lines name the file and line",
          "[eval][judgments]") {
  testing::TempDir dir;
  struct Case {
    std::string text;
    JudgmentFormat format;
    std::string where;
  };
  const Case cases[] = {
      {"1 2\n3\n", JudgmentFormat::kSmart, ":2: "},
      {"q1 0 d1 1\nq1 0 d1 x\n", JudgmentFormat::kTrec, ":2: relevance"},
      {"q1 0 d1 0.5\n", JudgmentFormat::kTrec, ":1: relevance"},
      {"q1 d1 1\n", JudgmentFormat::kTrec, ":1: expected"},
      {"{\"query_id\": \"1\", \"doc_id\": \"2\"}\n{oops\n",
       JudgmentFormat::kAuto, ":2: not a JSON object"},
      {"{\"query_id\": \"1\"}\n", JudgmentFormat::kJsonl, ":1: needs"},
      {"{\"query_id\": \"1\", \"doc_id\": \"2\", \"relevance\": \"high\"}\n",
       JudgmentFormat::kJsonl, ":1: \"relevance\""},
      {"{\"query_id\": 1.5, \"doc_id\": \"2\"}\n", JudgmentFormat::kJsonl,
       ":1: needs"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string path = WriteFile(dir, "f" + std::to_string(n++), c.text);
    auto judgments = LoadJudgments(path, c.format);
    INFO(c.text);
    REQUIRE(judgments.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(judgments.status()).find(path + c.where) !=
          std::string::npos);
  }
  CHECK(LoadJudgments(dir.path() + "/missing", JudgmentFormat::kSmart)
            .status()
            .code() == absl::StatusCode::kNotFound);
}

TEST_CASE("Judgment format names", "[eval][judgments]") {
  CHECK(*ParseJudgmentFormat("trec") == JudgmentFormat::kTrec);
  CHECK(*ParseJudgmentFormat("jsonl") == JudgmentFormat::kJsonl);
  CHECK(JudgmentFormatName(JudgmentFormat::kSmart) == "smart");
  CHECK(ParseJudgmentFormat("csv").status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("The shared MED and ADI judgments load with auto",
          "[eval][judgments]") {
  auto med = LoadJudgments(testing::SharedDataDir() + "/med/MED.REL",
                           JudgmentFormat::kAuto);
  REQUIRE(med.ok());
  size_t med_pairs = 0;
  for (const auto& [query, docs] : *med) med_pairs += RelevantCount(docs);
  CHECK(med->size() == 30);
  CHECK(med_pairs == 696);
  auto adi = LoadJudgments(testing::SharedDataDir() + "/adi/ADI.REL",
                           JudgmentFormat::kAuto);
  REQUIRE(adi.ok());
  size_t adi_pairs = 0;
  for (const auto& [query, docs] : *adi) adi_pairs += RelevantCount(docs);
  CHECK(adi_pairs == 170);
}

}  // namespace
}  // namespace vecdb::eval
