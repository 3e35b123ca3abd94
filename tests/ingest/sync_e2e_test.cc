// vecdb-ingest sync, the real binary against a real in-process server.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "common/chunk_fields.h"
#include "ingest/manifest.h"
#include "tests/clients/test_server.h"
#include "tests/ingest/ingest_test_util.h"
#include "tests/testing/test_data.h"
#include "text/utf8.h"

namespace vecdb::ingest::testing {
namespace {

using vecdb::testing::TempDir;
using vecdb::testing::TestServer;
namespace fs = std::filesystem;

const ChunkerSpec kChunker{
    .name = "auto",
    .parameters = {{"target_tokens", "32"}, {"overlap_tokens", "4"}}};

std::unique_ptr<Client> ConnectTo(const TestServer& server) {
  auto client = Client::Connect(server.address());
  REQUIRE(client.ok());
  return *std::move(client);
}

std::vector<std::string> SyncArgs(const TestServer& server,
                                  const std::string& collection,
                                  std::vector<std::string> more) {
  std::vector<std::string> args = {
      "sync",          "--collection", collection,    "--server",
      server.address(), "--chunk-tokens", "32",       "--overlap-tokens",
      "4",             "--dimension",  "64",          "--json",
      "--embed-threads", "2"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string LongText(int paragraphs, const std::string& word) {
  std::string text;
  for (int p = 0; p < paragraphs; ++p) {
    text += "Paragraph " + std::to_string(p) + " about " + word +
            ": the café serves patients with chronic conditions and the "
            "study measured outcomes over several years of treatment.\n\n";
  }
  return text;
}

void WriteCorpus(const std::string& dir) {
  WriteFile(dir + "/a.txt", LongText(8, "alpha"));
  WriteFile(dir + "/guide.md",
            "# Guide\n\nThe guide explains everything.\n\n## Install\n\n"
            "Install the package with the system package manager.\n\n"
            "### Debian\n\nRun apt-get install vecdb on Debian systems.\n");
  WriteFile(dir + "/page.html",
            "<html><head><title>Page</title><style>p{}</style></head><body>"
            "<h1>Heading</h1><p>First paragraph of the page.</p>"
            "<p>Second paragraph with more words.</p></body></html>");
  WriteFile(dir + "/records.jsonl",
            R"({"id": "r1", "text": "Record one is about hearts.", "metadata": {"lang": "en", "year": 2020}})"
            "\n"
            R"({"id": "r2", "text": "Record two is about lungs.", "metadata": {"lang": "de"}})"
            "\n"
            R"({"id": "r3", "text": "Record three is about kidneys."})"
            "\n");
}

uint64_t LastSequence(Client& client, const std::string& collection) {
  auto info = client.GetCollection(collection);
  REQUIRE(info.ok());
  return info->last_sequence;
}

TEST_CASE("sync indexes, skips unchanged, replaces changed, prunes removed",
          "[ingest][e2e]") {
  TestServer server;
  auto client = ConnectTo(server);
  TempDir dir;
  WriteCorpus(dir.path());

  // First run: everything new.
  ProcessResult first = RunIngest(SyncArgs(server, "docs", {dir.path()}));
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  JsonRun run = ParseJsonRun(first.out);
  const std::map<std::string, std::string> all_indexed = {
      {"a.txt", "indexed"}, {"guide.md", "indexed"}, {"page.html", "indexed"},
      {"r1", "indexed"},    {"r2", "indexed"},       {"r3", "indexed"}};
  CHECK(run.outcomes == all_indexed);
  ChunkSet expected = ExpectedChunks({dir.path()}, kChunker);
  CHECK(run.summary["documents"] == 6);
  CHECK(run.summary["indexed"] == 6);
  CHECK(run.summary["chunks_written"] == static_cast<int64_t>(expected.size()));
  CHECK(Difference(expected, ScrollChunks(*client, "docs")) == "");
  auto count = client->Count("docs");
  REQUIRE(count.ok());
  CHECK(*count == expected.size());

  // Lineage fields on the stored points.
  auto metadata = ScrollMetadata(*client, "docs");
  CHECK(metadata.at("r1#0").at("lang") == MetadataValue(std::string("en")));
  CHECK(metadata.at("r1#0").at("year") == MetadataValue(int64_t{2020}));
  CHECK(metadata.at("page.html#0").at("title") ==
        MetadataValue(std::string("Page")));
  CHECK(std::get<std::string>(metadata.at("a.txt#0").at("source"))
            .ends_with("a.txt"));
  const std::string a_text = ReadFile(dir.path() + "/a.txt");
  for (const auto& [id, chunk] : ScrollChunks(*client, "docs")) {
    if (chunk.doc_id != "a.txt") continue;
    CHECK(chunk.text == text::CodePointSubstr(a_text, chunk.char_start,
                                              chunk.char_end));
  }
  bool has_nested_section = false;
  for (const auto& [id, chunk] : expected) {
    if (chunk.section == std::vector<std::string>{"Guide", "Install", "Debian"}) {
      has_nested_section = true;
    }
  }
  CHECK(has_nested_section);
  const int64_t a_chunks = std::get<int64_t>(metadata.at("a.txt#0").at("chunk_count"));
  const int64_t page_chunks =
      std::get<int64_t>(metadata.at("page.html#0").at("chunk_count"));
  REQUIRE(a_chunks > 3);

  // Second run: nothing changed, nothing written.
  const uint64_t sequence = LastSequence(*client, "docs");
  ProcessResult second = RunIngest(SyncArgs(server, "docs", {dir.path()}));
  REQUIRE(second.exit_code == 0);
  run = ParseJsonRun(second.out);
  for (const auto& [id, outcome] : run.outcomes) CHECK(outcome == "unchanged");
  CHECK(run.outcomes.size() == 6);
  CHECK(run.summary["chunks_written"] == 0);
  CHECK(LastSequence(*client, "docs") == sequence);

  // Another embedder or chunker: refused before anything is written, even
  // with a changed file waiting.
  WriteFile(dir.path() + "/guide.md", "# Guide\n\nRewritten guide.\n");
  std::vector<std::string> other_dimension =
      SyncArgs(server, "docs", {"--dimension", "128", dir.path()});
  ProcessResult refused = RunIngest(other_dimension);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("128"));
  ProcessResult refused_chunker = RunIngest(SyncArgs(
      server, "docs", {"--chunker", "fixed", dir.path()}));
  CHECK(refused_chunker.exit_code == 2);
  CHECK_THAT(refused_chunker.err, Catch::Contains("chunker auto"));
  CHECK_THAT(refused_chunker.err, Catch::Contains("fixed"));
  CHECK(LastSequence(*client, "docs") == sequence);

  // Third run: a.txt shorter, page.html gone, guide.md rewritten; --prune.
  WriteFile(dir.path() + "/a.txt", LongText(2, "beta"));
  fs::remove(dir.path() + "/page.html");
  ProcessResult third =
      RunIngest(SyncArgs(server, "docs", {"--prune", dir.path()}));
  INFO(third.err);
  REQUIRE(third.exit_code == 0);
  run = ParseJsonRun(third.out);
  CHECK(run.outcomes.at("a.txt") == "indexed");
  CHECK(run.outcomes.at("guide.md") == "indexed");
  CHECK(run.outcomes.at("r1") == "unchanged");
  CHECK(run.outcomes.count("page.html") == 0);
  expected = ExpectedChunks({dir.path()}, kChunker);
  int64_t a_now = 0;
  for (const auto& [id, chunk] : expected) a_now += chunk.doc_id == "a.txt";
  // Ids #0..#n-1 were overwritten; the rest of the old version deleted.
  CHECK(run.removed.at("a.txt") == a_chunks - a_now);
  CHECK(run.summary["pruned_documents"] == 1);
  CHECK(run.summary["pruned_chunks"] == page_chunks);
  CHECK(Difference(expected, ScrollChunks(*client, "docs")) == "");
}

TEST_CASE("sync: bad records fail alone, unreadable ones are not pruned",
          "[ingest][e2e]") {
  TestServer server;
  auto client = ConnectTo(server);
  TempDir dir;
  WriteFile(dir.path() + "/good.txt", "A good document about medicine.");
  WriteFile(dir.path() + "/bad.pdf", "this is not a pdf at all");
  WriteFile(dir.path() + "/records.jsonl",
            R"({"id": "x", "text": "first x"})"
            "\n"
            R"({"id": "x", "text": "second x"})"
            "\n"
            R"({"id": "y", "text": "why not"})"
            "\n"
            R"({"id": "good.txt", "text": "same id as a file"})"
            "\n");
  ProcessResult result = RunIngest(SyncArgs(server, "docs", {dir.path()}));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  JsonRun run = ParseJsonRun(result.out);
  auto has = [&](const std::string& id, const std::string& outcome) {
    return std::count(run.results.begin(), run.results.end(),
                      std::make_pair(id, outcome));
  };
  CHECK(has("good.txt", "indexed") == 1);
  CHECK(has("good.txt", "failed") == 1);
  CHECK(run.outcomes.at("bad.pdf") == "failed");
  CHECK(run.outcomes.at("y") == "indexed");
  int x_indexed = 0, x_failed = 0;
  for (const auto& [id, outcome] : run.results) {
    if (id != "x") continue;
    x_indexed += outcome == "indexed";
    x_failed += outcome == "failed";
  }
  CHECK(x_indexed == 1);
  CHECK(x_failed == 1);
  CHECK_THAT(run.errors.at("x"), Catch::Contains("duplicate"));
  // Across files, too: the first wins.
  CHECK_THAT(run.errors.at("good.txt"),
             Catch::Contains("duplicate document id 'good.txt'"));
  CHECK(run.summary["failed"] == 3);
  CHECK(run.summary["indexed"] == 3);
  ChunkSet stored = ScrollChunks(*client, "docs");
  CHECK(Difference(ExpectedChunks({dir.path()}, kChunker), stored) == "");
  CHECK(stored.at("x#0").text == "first x");
  CHECK(stored.at("good.txt#0").text == "A good document about medicine.");

  // y becomes unreadable: it fails, and --prune keeps its chunks.
  WriteFile(dir.path() + "/records.jsonl",
            R"({"id": "x", "text": "first x"})"
            "\n"
            R"({"id": "y", "text": 12})"
            "\n");
  result = RunIngest(SyncArgs(server, "docs", {"--prune", dir.path()}));
  CHECK(result.exit_code == 1);
  run = ParseJsonRun(result.out);
  CHECK(run.outcomes.at("y") == "failed");
  CHECK(run.summary["pruned_documents"] == 0);
  CHECK(ScrollChunks(*client, "docs").count("y#0") == 1);
}

TEST_CASE("sync --prune keeps documents whose record failed before its id "
          "was known", "[ingest][e2e]") {
  TestServer server;
  auto client = ConnectTo(server);
  TempDir dir;
  WriteFile(dir.path() + "/records.jsonl",
            R"({"id": "r1", "text": "Record one is about hearts."})"
            "\n"
            R"({"id": "r2", "text": "Record two is about lungs."})"
            "\n");
  WriteFile(dir.path() + "/gone.txt", "A document that will be removed.");
  REQUIRE(RunIngest(SyncArgs(server, "docs", {dir.path()})).exit_code == 0);
  REQUIRE(ScrollChunks(*client, "docs").count("r2#0") == 1);

  // r2's line is damaged: its id cannot be read, so the run cannot tell
  // which stored document it is. Nothing may be pruned on that basis.
  WriteFile(dir.path() + "/records.jsonl",
            R"({"id": "r1", "text": "Record one is about hearts."})"
            "\n"
            R"({"id": "r2", "text": "Record two is about lu)"
            "\n");
  fs::remove(dir.path() + "/gone.txt");
  ProcessResult result =
      RunIngest(SyncArgs(server, "docs", {"--prune", dir.path()}));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--prune"));
  JsonRun run = ParseJsonRun(result.out);
  CHECK(run.outcomes.at("r1") == "unchanged");
  CHECK(run.summary["failed"] == 1);
  CHECK(run.summary["pruned_documents"] == 0);
  const ChunkSet stored = ScrollChunks(*client, "docs");
  CHECK(stored.count("r2#0") == 1);
  CHECK(stored.count("gone.txt#0") == 1);

  // Repaired: the prune goes ahead.
  WriteFile(dir.path() + "/records.jsonl",
            R"({"id": "r1", "text": "Record one is about hearts."})"
            "\n");
  result = RunIngest(SyncArgs(server, "docs", {"--prune", dir.path()}));
  CHECK(result.exit_code == 0);
  CHECK(ParseJsonRun(result.out).summary["pruned_documents"] == 2);
  CHECK(Difference(ExpectedChunks({dir.path()}, kChunker),
                   ScrollChunks(*client, "docs")) == "");
}

TEST_CASE("sync without --dimension takes the collection's recorded one",
          "[ingest][e2e]") {
  TestServer server;
  auto client = ConnectTo(server);
  TempDir dir;
  WriteFile(dir.path() + "/a.txt", "First version of the text.");
  REQUIRE(RunIngest(SyncArgs(server, "docs", {dir.path()})).exit_code == 0);
  REQUIRE(client->GetCollection("docs")->dimension == 64);

  WriteFile(dir.path() + "/a.txt", "Second version of the text.");
  ProcessResult result = RunIngest(
      {"sync", "--collection", "docs", "--server", server.address(),
       "--chunk-tokens", "32", "--overlap-tokens", "4", "--json", dir.path()});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(ParseJsonRun(result.out).outcomes.at("a.txt") == "indexed");
  CHECK(Difference(ExpectedChunks({dir.path()}, kChunker),
                   ScrollChunks(*client, "docs")) == "");
}

TEST_CASE("sync refuses a collection without an ingest profile",
          "[ingest][e2e]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("plain", 64, Metric::kCosine).ok());
  TempDir dir;
  WriteFile(dir.path() + "/a.txt", "some text");
  ProcessResult result = RunIngest(SyncArgs(server, "plain", {dir.path()}));
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("no ingest profile"));
  CHECK(*client->Count("plain") == 0);
}

TEST_CASE("sync: usage errors and an unreachable server exit 2",
          "[ingest][e2e]") {
  CHECK(RunIngest({"sync", "--collection", "c"}).exit_code == 2);
  CHECK(RunIngest({"sync", "--bogus", "x", "--collection", "c", "."}).exit_code == 2);
  CHECK(RunIngest({"frobnicate"}).exit_code == 2);
  // "help" as a flag value or an input is not a request for the usage.
  CHECK(RunIngest({"sync", "--collection", "help", "--server", "127.0.0.1:1",
                   "/nonexistent/input"})
            .exit_code == 2);
  CHECK(RunIngest({"help"}).exit_code == 0);
  ProcessResult help = RunIngest({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--embed-threads"));
  TempDir dir;
  WriteFile(dir.path() + "/a.txt", "some text");
  ProcessResult unreachable = RunIngest(
      {"sync", "--collection", "c", "--server", "127.0.0.1:1", dir.path()});
  CHECK(unreachable.exit_code == 2);
}

TEST_CASE("sync: a collection dropped mid-run fails the run without hanging",
          "[ingest][e2e][med]") {
  TestServer server;
  auto client = ConnectTo(server);
  TempDir logs;
  const std::string med = vecdb::testing::SharedDataDir() + "/med/MED.ALL";
  const pid_t pid = StartIngest(
      {"sync", "--collection", "med", "--server", server.address(),
       "--dimension", "64", "--batch", "8", "--embed-threads", "2", "--json",
       med},
      logs.path() + "/out", logs.path() + "/err");
  // Drop it once some writes went in, while the queues are full.
  for (int i = 0; i < 5000; ++i) {
    auto info = client->GetCollection("med");
    if (info.ok() && info->last_sequence >= 10) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(client->DropCollection("med").ok());
  const int code = WaitIngest(pid);
  const std::string out = ReadFile(logs.path() + "/out");
  INFO(out << ReadFile(logs.path() + "/err"));
  CHECK(code == 2);
  JsonRun run = ParseJsonRun(out);
  CHECK_FALSE(run.error.empty());
  CHECK(run.summary["indexed"] < 1033);
}

TEST_CASE("sync ingests SMART MED.ALL: 1,033 documents", "[ingest][e2e][med]") {
  TestServer server;
  auto client = ConnectTo(server);
  const std::string med = vecdb::testing::SharedDataDir() + "/med/MED.ALL";
  ProcessResult result = RunIngest({"sync", "--collection", "med", "--server",
                                    server.address(), "--dimension", "64",
                                    "--json", med});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  JsonRun run = ParseJsonRun(result.out);
  CHECK(run.summary["documents"] == 1033);
  CHECK(run.summary["indexed"] == 1033);
  std::set<std::string> doc_ids;
  for (const auto& [id, metadata] : ScrollMetadata(*client, "med")) {
    doc_ids.insert(std::get<std::string>(metadata.at("doc_id")));
  }
  CHECK(doc_ids.size() == 1033);
  CHECK(*client->Count("med") ==
        static_cast<uint64_t>(run.summary["chunks_written"]));
}

TEST_CASE("LoadManifest pages through the whole collection",
          "[ingest][manifest]") {
  TestServer server;
  auto client = ConnectTo(server);
  REQUIRE(client->CreateCollection("c", 4, Metric::kCosine).ok());
  std::vector<Point> points;
  for (int i = 0; i < 2500; ++i) {
    const std::string doc = "d" + std::to_string(i / 5);
    points.push_back({.id = chunk_fields::ChunkId(doc, i % 5),
                      .vector = {1, 0, 0, static_cast<float>(i)},
                      .metadata = {{"doc_id", doc},
                                   {"doc_hash", std::string("H")},
                                   {"chunk_count", int64_t{5}}}});
  }
  points.push_back({.id = "foreign", .vector = {0, 1, 0, 0}});
  REQUIRE(client->UpsertBatched("c", points, 1000).ok());
  auto manifest = LoadManifest(*client, "c");
  REQUIRE(manifest.ok());
  CHECK(manifest->chunks() == 2500);
  CHECK(manifest->foreign_chunks() == 1);
  CHECK(manifest->documents() == 500);
  CHECK(manifest->Lookup("d499", "H").unchanged());
  CHECK(manifest->Lookup("d0", "other").has_stale());
}

}  // namespace
}  // namespace vecdb::ingest::testing
