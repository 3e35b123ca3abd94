// WAL recovery: a torn last record is dropped silently; a damaged record
// is reported with the last write recovered and the writes lost, and the
// store opens on a consistent prefix of what was acknowledged.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "storage/rocks_store.h"
#include "tests/testing/test_data.h"
#include "tests/testing/wal_files.h"

namespace vecdb {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr int kWrites = 300;

CollectionRecord Record() {
  CollectionRecord record;
  record.name = "c";
  record.dimension = 32;
  record.metric = Metric::kL2;
  record.hnsw = {8, 50, 20};
  return record;
}

// In a child process: creates collection "c" and commits kWrites synced
// writes of one point each (write s puts "p<s>"), then exits without
// closing the store, as a crash would: every write is in the WAL only.
uint32_t WriteAndCrash(const std::string& dir) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto store = RocksStore::Open(dir, {.sync_writes = true});
    if (!store.ok()) _exit(2);
    auto created = (*store)->CreateCollection(Record());
    if (!created.ok()) _exit(3);
    for (uint64_t seq = 1; seq <= kWrites; ++seq) {
      StoredPoint p;
      p.label = seq;
      p.vector.assign(32, static_cast<float>(seq));
      PointWriteBatch batch;
      const std::string id = "p" + std::to_string(seq);
      batch.PutPoint(id, p);
      batch.SetOps(seq, {{OpKind::kUpsert, seq, id}});
      batch.SetCounters({seq, seq + 1, seq});
      if (!(*store)->Commit(created->id, batch).ok()) _exit(4);
    }
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return 1;  // the first collection id
}

fs::path Wal(const std::string& dir) {
  fs::path wal = testing::NewestWal(dir);
  REQUIRE(!wal.empty());
  return wal;
}

TEST_CASE("an intact WAL replays every acknowledged write", "[wal]") {
  TempDir dir;
  const uint32_t cid = WriteAndCrash(dir.path());
  auto store = RocksStore::Open(dir.path(), {});
  REQUIRE(store.ok());
  const WalRecovery& wal = (*store)->wal_recovery();
  CHECK(wal.damage.empty());
  CHECK(wal.records >= kWrites);
  REQUIRE(wal.collections.contains(cid));
  CHECK(wal.collections.at(cid).replayed == kWrites);
  CHECK(wal.collections.at(cid).seen == kWrites);
  CHECK((*store)->ReadCounters(cid)->last_seq == kWrites);
}

TEST_CASE("a torn last WAL record is dropped silently", "[wal]") {
  TempDir dir;
  const uint32_t cid = WriteAndCrash(dir.path());
  const fs::path wal_file = Wal(dir.path());
  // The last write cut off halfway, as by a crash during the append.
  fs::resize_file(wal_file, fs::file_size(wal_file) - 60);
  auto store = RocksStore::Open(dir.path(), {});
  REQUIRE(store.ok());
  const WalRecovery& wal = (*store)->wal_recovery();
  CHECK(wal.damage.empty());
  CHECK(wal.collections.at(cid).replayed == kWrites - 1);
  CHECK((*store)->ReadCounters(cid)->last_seq == kWrites - 1);
}

TEST_CASE("a damaged WAL record is reported with the writes lost", "[wal]") {
  TempDir dir;
  const uint32_t cid = WriteAndCrash(dir.path());
  const fs::path wal_file = Wal(dir.path());
  // A flipped byte a quarter of the way in: the writes after it were
  // acknowledged, and most of them sit intact in later blocks.
  REQUIRE(testing::FlipByte(wal_file, fs::file_size(wal_file) / 4));
  auto store = RocksStore::Open(dir.path(), {});
  INFO(store.status());
  REQUIRE(store.ok());
  const WalRecovery& wal = (*store)->wal_recovery();
  CHECK_THAT(wal.damage, Catch::Contains("Corruption"));
  REQUIRE(wal.collections.contains(cid));
  const WalRecovery::Writes writes = wal.collections.at(cid);
  CHECK(writes.replayed > 0);
  CHECK(writes.replayed < kWrites / 2);
  CHECK(writes.seen == kWrites);
  // What was kept is exactly the prefix up to the last write replayed.
  auto counters = (*store)->ReadCounters(cid);
  REQUIRE(counters.ok());
  CHECK(counters->last_seq == writes.replayed);
  const std::string kept = "p" + std::to_string(writes.replayed);
  const std::string lost = "p" + std::to_string(writes.replayed + 1);
  auto found = (*store)->MultiGet(cid, {kept, lost}, {});
  REQUIRE(found.ok());
  CHECK((*found)[0].has_value());
  CHECK(!(*found)[1].has_value());
  // The open after recovery starts from a clean WAL.
  store->reset();
  auto again = RocksStore::Open(dir.path(), {});
  REQUIRE(again.ok());
  CHECK((*again)->wal_recovery().damage.empty());
  CHECK((*again)->ReadCounters(cid)->last_seq == writes.replayed);
}

}  // namespace
}  // namespace vecdb
