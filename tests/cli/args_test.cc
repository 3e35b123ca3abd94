#include "cli/args.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace vecdb::cli {
namespace {

absl::StatusOr<ParsedArgs> Parse(std::vector<std::string> args,
                                 const char* env = nullptr) {
  return ParseArgs(args, env);
}

TEST_CASE("ParseArgs reads global options, command and options", "[cli]") {
  auto parsed = Parse({"--server", "h:1", "--json", "create", "docs", "--dim",
                       "128", "--metric=l2"});
  REQUIRE(parsed.ok());
  CHECK(parsed->server == "h:1");
  CHECK(parsed->json);
  CHECK(parsed->command == "create");
  CHECK(parsed->positionals == std::vector<std::string>{"docs"});
  CHECK(parsed->Get("dim") == "128");
  CHECK(parsed->Get("metric") == "l2");
  CHECK_FALSE(parsed->Get("m").has_value());
  CHECK(*parsed->GetUint("dim", 0, 1, 4096) == 128);
  CHECK(*parsed->GetUint("m", 16, 2, 128) == 16);
}

TEST_CASE(
    "ParseArgs takes the server from the environment, then the "
    "default",
    "[cli]") {
  CHECK(Parse({"list"})->server == "127.0.0.1:50051");
  CHECK(Parse({"list"}, "env:2")->server == "env:2");
  CHECK(Parse({"list", "--server=flag:3"}, "env:2")->server == "flag:3");
}

TEST_CASE("ParseArgs treats everything after -- as positional", "[cli]") {
  auto parsed = Parse({"delete", "docs", "--", "--odd-id", "x"});
  REQUIRE(parsed.ok());
  CHECK(parsed->positionals ==
        std::vector<std::string>{"docs", "--odd-id", "x"});
}

TEST_CASE("ParseArgs reports usage errors", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "no command given"},
      {{"frob"}, "unknown command 'frob'"},
      {{"--verbose", "list"}, "unknown option '--verbose' before the command"},
      {{"get", "docs", "a", "--k", "3"}, "unknown option '--k'"},
      {{"create", "docs", "--dim"}, "--dim needs a value"},
      {{"create", "docs", "--dim", "1", "--dim", "2"},
       "--dim given more than once"},
      {{"describe"}, "missing arguments for 'describe'"},
      {{"describe", "a", "b"}, "unexpected argument 'b'"},
      {{"get", "docs"}, "missing arguments for 'get'"},
      {{"list", "--json=yes"}, "--json takes no value"},
      {{"list", "-x"}, "unknown option '-x'"},
  };
  for (const Case& c : cases) {
    auto parsed = Parse(c.args);
    INFO(c.message);
    CHECK(IsUsageError(parsed.status()));
    CHECK(parsed.status().message() == c.message);
  }
  CHECK(UsageErrorCommand(Parse({"get", "docs", "a", "--k", "3"}).status()) ==
        "get");
}

TEST_CASE("Flags take no value; filters, text and new commands parse",
          "[cli]") {
  auto query = Parse({"query", "docs", "--text", "heart attack", "--explain",
                      "--filter", R"({"text":"x"})", "--k", "3"});
  REQUIRE(query.ok());
  CHECK(query->Has("explain"));
  CHECK(query->Get("explain") == "");
  CHECK(query->Get("text") == "heart attack");
  CHECK(query->Get("filter") == R"({"text":"x"})");
  CHECK(query->Get("k") == "3");
  CHECK_FALSE(query->Has("vector"));

  auto explain_value = Parse({"query", "docs", "--explain=yes"});
  CHECK(IsUsageError(explain_value.status()));
  CHECK(explain_value.status().message() == "--explain takes no value");

  auto count = Parse({"count", "docs", "--filter={}"});
  REQUIRE(count.ok());
  CHECK(count->Get("filter") == "{}");
  auto scroll = Parse({"scroll", "docs", "--cursor", "p9", "--limit", "5",
                       "--filter", "{}", "--include", "metadata"});
  REQUIRE(scroll.ok());
  CHECK(scroll->Get("cursor") == "p9");
  // delete takes a filter instead of ids (checked by the command).
  auto deleted = Parse({"delete", "docs", "--filter", "{}"});
  REQUIRE(deleted.ok());
  CHECK(deleted->positionals == std::vector<std::string>{"docs"});
  CHECK(Parse({"get", "docs", "a", "--filter", "{}"}).ok());
  CHECK(Parse({"count", "docs", "--k", "1"}).status().message() ==
        "unknown option '--k'");
}

TEST_CASE("GetFloat rejects values out of range or not numbers", "[cli]") {
  auto parsed = Parse({"query", "docs", "--rrf-k", "12.5", "--vector-weight",
                       "-1", "--text-weight", "nan"});
  REQUIRE(parsed.ok());
  CHECK(*parsed->GetFloat("rrf-k", 0, 0, 1e6) == 12.5f);
  CHECK(*parsed->GetFloat("candidates", 7, 0, 1) == 7);
  CHECK(parsed->GetFloat("vector-weight", 0, 0, 1e6).status().message() ==
        "--vector-weight: expected a number in 0..1e+06, got '-1'");
  CHECK(IsUsageError(parsed->GetFloat("text-weight", 0, 0, 1e6).status()));
}

TEST_CASE("GetUint rejects values out of range or not integers", "[cli]") {
  auto parsed = Parse({"query", "docs", "--k", "0", "--ef", "12x"});
  REQUIRE(parsed.ok());
  auto k = parsed->GetUint("k", 10, 1, 1000);
  CHECK(IsUsageError(k.status()));
  CHECK(k.status().message() == "--k: expected an integer in 1..1000, got '0'");
  CHECK(parsed->GetUint("ef", 0, 1, 4096).status().message() ==
        "--ef: expected an integer in 1..4096, got '12x'");
}

TEST_CASE("Help and usage lines", "[cli]") {
  CHECK(Parse({"--help"})->help);
  CHECK(Parse({"help"})->help);
  CHECK(Parse({"list", "-h"})->help);
  CHECK(UsageLine("describe") ==
        "usage: vecdb [--server ADDR] [--json] describe NAME");
  CHECK(
      Usage().find("upsert NAME (--jsonl FILE | --fvecs FILE | --tsv FILE)") !=
      std::string::npos);
  // The filter syntax is documented in the help text.
  CHECK(Usage().find(R"({"field":"year","op":"in","values":[2020,2021]})") !=
        std::string::npos);
  CHECK(Usage().find("count NAME [--filter JSON]") != std::string::npos);
}

}  // namespace
}  // namespace vecdb::cli
