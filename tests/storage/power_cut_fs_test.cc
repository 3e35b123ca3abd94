// The power-cut file system the durability tests rely on: what a cut
// keeps and drops, and the faults it injects.
#include "tests/testing/power_cut_fs.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {
namespace {

namespace fs = std::filesystem;
using rocksdb::IOOptions;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Fixture {
  TempDir dir;
  std::string root = dir.path() + "/root";
  std::string out = dir.path() + "/out";
  std::shared_ptr<PowerCutFs> cut;
  Fixture() {
    fs::create_directories(root);
    cut = std::make_shared<PowerCutFs>(root, 7);
  }
  std::unique_ptr<rocksdb::FSWritableFile> Create(const std::string& name) {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    REQUIRE(cut->NewWritableFile(root + "/" + name, {}, &file, nullptr).ok());
    return file;
  }
  void SyncDir(const std::string& path) {
    std::unique_ptr<rocksdb::FSDirectory> d;
    REQUIRE(cut->NewDirectory(path, IOOptions(), &d, nullptr).ok());
    REQUIRE(d->Fsync(IOOptions(), nullptr).ok());
  }
  CutReport CutAndWrite(TornTail tail = TornTail::kDrop) {
    cut->Cut();
    absl::StatusOr<CutReport> report = cut->Materialize(out, tail);
    REQUIRE(report.ok());
    return *report;
  }
};

void Append(rocksdb::FSWritableFile& f, const std::string& bytes) {
  REQUIRE(f.Append(bytes, IOOptions(), nullptr).ok());
}

TEST_CASE("a cut keeps synced bytes and drops the rest", "[power_cut]") {
  Fixture f;
  auto file = f.Create("a");
  f.SyncDir(f.root);
  Append(*file, "synced|");
  REQUIRE(file->Sync(IOOptions(), nullptr).ok());
  Append(*file, "not synced");
  CutReport report = f.CutAndWrite(TornTail::kDrop);
  CHECK(ReadAll(f.out + "/a") == "synced|");
  CHECK(report.tails_dropped == 1);
  CHECK(report.unsynced_bytes_lost == 10);
}

TEST_CASE("torn tails keep a prefix, garbage only past the synced bytes",
          "[power_cut]") {
  for (TornTail tail : {TornTail::kPrefix, TornTail::kGarbage}) {
    Fixture f;
    auto file = f.Create("a");
    f.SyncDir(f.root);
    Append(*file, "synced|");
    REQUIRE(file->Fsync(IOOptions(), nullptr).ok());
    const std::string rest(2000, 'x');
    Append(*file, rest);
    f.CutAndWrite(tail);
    const std::string kept = ReadAll(f.out + "/a");
    REQUIRE(kept.size() > 7);
    REQUIRE(kept.size() <= 7 + rest.size());
    CHECK(kept.substr(0, 7) == "synced|");
    if (tail == TornTail::kPrefix) {
      CHECK(kept.substr(7) == rest.substr(0, kept.size() - 7));
    }
  }
}

TEST_CASE("a synced file whose directory was never synced is gone",
          "[power_cut]") {
  Fixture f;
  auto file = f.Create("new");
  Append(*file, "data");
  REQUIRE(file->Fsync(IOOptions(), nullptr).ok());
  CutReport report = f.CutAndWrite();
  CHECK_FALSE(fs::exists(f.out + "/new"));
  CHECK(report.creations_undone == 1);
}

TEST_CASE("a directory sync makes the creation durable", "[power_cut]") {
  Fixture f;
  auto file = f.Create("new");
  Append(*file, "data");
  REQUIRE(file->Fsync(IOOptions(), nullptr).ok());
  f.SyncDir(f.root);
  f.CutAndWrite();
  CHECK(ReadAll(f.out + "/new") == "data");
}

TEST_CASE("a rename over a durable file is undone without a directory sync",
          "[power_cut]") {
  for (bool sync_dir : {false, true}) {
    Fixture f;
    {
      std::ofstream(f.root + "/ckpt") << "old";
    }
    f.cut = std::make_shared<PowerCutFs>(f.root, 7);  // "old" is durable
    auto tmp = f.Create("ckpt.tmp");
    Append(*tmp, "new");
    REQUIRE(tmp->Fsync(IOOptions(), nullptr).ok());
    REQUIRE(tmp->Close(IOOptions(), nullptr).ok());
    REQUIRE(f.cut->RenameFile(f.root + "/ckpt.tmp", f.root + "/ckpt",
                              IOOptions(), nullptr)
                .ok());
    CHECK(ReadAll(f.root + "/ckpt") == "new");  // the running view
    if (sync_dir) f.SyncDir(f.root);
    CutReport report = f.CutAndWrite();
    CHECK(ReadAll(f.out + "/ckpt") == (sync_dir ? "new" : "old"));
    CHECK_FALSE(fs::exists(f.out + "/ckpt.tmp"));
    CHECK(report.renames_undone == (sync_dir ? 0 : 1));
  }
}

TEST_CASE("a deletion is undone without a directory sync", "[power_cut]") {
  for (bool sync_dir : {false, true}) {
    Fixture f;
    {
      std::ofstream(f.root + "/f") << "keep me";
    }
    f.cut = std::make_shared<PowerCutFs>(f.root, 7);
    REQUIRE(f.cut->DeleteFile(f.root + "/f", IOOptions(), nullptr).ok());
    CHECK_FALSE(fs::exists(f.root + "/f"));
    if (sync_dir) f.SyncDir(f.root);
    CutReport report = f.CutAndWrite();
    CHECK(fs::exists(f.out + "/f") == !sync_dir);
    if (!sync_dir) {
      CHECK(ReadAll(f.out + "/f") == "keep me");
      CHECK(report.deletions_undone == 1);
    }
  }
}

TEST_CASE("a new directory never synced into its parent is lost whole",
          "[power_cut]") {
  for (bool sync_parent : {false, true}) {
    Fixture f;
    REQUIRE(f.cut->CreateDirIfMissing(f.root + "/db", IOOptions(), nullptr)
                .ok());
    auto file = f.Create("db/000001.log");
    Append(*file, "record");
    REQUIRE(file->Fsync(IOOptions(), nullptr).ok());
    f.SyncDir(f.root + "/db");
    if (sync_parent) f.SyncDir(f.root);
    CutReport report = f.CutAndWrite();
    CHECK(fs::exists(f.out + "/db/000001.log") == sync_parent);
    CHECK(report.directories_lost == (sync_parent ? 0 : 1));
  }
}

TEST_CASE("ignoring directory syncs loses what they would have kept",
          "[power_cut]") {
  Fixture f;
  f.cut->IgnoreDirectorySyncs(true);
  auto file = f.Create("a");
  Append(*file, "data");
  REQUIRE(file->Fsync(IOOptions(), nullptr).ok());
  f.SyncDir(f.root);
  f.CutAndWrite();
  CHECK_FALSE(fs::exists(f.out + "/a"));
}

TEST_CASE("after a cut every call fails and the disk stays as it was",
          "[power_cut]") {
  Fixture f;
  auto file = f.Create("a");
  Append(*file, "before");
  f.cut->Cut();
  CHECK(file->Append("after", IOOptions(), nullptr).IsIOError());
  CHECK(file->Sync(IOOptions(), nullptr).IsIOError());
  std::unique_ptr<rocksdb::FSWritableFile> other;
  CHECK(f.cut->NewWritableFile(f.root + "/b", {}, &other, nullptr).IsIOError());
  CHECK(f.cut->RenameFile(f.root + "/a", f.root + "/c", IOOptions(), nullptr)
            .IsIOError());
  CHECK(f.cut->DeleteFile(f.root + "/a", IOOptions(), nullptr).IsIOError());
  CHECK(f.cut->FileExists(f.root + "/a", IOOptions(), nullptr).IsIOError());
  CHECK(ReadAll(f.root + "/a") == "before");
  CHECK_FALSE(fs::exists(f.root + "/b"));
}

TEST_CASE("injected faults fail the chosen calls, then expire",
          "[power_cut]") {
  Fixture f;
  FaultRule rule;
  rule.op = FsOp::kSync;
  rule.error = ENOSPC;
  rule.skip = 1;
  rule.count = 2;
  f.cut->InjectFault(rule);
  auto file = f.Create("a");
  Append(*file, "x");
  CHECK(file->Sync(IOOptions(), nullptr).ok());  // skipped
  rocksdb::IOStatus failed = file->Sync(IOOptions(), nullptr);
  CHECK(failed.IsNoSpace());
  CHECK(failed.ToString().find("injected sync fault") != std::string::npos);
  CHECK(file->Sync(IOOptions(), nullptr).IsNoSpace());
  CHECK(file->Sync(IOOptions(), nullptr).ok());  // expired
  CHECK(f.cut->faults_injected() == 2);

  FaultRule rename;
  rename.op = FsOp::kRename;
  rename.path_contains = "a";
  f.cut->InjectFault(rename);
  CHECK(f.cut->RenameFile(f.root + "/a", f.root + "/b", IOOptions(), nullptr)
            .IsIOError());
  CHECK(fs::exists(f.root + "/a"));
  f.cut->ClearFaults();
  CHECK(f.cut->RenameFile(f.root + "/a", f.root + "/b", IOOptions(), nullptr)
            .ok());
}

TEST_CASE("every fault class reaches its calls", "[power_cut]") {
  Fixture f;
  auto file = f.Create("a");
  Append(*file, "abc");
  REQUIRE(file->Fsync(IOOptions(), nullptr).ok());
  const auto fail_once = [&](FsOp op) {
    FaultRule rule;
    rule.op = op;
    rule.count = 1;
    f.cut->InjectFault(rule);
  };
  fail_once(FsOp::kAppend);
  CHECK(file->Append("d", IOOptions(), nullptr).IsIOError());
  fail_once(FsOp::kCreate);
  std::unique_ptr<rocksdb::FSWritableFile> other;
  CHECK(f.cut->NewWritableFile(f.root + "/b", {}, &other, nullptr).IsIOError());
  CHECK_FALSE(fs::exists(f.root + "/b"));
  fail_once(FsOp::kDelete);
  CHECK(f.cut->DeleteFile(f.root + "/a", IOOptions(), nullptr).IsIOError());
  fail_once(FsOp::kDirSync);
  std::unique_ptr<rocksdb::FSDirectory> d;
  REQUIRE(f.cut->NewDirectory(f.root, IOOptions(), &d, nullptr).ok());
  CHECK(d->Fsync(IOOptions(), nullptr).IsIOError());
  fail_once(FsOp::kCreateDir);
  CHECK(f.cut->CreateDir(f.root + "/sub", IOOptions(), nullptr).IsIOError());
  CHECK_FALSE(fs::exists(f.root + "/sub"));
  fail_once(FsOp::kRead);
  std::unique_ptr<rocksdb::FSRandomAccessFile> reader;
  CHECK(f.cut->NewRandomAccessFile(f.root + "/a", {}, &reader, nullptr)
            .IsIOError());
  REQUIRE(f.cut->NewRandomAccessFile(f.root + "/a", {}, &reader, nullptr).ok());
  fail_once(FsOp::kRead);
  char scratch[3];
  rocksdb::Slice result;
  CHECK(reader->Read(0, 3, IOOptions(), &result, scratch, nullptr).IsIOError());
  REQUIRE(reader->Read(0, 3, IOOptions(), &result, scratch, nullptr).ok());
  CHECK(result.ToString() == "abc");
  CHECK(f.cut->faults_injected() == 7);
}

TEST_CASE("a torn append writes a prefix before failing", "[power_cut]") {
  Fixture f;
  auto file = f.Create("a");
  FaultRule rule;
  rule.op = FsOp::kAppend;
  rule.torn = true;
  rule.count = 1;
  f.cut->InjectFault(rule);
  CHECK(file->Append("0123456789", IOOptions(), nullptr).IsIOError());
  REQUIRE(file->Flush(IOOptions(), nullptr).ok());
  const std::string written = ReadAll(f.root + "/a");
  CHECK(written.size() >= 1);
  CHECK(written.size() < 10);
  CHECK(std::string("0123456789").substr(0, written.size()) == written);
}

// RocksDB opened under the fixture's root on the cut file system.
struct CutDb {
  std::unique_ptr<rocksdb::Env> env;
  std::unique_ptr<rocksdb::DB> db;
};

CutDb OpenDb(Fixture& f) {
  CutDb out;
  out.env = rocksdb::NewCompositeEnv(f.cut);
  rocksdb::Options options;
  options.env = out.env.get();
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, f.root + "/db", &raw).ok());
  out.db.reset(raw);
  return out;
}

// RocksDB on the cut file system: synced writes all survive; unsynced ones
// survive as a prefix.
void RunRocksDb(bool sync) {
  Fixture f;
  // RocksDB syncs what it creates inside its directory, not the directory's
  // own entry (the first case below shows a cut taking it): the store
  // creates it durably, and so does this test.
  REQUIRE(f.cut->CreateDir(f.root + "/db", IOOptions(), nullptr).ok());
  f.SyncDir(f.root);
  CutDb cut_db = OpenDb(f);
  std::unique_ptr<rocksdb::DB>& db = cut_db.db;
  rocksdb::DB* raw = nullptr;
  rocksdb::WriteOptions synced;
  synced.sync = true;
  rocksdb::WriteOptions write;
  write.sync = sync;
  constexpr int kSynced = 200;
  constexpr int kKeys = 1000;
  for (int i = 0; i < kKeys; ++i) {
    char key[16];
    std::snprintf(key, sizeof(key), "k%05d", i);
    REQUIRE(db->Put(i < kSynced ? synced : write, key, "v").ok());
  }
  f.cut->Cut();
  db.reset();  // closes on a dead disk: must neither crash nor hang
  REQUIRE(f.cut->Materialize(f.out).ok());
  rocksdb::Options reopen;
  const rocksdb::Status reopened =
      rocksdb::DB::Open(reopen, f.out + "/db", &raw);
  INFO(reopened.ToString());
  REQUIRE(reopened.ok());
  db.reset(raw);
  int present = 0;
  bool gap = false;
  for (int i = 0; i < kKeys; ++i) {
    char key[16];
    std::snprintf(key, sizeof(key), "k%05d", i);
    std::string value;
    const bool found = db->Get(rocksdb::ReadOptions(), key, &value).ok();
    if (found) {
      CHECK_FALSE(gap);  // a prefix
      ++present;
    } else {
      gap = true;
    }
  }
  CHECK(present >= kSynced);
  if (sync) CHECK(present == kKeys);
}

TEST_CASE("RocksDB alone loses its new directory to a cut", "[power_cut]") {
  Fixture f;
  CutDb cut_db = OpenDb(f);
  rocksdb::WriteOptions synced;
  synced.sync = true;
  REQUIRE(cut_db.db->Put(synced, "k", "v").ok());
  f.cut->Cut();
  cut_db.db.reset();
  REQUIRE(f.cut->Materialize(f.out).ok());
  CHECK_FALSE(fs::exists(f.out + "/db"));
}

TEST_CASE("RocksDB's synced writes survive a cut", "[power_cut]") {
  RunRocksDb(true);
}

TEST_CASE("RocksDB's unsynced writes survive a cut as a prefix",
          "[power_cut]") {
  RunRocksDb(false);
}

}  // namespace
}  // namespace vecdb::testing
