#include "storage/rocks_store.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::TempDir;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

std::unique_ptr<RocksStore> OpenStore(const std::string& dir,
                                      StoreOptions options = {}) {
  auto store = RocksStore::Open(dir, options);
  INFO(store.status());
  REQUIRE(store.ok());
  return std::move(store).value();
}

CollectionRecord Create(RocksStore& store, const std::string& name,
                        uint32_t dim = 4) {
  CollectionRecord record;
  record.name = name;
  record.dimension = dim;
  record.metric = Metric::kL2;
  record.hnsw = {8, 50, 20};
  record.created_unix_ms = 1234;
  auto created = store.CreateCollection(record);
  INFO(created.status());
  REQUIRE(created.ok());
  return *created;
}

StoredPoint MakePoint(uint64_t label, float x) {
  StoredPoint p;
  p.label = label;
  p.vector = {x, x + 1, x + 2, x + 3};
  p.metadata["label"] = static_cast<int64_t>(label);
  p.document = "doc " + std::to_string(label);
  return p;
}

// Commits points `ids` with labels 1.. and one op-log entry under `seq`.
void CommitPoints(RocksStore& store, uint32_t cid,
                  const std::vector<std::string>& ids, uint64_t seq) {
  PointWriteBatch batch;
  std::vector<Op> ops;
  for (size_t i = 0; i < ids.size(); ++i) {
    batch.PutPoint(ids[i], MakePoint(i + 1, static_cast<float>(i)));
    ops.push_back({OpKind::kUpsert, i + 1, ids[i]});
  }
  batch.SetOps(seq, std::move(ops));
  batch.SetCounters({seq, ids.size() + 1, ids.size()});
  absl::Status s = store.Commit(cid, batch);
  INFO(s);
  REQUIRE(s.ok());
}

std::vector<std::string> ScanIds(RocksStore& store, uint32_t cid,
                                 std::string_view start_after = "",
                                 size_t limit = 1000) {
  std::vector<std::string> ids;
  absl::Status s = store.Scan(cid, start_after, limit, PointFields(),
                              [&](std::string_view id, StoredPoint&&) {
                                ids.emplace_back(id);
                                return true;
                              });
  REQUIRE(s.ok());
  return ids;
}

std::vector<uint64_t> OpSeqs(RocksStore& store, uint32_t cid,
                             uint64_t after_seq = 0) {
  std::vector<uint64_t> seqs;
  absl::Status s =
      store.ForEachOp(cid, after_seq, [&](uint64_t seq, std::vector<Op>&&) {
        seqs.push_back(seq);
        return absl::OkStatus();
      });
  REQUIRE(s.ok());
  return seqs;
}

TEST_CASE("Collections are created, listed and dropped", "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  REQUIRE(store->ListCollections()->empty());

  CollectionRecord zeta = Create(*store, "zeta", 8);
  CollectionRecord alpha = Create(*store, "alpha");
  CHECK(zeta.id == 1);
  CHECK(alpha.id == 2);

  auto dup = store->CreateCollection(zeta);
  CHECK(dup.status().code() == absl::StatusCode::kAlreadyExists);
  CHECK_THAT(Msg(dup.status()), Catch::Contains("\"zeta\" already exists"));

  auto list = store->ListCollections();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].name == "alpha");
  CHECK((*list)[1].name == "zeta");
  CHECK((*list)[1].id == 1);
  CHECK((*list)[1].dimension == 8);
  CHECK((*list)[1].metric == Metric::kL2);
  CHECK((*list)[1].hnsw.m == 8);
  CHECK((*list)[1].hnsw.ef_construction == 50);
  CHECK((*list)[1].hnsw.ef_search == 20);
  CHECK((*list)[1].created_unix_ms == 1234);

  auto counters = store->ReadCounters(zeta.id);
  REQUIRE(counters.ok());
  CHECK(counters->last_seq == 0);
  CHECK(counters->next_label == 1);
  CHECK(counters->live_count == 0);

  REQUIRE(store->DropCollection(zeta).ok());
  absl::Status again = store->DropCollection(zeta);
  CHECK(again.code() == absl::StatusCode::kNotFound);
  CHECK_THAT(Msg(again), Catch::Contains("\"zeta\" not found"));
  CHECK(store->ReadCounters(zeta.id).status().code() ==
        absl::StatusCode::kNotFound);

  CollectionRecord wrong_id = alpha;
  wrong_id.id = 99;
  CHECK(store->DropCollection(wrong_id).code() == absl::StatusCode::kNotFound);

  // Ids are never reused, not even after a reopen.
  CHECK(Create(*store, "zeta").id == 3);
  store.reset();
  store = OpenStore(dir.path());
  CHECK(Create(*store, "beta").id == 4);
  list = store->ListCollections();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 3);
  CHECK((*list)[0].name == "alpha");
  CHECK((*list)[1].name == "beta");
  CHECK((*list)[2].name == "zeta");
}

TEST_CASE("Drop removes points, op log and counters of one collection only",
          "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  CollectionRecord a = Create(*store, "a");
  CollectionRecord b = Create(*store, "b");
  CommitPoints(*store, a.id, {"x", "y", "\xff\xff"}, 1);
  CommitPoints(*store, b.id, {"x", "z"}, 1);
  REQUIRE(store->Flush().ok());  // puts the keys in SST files, too
  CommitPoints(*store, a.id, {"w"}, 2);

  REQUIRE(store->DropCollection(a).ok());
  CHECK(ScanIds(*store, a.id).empty());
  CHECK(OpSeqs(*store, a.id).empty());
  auto got = store->MultiGet(a.id, {"x", "w"}, PointFields());
  REQUIRE(got.ok());
  CHECK_FALSE((*got)[0].has_value());
  CHECK_FALSE((*got)[1].has_value());

  CHECK(ScanIds(*store, b.id) == std::vector<std::string>{"x", "z"});
  CHECK(OpSeqs(*store, b.id) == std::vector<uint64_t>{1});
  CHECK(store->ReadCounters(b.id)->live_count == 2);
}

TEST_CASE("Committed points, ops and counters survive a reopen",
          "[storage][store]") {
  TempDir dir;
  uint32_t cid;
  StoredPoint p1 = MakePoint(10, 0.5f);
  StoredPoint p2 = MakePoint(11, -2.0f);
  p2.metadata.clear();
  p2.document.reset();
  {
    auto store = OpenStore(dir.path());
    cid = Create(*store, "docs").id;
    PointWriteBatch batch;
    batch.PutPoint("p1", p1);
    batch.PutPoint("p2", p2);
    batch.SetOps(7, {{OpKind::kUpsert, 10, "p1"}, {OpKind::kUpsert, 11, "p2"}});
    batch.SetCounters({7, 12, 2});
    REQUIRE(store->Commit(cid, batch).ok());
  }
  auto store = OpenStore(dir.path());
  auto got = store->MultiGet(cid, {"p1", "p2"}, PointFields());
  REQUIRE(got.ok());
  REQUIRE((*got)[0].has_value());
  CHECK((*got)[0]->label == 10);
  CHECK((*got)[0]->vector == p1.vector);
  CHECK((*got)[0]->metadata == p1.metadata);
  CHECK((*got)[0]->document == "doc 10");
  REQUIRE((*got)[1].has_value());
  CHECK((*got)[1]->vector == p2.vector);
  CHECK((*got)[1]->metadata.empty());
  CHECK_FALSE((*got)[1]->document.has_value());

  // The one batch carried all its parts.
  auto counters = store->ReadCounters(cid);
  REQUIRE(counters.ok());
  CHECK(counters->last_seq == 7);
  CHECK(counters->next_label == 12);
  CHECK(counters->live_count == 2);
  std::vector<Op> ops;
  REQUIRE(store
              ->ForEachOp(cid, 0,
                          [&](uint64_t seq, std::vector<Op>&& o) {
                            CHECK(seq == 7);
                            ops = std::move(o);
                            return absl::OkStatus();
                          })
              .ok());
  REQUIRE(ops.size() == 2);
  CHECK(ops[1].kind == OpKind::kUpsert);
  CHECK(ops[1].label == 11);
  CHECK(ops[1].id == "p2");
}

TEST_CASE("Deletes and puts in one batch; a put of the same id wins",
          "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path(), StoreOptions{.sync_writes = false});
  uint32_t cid = Create(*store, "c").id;
  CommitPoints(*store, cid, {"a", "b", "c"}, 1);

  PointWriteBatch batch;
  batch.DeletePoint("a");
  batch.DeletePoint("b");
  batch.PutPoint("b", MakePoint(50, 5));
  REQUIRE(store->Commit(cid, batch).ok());

  CHECK(ScanIds(*store, cid) == std::vector<std::string>{"b", "c"});
  auto got = store->MultiGet(cid, {"b"}, PointFields());
  REQUIRE(got.ok());
  CHECK((*got)[0]->label == 50);
  // No ops and no counters were set: neither was written.
  CHECK(OpSeqs(*store, cid) == std::vector<uint64_t>{1});
  CHECK(store->ReadCounters(cid)->last_seq == 1);
}

TEST_CASE("MultiGet returns points in order, nullopt for missing ids",
          "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  uint32_t cid = Create(*store, "c").id;
  uint32_t other = Create(*store, "other").id;
  CommitPoints(*store, cid, {"a", "b", "c"}, 1);
  CommitPoints(*store, other, {"d"}, 1);

  std::vector<std::string> ids = {"c", "missing", "a", "d", "c"};
  auto got = store->MultiGet(cid, ids, PointFields{false, true, false});
  REQUIRE(got.ok());
  REQUIRE(got->size() == 5);
  REQUIRE((*got)[0].has_value());
  CHECK((*got)[0]->label == 3);
  CHECK((*got)[0]->vector.empty());
  CHECK(std::get<int64_t>((*got)[0]->metadata.at("label")) == 3);
  CHECK_FALSE((*got)[0]->document.has_value());
  CHECK_FALSE((*got)[1].has_value());
  CHECK((*got)[2]->label == 1);
  CHECK_FALSE((*got)[3].has_value());  // belongs to another collection
  CHECK((*got)[4]->label == 3);

  auto none = store->MultiGet(cid, {}, PointFields());
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("Scan pages in id order with start_after and limit",
          "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  uint32_t cid = Create(*store, "c").id;
  uint32_t next = Create(*store, "next").id;
  std::vector<std::string> ids;
  for (int i = 24; i >= 0; --i) {
    ids.push_back((i < 10 ? "p0" : "p") + std::to_string(i));
  }
  CommitPoints(*store, cid, ids, 1);
  CommitPoints(*store, next, {"p00"}, 1);
  std::sort(ids.begin(), ids.end());

  std::vector<std::string> paged;
  std::string cursor;
  int pages = 0;
  while (true) {
    std::vector<std::string> page = ScanIds(*store, cid, cursor, 10);
    if (page.empty()) break;
    ++pages;
    CHECK(page.size() <= 10);
    paged.insert(paged.end(), page.begin(), page.end());
    cursor = page.back();
  }
  CHECK(pages == 3);
  CHECK(paged == ids);

  // start_after need not exist; it is strictly exclusive.
  CHECK(ScanIds(*store, cid, "p05", 2) ==
        std::vector<std::string>{"p06", "p07"});
  CHECK(ScanIds(*store, cid, "p055", 1) == std::vector<std::string>{"p06"});
  CHECK(ScanIds(*store, cid, "p24").empty());
  CHECK(ScanIds(*store, cid, "", 0).empty());

  // Early stop, and the fields decoded as asked.
  std::vector<std::string> seen;
  absl::Status s = store->Scan(cid, "", 100, PointFields{true, false, false},
                               [&](std::string_view id, StoredPoint&& p) {
                                 seen.emplace_back(id);
                                 CHECK(p.vector.size() == 4);
                                 CHECK(p.metadata.empty());
                                 return seen.size() < 3;
                               });
  REQUIRE(s.ok());
  CHECK(seen == std::vector<std::string>{"p00", "p01", "p02"});
}

TEST_CASE("Scan orders ids bytewise, prefixes first", "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  uint32_t cid = Create(*store, "c").id;
  const std::string a0("a\0", 2);
  CommitPoints(*store, cid, {"b", "ab", a0, "a", "\xff"}, 1);
  CHECK(ScanIds(*store, cid) ==
        std::vector<std::string>{"a", a0, "ab", "b", "\xff"});
  CHECK(ScanIds(*store, cid, "a") ==
        std::vector<std::string>{a0, "ab", "b", "\xff"});
  CHECK(ScanIds(*store, cid, a0) ==
        std::vector<std::string>{"ab", "b", "\xff"});
}

TEST_CASE("Op log iterates in sequence order and trims", "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  uint32_t cid = Create(*store, "c").id;
  uint32_t other = Create(*store, "other").id;
  for (uint64_t seq : {1, 2, 3, 255, 256, 1000}) {
    CommitPoints(*store, cid, {"id" + std::to_string(seq)}, seq);
  }
  CommitPoints(*store, other, {"x"}, 1);

  CHECK(OpSeqs(*store, cid) == std::vector<uint64_t>{1, 2, 3, 255, 256, 1000});
  CHECK(OpSeqs(*store, cid, 3) == std::vector<uint64_t>{255, 256, 1000});
  CHECK(OpSeqs(*store, cid, 1000).empty());
  CHECK(OpSeqs(*store, cid, ~0ull).empty());

  std::vector<Op> first;
  REQUIRE(store
              ->ForEachOp(cid, 255,
                          [&](uint64_t seq, std::vector<Op>&& ops) {
                            if (first.empty()) first = std::move(ops);
                            return absl::OkStatus();
                          })
              .ok());
  REQUIRE(first.size() == 1);
  CHECK(first[0].id == "id256");

  int calls = 0;
  absl::Status stop = store->ForEachOp(cid, 0, [&](uint64_t, auto&&) {
    ++calls;
    return absl::AbortedError("visitor stop");
  });
  CHECK(stop.code() == absl::StatusCode::kAborted);
  CHECK(Msg(stop) == "visitor stop");
  CHECK(calls == 1);

  REQUIRE(store->TrimOps(cid, 255).ok());
  CHECK(OpSeqs(*store, cid) == std::vector<uint64_t>{256, 1000});
  REQUIRE(store->TrimOps(cid, ~0ull).ok());
  CHECK(OpSeqs(*store, cid).empty());
  CHECK(OpSeqs(*store, other) == std::vector<uint64_t>{1});
}

TEST_CASE("Counters round trip through a commit", "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  uint32_t cid = Create(*store, "c").id;
  PointWriteBatch batch;
  batch.SetCounters({~0ull - 1, 1ull << 50, 123456789});
  REQUIRE(store->Commit(cid, batch).ok());
  auto c = store->ReadCounters(cid);
  REQUIRE(c.ok());
  CHECK(c->last_seq == ~0ull - 1);
  CHECK(c->next_label == 1ull << 50);
  CHECK(c->live_count == 123456789);
  auto missing = store->ReadCounters(77);
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(Msg(missing.status()), Catch::Contains("collection 77"));
}

TEST_CASE("A second open of an open directory is FailedPrecondition",
          "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  auto second = RocksStore::Open(dir.path(), {});
  CHECK(second.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(Msg(second.status()), Catch::Contains("in use"));
  CHECK_THAT(Msg(second.status()), Catch::Contains(dir.path()));
  store.reset();
  CHECK(RocksStore::Open(dir.path(), {}).ok());
}

TEST_CASE("Open reports a missing or corrupt directory", "[storage][store]") {
  TempDir dir;
  std::string missing = dir.path() + "/nope";
  auto opened = RocksStore::Open(missing, {.create_if_missing = false});
  CHECK(opened.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(Msg(opened.status()), Catch::Contains("does not exist"));

  std::string nested = dir.path() + "/a/b/c";
  REQUIRE(RocksStore::Open(nested, {}).ok());
  CHECK(std::filesystem::exists(nested + "/CURRENT"));

  std::ofstream(nested + "/CURRENT", std::ios::trunc) << "garbage";
  auto corrupt = RocksStore::Open(nested, {});
  CHECK(corrupt.status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("Flush keeps every write readable and durable", "[storage][store]") {
  TempDir dir;
  uint32_t cid;
  {
    auto store = OpenStore(dir.path(), StoreOptions{.sync_writes = false});
    cid = Create(*store, "c").id;
    CommitPoints(*store, cid, {"a", "b"}, 1);
    REQUIRE(store->Flush().ok());
    CHECK(ScanIds(*store, cid) == std::vector<std::string>{"a", "b"});
  }
  auto store = OpenStore(dir.path());
  CHECK(ScanIds(*store, cid) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("Concurrent commits to different collections all land",
          "[storage][store]") {
  TempDir dir;
  auto store = OpenStore(dir.path(), StoreOptions{.sync_writes = false});
  constexpr int kThreads = 4, kBatches = 20;
  std::vector<uint32_t> cids;
  for (int t = 0; t < kThreads; ++t) {
    cids.push_back(Create(*store, "c" + std::to_string(t)).id);
  }
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches && results[t].ok(); ++b) {
        PointWriteBatch batch;
        batch.PutPoint("id" + std::to_string(100 + b), MakePoint(b + 1, b));
        batch.SetOps(b + 1, {{OpKind::kUpsert, uint64_t(b + 1), "x"}});
        batch.SetCounters({uint64_t(b + 1), uint64_t(b + 2), uint64_t(b + 1)});
        results[t] = store->Commit(cids[t], batch);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    CHECK(results[t].ok());
    CHECK(ScanIds(*store, cids[t]).size() == kBatches);
    CHECK(OpSeqs(*store, cids[t]).size() == kBatches);
    CHECK(store->ReadCounters(cids[t])->last_seq == kBatches);
  }
}

}  // namespace
}  // namespace vecdb

namespace vecdb {
namespace {

TEST_CASE("A collection's ingest profile survives a reopen",
          "[storage][store][profile]") {
  testing::TempDir dir;
  CollectionRecord record;
  record.name = "kb";
  record.dimension = 64;
  record.ingest.embedder = {"hash", "", 64, {{"ngram_min", "3"}}};
  record.ingest.chunker = {"markdown", {{"target_tokens", "128"}}};
  {
    auto store = RocksStore::Open(dir.path(), {});
    REQUIRE(store.ok());
    REQUIRE((*store)->CreateCollection(record).ok());
    CollectionRecord plain;
    plain.name = "plain";
    plain.dimension = 4;
    REQUIRE((*store)->CreateCollection(plain).ok());
  }
  auto store = RocksStore::Open(dir.path(), {});
  REQUIRE(store.ok());
  auto list = (*store)->ListCollections();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].name == "kb");
  CHECK((*list)[0].ingest == record.ingest);
  CHECK((*list)[1].ingest.empty());
}

}  // namespace
}  // namespace vecdb
