// End to end: `vecdb retrieve` and `vecdb describe` of an ingested
// collection, the real binary against an in-process server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "tests/cli/run_vecdb.h"
#include "tests/clients/test_server.h"
#include "tests/server/retrieve_corpus.h"

namespace vecdb {
namespace {

using Json = nlohmann::json;
using testing::Contains;
using testing::ParseJson;
using testing::RunResult;
using testing::RunVecdb;
using testing::TempDir;
using testing::TestServer;

// The corpus, loaded through the client library as vecdb-ingest would.
void LoadCorpus(const TestServer& server) {
  auto client = Client::Connect(server.address());
  REQUIRE(client.ok());
  REQUIRE((*client)
              ->CreateCollection("kb", testing::kCorpusDimension,
                                 Metric::kCosine, {}, testing::CorpusProfile())
              .ok());
  REQUIRE((*client)->Upsert("kb", testing::CorpusPoints()).ok());
  REQUIRE((*client)->CreateCollection("plain", 4, Metric::kL2).ok());
}

TEST_CASE("vecdb retrieve prints the context and the citations",
          "[cli][retrieve]") {
  TestServer server;
  TempDir dir;
  LoadCorpus(server);
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };

  RunResult r =
      run({"retrieve", "kb", "how", "do", "rockets", "reach", "orbit"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // The context block first, then the table, then the summary line.
  CHECK(r.out.rfind("[1] Rocket basics\n" + testing::RocketText(), 0) == 0);
  CHECK(Contains(r.out, "[2] Growing tomatoes \u203a Care \u203a Watering\n"));
  const size_t header = r.out.find("RANK  PASSAGE  DOC_ID");
  REQUIRE(header != std::string::npos);
  CHECK(header > r.out.find(testing::TomatoText()));
  CHECK(Contains(r.out, "SCORE"));
  CHECK(Contains(r.out, "space/rockets.md"));
  CHECK(Contains(r.out, "Care \u203a Watering"));
  CHECK(Contains(r.out, "0-140"));
  CHECK(Contains(r.out, "mode hybrid, 5 chunks, 2 passages"));

  r = run({"retrieve", "kb", "tomato", "--mode", "dense", "--k", "2",
           "--max-chars", "130"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.out, "DISTANCE"));
  CHECK(Contains(r.out, "mode dense, 2 chunks"));
  CHECK(Contains(r.out, "(truncated to fit)"));

  Json json = ParseJson(run({"--json", "retrieve", "kb", "rocket", "fuel",
                             "--mode", "text", "--filter",
                             R"({"field":"doc_id","op":"eq",)"
                             R"("value":"space/rockets.md"})",
                             "--max-tokens", "500"}));
  CHECK(json["mode"] == "text");
  REQUIRE(json["chunks"].size() == 2);
  for (const Json& c : json["chunks"]) CHECK(c["doc_id"] == "space/rockets.md");
  CHECK(json["chunks"][0]["rank"] == 1);
  CHECK(json["chunks"][0]["title"] == "Rocket basics");
  CHECK(json["chunks"][0]["metadata"]["lang"] == "en");
  CHECK(json["chunks"][0]["passage"] == 1);
  REQUIRE(json["passages"].size() == 1);
  CHECK(json["passages"][0]["text"] == testing::RocketText());
  CHECK(json["passages"][0]["chunk_ids"].size() == 2);
  CHECK(json["context"].get<std::string>().rfind("[1] Rocket basics\n", 0) ==
        0);
  CHECK(json["truncated"] == false);
  CHECK(json["context_tokens"].get<uint32_t>() <= 500);
  CHECK(json["embed_micros"] == 0);
}

TEST_CASE("vecdb describe shows the ingest profile", "[cli][retrieve]") {
  TestServer server;
  TempDir dir;
  LoadCorpus(server);
  RunResult r = RunVecdb(dir, {"--server", server.address(), "describe", "kb"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.out, "ingest.embedder"));
  CHECK(Contains(r.out, "hash (dimension 64"));
  CHECK(Contains(r.out, "ingest.chunker"));
  CHECK(Contains(r.out, "recursive (target_tokens=32)"));

  Json json = ParseJson(RunVecdb(
      dir, {"--server", server.address(), "--json", "describe", "kb"}));
  CHECK(json["ingest"]["embedder"]["name"] == "hash");
  CHECK(json["ingest"]["embedder"]["dimension"] == 64);
  CHECK(json["ingest"]["chunker"]["name"] == "recursive");
  CHECK(json["ingest"]["chunker"]["parameters"]["target_tokens"] == "32");

  r = RunVecdb(dir, {"--server", server.address(), "describe", "plain"});
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(Contains(r.out, "ingest"));
  json = ParseJson(RunVecdb(
      dir, {"--server", server.address(), "--json", "describe", "plain"}));
  CHECK_FALSE(json.contains("ingest"));
}

TEST_CASE("vecdb retrieve errors", "[cli][retrieve]") {
  TestServer server;
  TempDir dir;
  LoadCorpus(server);
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address()});
    return RunVecdb(dir, args);
  };
  // Usage errors: exit 2 before any call.
  RunResult r = run({"retrieve", "kb"});
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "usage: "));
  r = run({"retrieve", "kb", "tomato", "--mode", "fuzzy"});
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "--mode: expected auto, dense, text or hybrid"));
  r = run({"retrieve", "kb", "tomato", "--k", "0"});
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "--k"));
  r = run({"retrieve", "kb", "tomato", "--filter", "{\"field\":1}"});
  CHECK(r.exit_code == 2);
  CHECK(Contains(r.err, "--filter: filter"));
  // Server errors: exit 1 with the code and message.
  r = run({"retrieve", "plain", "tomato"});
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "FAILED_PRECONDITION"));
  CHECK(Contains(r.err, "has no ingest profile"));
  r = run({"retrieve", "kb", "?!", "--mode", "text"});
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "query: has no words"));
}

}  // namespace
}  // namespace vecdb
