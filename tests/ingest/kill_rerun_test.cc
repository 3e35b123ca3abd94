// Crash safety of vecdb-ingest sync: SIGKILL the binary at random moments,
// then run it to completion, and compare the collection with the state
// computed from the files (no duplicates, none missing, nothing stale).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "tests/clients/test_server.h"
#include "tests/ingest/ingest_test_util.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest::testing {
namespace {

using vecdb::testing::TempDir;
using vecdb::testing::TestServer;
namespace fs = std::filesystem;

constexpr int kDocuments = 300;

const ChunkerSpec kChunker{
    .name = "auto",
    .parameters = {{"target_tokens", "32"}, {"overlap_tokens", "4"}}};

// Document i in `version`: every fifth has one chunk, the others 2..13
// (about one per sentence), so that a full run outlasts the longest delay.
std::string DocumentText(int i, int version, std::mt19937& rng) {
  const int sentences = i % 5 == 0 ? 1 : 2 + static_cast<int>(rng() % 12);
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    text += "Document " + std::to_string(i) + " version " +
            std::to_string(version) + " sentence " + std::to_string(s) +
            " describes treatment number " + std::to_string(rng() % 1000) +
            " in detail.\n\n";
  }
  return text;
}

void WriteDocuments(const std::string& dir, int version, std::mt19937& rng,
                    int first, int last, int step) {
  for (int i = first; i < last; i += step) {
    WriteFile(dir + "/doc" + std::to_string(i) + ".txt",
              DocumentText(i, version, rng));
  }
}

std::vector<std::string> Args(const TestServer& server,
                              const std::string& dir) {
  return {"sync",           "--collection",    "crash", "--server",
          server.address(), "--chunk-tokens",  "32",    "--overlap-tokens",
          "4",              "--dimension",     "768",   "--batch",
          "8",             "--embed-threads", "2",     "--prune",
          dir};
}

TEST_CASE("sync killed at random moments converges to the exact state",
          "[ingest][crash]") {
  TestServer server;
  auto client = Client::Connect(server.address());
  REQUIRE(client.ok());
  TempDir dir;
  TempDir logs;
  const uint32_t seed = std::random_device()();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  WriteDocuments(dir.path(), 1, rng, 0, kDocuments, 1);

  std::uniform_int_distribution<int> delay_ms(20, 800);
  int killed = 0;
  for (int round = 0; round < 6; ++round) {
    // Between kills: half of the documents change (shorter or longer), so
    // that every run has work to be cut off in.
    if (round > 0) {
      WriteDocuments(dir.path(), round + 1, rng, round % 2, kDocuments, 2);
    }
    if (round == 3) {
      // And some are removed, some added.
      for (int i = 1; i < kDocuments; i += 29) {
        fs::remove(dir.path() + "/doc" + std::to_string(i) + ".txt");
      }
      WriteDocuments(dir.path(), 1, rng, kDocuments, kDocuments + 20, 1);
    }
    const pid_t pid = StartIngest(Args(server, dir.path()),
                                  logs.path() + "/out", logs.path() + "/err");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    const int code = WaitIngest(pid);
    killed += code == -1;
    INFO("round " << round << " exit " << code << ": "
                  << ReadFile(logs.path() + "/err"));
    CHECK((code == -1 || code == 0));
  }
  // Most rounds are cut off mid-run (a full run takes longer than the
  // longest delay); some may finish first.
  CHECK(killed >= 2);

  ProcessResult final_run = RunIngest(Args(server, dir.path()));
  INFO(final_run.err);
  REQUIRE(final_run.exit_code == 0);
  const ChunkSet expected = ExpectedChunks({dir.path()}, kChunker);
  CHECK(Difference(expected, ScrollChunks(**client, "crash")) == "");
  CHECK(*(*client)->Count("crash") == expected.size());

  // And once more: nothing left to do.
  auto info = (*client)->GetCollection("crash");
  ProcessResult again = RunIngest(Args(server, dir.path()));
  REQUIRE(again.exit_code == 0);
  std::set<std::string> doc_ids;
  for (const auto& [id, chunk] : expected) doc_ids.insert(chunk.doc_id);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    files += entry.is_regular_file();
  }
  CHECK(doc_ids.size() == files);
  CHECK_THAT(again.out,
             Catch::Contains("indexed 0, unchanged " +
                             std::to_string(doc_ids.size()) + ", failed 0"));
  CHECK((*client)->GetCollection("crash")->last_sequence == info->last_sequence);
}

}  // namespace
}  // namespace vecdb::ingest::testing
