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
}

}  // namespace
}  // namespace vecdb::cli
