// Crash safety of vecdb-ingest sync: SIGKILL the binary at random moments,
// then run it to completion, and compare the collection with the state
// computed from the files (no duplicates, none missing, nothing stale).
#include <signal.h>
#include <sys/wait.h>
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

// The collection's last write sequence (0 before it exists).
uint64_t LastSequence(Client& client) {
  auto info = client.GetCollection("crash");
  return info.ok() ? info->last_sequence : 0;
}

// True once `pid` has exited (without reaping it).
bool Exited(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

// SIGKILLs `pid` once the collection has taken `writes` writes after
// `since` (so the kill lands mid-run, at a point that varies from early to
// late), unless the run ends first. Returns whether the run was cut off.
void KillAfterWrites(pid_t pid, Client& client, uint64_t since,
                     uint64_t writes) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!Exited(pid) && std::chrono::steady_clock::now() < deadline &&
         LastSequence(client) < since + writes) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(pid, SIGKILL);
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

  // Each round changes about 150 documents, ~1,000 chunks, ~125 writes of
  // 8 chunks: the kill comes after 1..100 of them.
  std::uniform_int_distribution<uint64_t> writes(1, 100);
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
    const uint64_t since = LastSequence(**client);
    const pid_t pid = StartIngest(Args(server, dir.path()),
                                  logs.path() + "/out", logs.path() + "/err");
    KillAfterWrites(pid, **client, since, writes(rng));
    const int code = WaitIngest(pid);
    killed += code == -1;
    INFO("round " << round << " exit " << code << ": "
                  << ReadFile(logs.path() + "/err"));
    CHECK((code == -1 || code == 0));
  }
  // Rounds are cut off mid-run (a run makes more writes than the kill
  // waits for); one that finishes first would only weaken the test.
  CHECK(killed >= 4);

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
