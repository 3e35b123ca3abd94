// The commit queue: writes queued together commit in one RocksDB write,
// later writes see queued ones, and a failed commit takes every write
// queued after it down with it, through the queue and through WritePath.
#include "collection/commit_queue.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "collection/index_state.h"
#include "collection/write_path.h"
#include "index/vector_index.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::TempDir;

// A real store whose CommitAll() fails while `fail` is set.
class FaultyStore final : public RocksStore {
 public:
  explicit FaultyStore(std::unique_ptr<RocksStore> real)
      : real_(std::move(real)) {}
  std::atomic<bool> fail{false};

  absl::StatusOr<std::vector<CollectionRecord>> ListCollections() override {
    return real_->ListCollections();
  }
  absl::StatusOr<CollectionRecord> CreateCollection(
      CollectionRecord record) override {
    return real_->CreateCollection(std::move(record));
  }
  absl::Status DropCollection(const CollectionRecord& record) override {
    return real_->DropCollection(record);
  }
  absl::StatusOr<CollectionCounters> ReadCounters(uint32_t cid) override {
    return real_->ReadCounters(cid);
  }
  absl::Status CommitAll(
      uint32_t cid,
      absl::Span<const PointWriteBatch* const> batches) override {
    if (fail.load()) return absl::UnavailableError("injected: disk full");
    return real_->CommitAll(cid, batches);
  }
  absl::StatusOr<std::vector<std::optional<StoredPoint>>> MultiGet(
      uint32_t cid, absl::Span<const std::string> ids,
      const PointFields& fields) override {
    return real_->MultiGet(cid, ids, fields);
  }
  absl::Status Scan(uint32_t cid, std::string_view start_after, size_t limit,
                    const PointFields& fields,
                    const PointVisitor& fn) override {
    return real_->Scan(cid, start_after, limit, fields, fn);
  }
  absl::Status LoadIndexEntries(uint32_t cid,
                                const IndexEntryVisitor& visitor) override {
    return real_->LoadIndexEntries(cid, visitor);
  }
  absl::StatusOr<bool> IndexEntriesComplete(uint32_t cid) override {
    return real_->IndexEntriesComplete(cid);
  }
  absl::Status MarkIndexEntriesComplete(uint32_t cid) override {
    return real_->MarkIndexEntriesComplete(cid);
  }
  absl::Status ForEachOp(uint32_t cid, uint64_t after_seq,
                         const OpVisitor& fn) override {
    return real_->ForEachOp(cid, after_seq, fn);
  }
  absl::Status TrimOps(uint32_t cid, uint64_t upto_seq) override {
    return real_->TrimOps(cid, upto_seq);
  }
  absl::Status Flush() override { return real_->Flush(); }
  absl::Status SyncWal() override { return real_->SyncWal(); }
  const WalRecovery& wal_recovery() const override {
    return real_->wal_recovery();
  }
  rocksdb::FileSystem& file_system() const override {
    return real_->file_system();
  }

 private:
  std::unique_ptr<RocksStore> real_;
};

struct Fixture {
  TempDir dir;
  std::unique_ptr<FaultyStore> store;
  CollectionRecord record;

  Fixture() {
    auto real = RocksStore::Open(dir.path(), {.sync_writes = true});
    REQUIRE(real.ok());
    store = std::make_unique<FaultyStore>(std::move(real).value());
    record.name = "c";
    record.dimension = 4;
    record.metric = Metric::kL2;
    record.hnsw = {8, 50, 20};
    auto created = store->CreateCollection(record);
    REQUIRE(created.ok());
    record = *created;
  }

  // The in-memory state of the empty collection.
  static IndexState EmptyState() {
    auto index = NewHnswIndex({.dimension = 4, .metric = Metric::kL2});
    REQUIRE(index.ok());
    return IndexState(std::move(index).value(), {}, {}, 0);
  }
};

StoredPoint PointAt(uint64_t label, float x) {
  StoredPoint p;
  p.label = label;
  p.vector = {x, x, x, x};
  return p;
}

// One write putting `id` (label = seq) on top of `counters`.
PointWriteBatch PutBatch(CollectionCounters& counters, const std::string& id,
                         std::vector<CommitQueue::PendingPoint>* pending) {
  PointWriteBatch batch;
  const uint64_t label = counters.next_label++;
  ++counters.live_count;
  const StoredPoint point = PointAt(label, static_cast<float>(label));
  batch.PutPoint(id, point);
  batch.SetOps(++counters.last_seq, {{OpKind::kUpsert, label, id}});
  batch.SetCounters(counters);
  pending->push_back({id, point});
  return batch;
}

std::vector<uint64_t> OpSeqs(RocksStore& store, uint32_t cid) {
  std::vector<uint64_t> seqs;
  REQUIRE(store
              .ForEachOp(cid, 0,
                         [&](uint64_t seq, std::vector<Op>&&) {
                           seqs.push_back(seq);
                           return absl::OkStatus();
                         })
              .ok());
  return seqs;
}

TEST_CASE("writes queued together commit in one RocksDB write",
          "[commit_queue]") {
  Fixture f;
  CommitQueue queue(f.store.get(), f.record.id, {});
  CollectionCounters counters;
  std::vector<std::shared_ptr<CommitQueue::Ticket>> tickets;
  for (int i = 0; i < 3; ++i) {
    std::vector<CommitQueue::PendingPoint> pending;
    PointWriteBatch batch =
        PutBatch(counters, "p" + std::to_string(i), &pending);
    tickets.push_back(queue.Enqueue(std::move(batch), std::move(pending), 0));
  }
  // Queued, not committed: RocksDB does not have them, the queue does.
  CHECK(f.store->ReadCounters(f.record.id)->last_seq == 0);
  auto seen = queue.Lookup({"p1", "p9"}, {.vector = true});
  REQUIRE(seen.ok());
  REQUIRE((*seen)[0].has_value());
  CHECK((*seen)[0]->label == 2);
  CHECK(!(*seen)[1].has_value());

  std::vector<std::thread> waiters;
  std::atomic<int> ok{0};
  for (auto& t : tickets) {
    waiters.emplace_back([&, t] {
      if (queue.Wait(t).ok()) ++ok;
    });
  }
  for (auto& w : waiters) w.join();
  CHECK(ok.load() == 3);
  CHECK(queue.groups() == 1);
  CHECK(queue.committed().last_seq == 3);
  CHECK(f.store->ReadCounters(f.record.id)->last_seq == 3);
  CHECK(OpSeqs(*f.store, f.record.id) == std::vector<uint64_t>{1, 2, 3});
  auto stored = f.store->MultiGet(f.record.id, {"p0", "p1", "p2"},
                                  {.vector = true});
  REQUIRE(stored.ok());
  for (const auto& p : *stored) CHECK(p.has_value());
}

TEST_CASE("a failed commit fails every write queued after it",
          "[commit_queue]") {
  Fixture f;
  CommitQueue queue(f.store.get(), f.record.id, {});
  CollectionCounters counters;
  {
    std::vector<CommitQueue::PendingPoint> pending;
    auto t = queue.Enqueue(PutBatch(counters, "kept", &pending),
                           std::move(pending), 0);
    REQUIRE(queue.Wait(t).ok());
  }
  const CollectionCounters kept = counters;
  f.store->fail = true;
  std::vector<std::shared_ptr<CommitQueue::Ticket>> tickets;
  for (int i = 0; i < 2; ++i) {
    std::vector<CommitQueue::PendingPoint> pending;
    PointWriteBatch batch =
        PutBatch(counters, "lost" + std::to_string(i), &pending);
    tickets.push_back(queue.Enqueue(std::move(batch), std::move(pending), 0));
  }
  absl::Status second_status;
  std::thread second([&] { second_status = queue.Wait(tickets[1]); });
  const absl::Status first = queue.Wait(tickets[0]);
  second.join();
  CHECK(second_status.code() == absl::StatusCode::kUnavailable);
  CHECK(first.code() == absl::StatusCode::kUnavailable);
  CHECK(first.message() == "injected: disk full");
  CHECK(queue.failures() == 1);
  CHECK(queue.committed().last_seq == kept.last_seq);
  CHECK(queue.committed().live_count == 1);
  // The lost writes are not looked up any more.
  auto seen = queue.Lookup({"lost0", "lost1", "kept"}, {});
  REQUIRE(seen.ok());
  CHECK(!(*seen)[0].has_value());
  CHECK(!(*seen)[1].has_value());
  CHECK((*seen)[2].has_value());
  // A write prepared before the failure was seen fails at once.
  f.store->fail = false;
  std::vector<CommitQueue::PendingPoint> pending;
  auto late = queue.Enqueue(PutBatch(counters, "late", &pending),
                            std::move(pending), 0);
  CHECK(queue.Wait(late).code() == absl::StatusCode::kUnavailable);
  CHECK(OpSeqs(*f.store, f.record.id) == std::vector<uint64_t>{1});
}

TEST_CASE("waiting for a committed write is not failed by a later failure",
          "[commit_queue]") {
  Fixture f;
  CommitQueue queue(f.store.get(), f.record.id, {});
  CollectionCounters counters;
  std::vector<CommitQueue::PendingPoint> pending;
  auto kept = queue.Enqueue(PutBatch(counters, "kept", &pending),
                            std::move(pending), 0);
  REQUIRE(queue.Wait(kept).ok());
  const uint64_t kept_seq = counters.last_seq;
  // A later write fails.
  f.store->fail = true;
  pending.clear();
  auto lost = queue.Enqueue(PutBatch(counters, "lost", &pending),
                            std::move(pending), 0);
  CHECK(!queue.Wait(lost).ok());
  f.store->fail = false;
  // A caller that saw no failure yet and waits for `kept` (a no-op write
  // that matched it) is told it committed; one waiting for `lost` is not.
  CHECK(queue.WaitCommitted(kept_seq, 0).ok());
  CHECK(queue.WaitCommitted(kept_seq + 1, 0).code() ==
        absl::StatusCode::kUnavailable);
  // Nor does a write that reuses the failed write's sequence number after
  // the restart make the old one committed.
  CollectionCounters restarted = queue.committed();
  pending.clear();
  auto again = queue.Enqueue(PutBatch(restarted, "again", &pending),
                             std::move(pending), 1);
  REQUIRE(queue.Wait(again).ok());
  CHECK(restarted.last_seq == kept_seq + 1);
  CHECK(queue.WaitCommitted(kept_seq + 1, 0).code() ==
        absl::StatusCode::kUnavailable);
  CHECK(queue.WaitCommitted(kept_seq + 1, 1).ok());
}

TEST_CASE("a write whose commit fails is not acknowledged and changes nothing",
          "[commit_queue]") {
  Fixture f;
  IndexState state = f.EmptyState();
  WritePath writes(f.record, f.store.get(), &state, {});
  auto point = [](const std::string& id, float x) {
    Point p;
    p.id = id;
    p.vector = {x, x, x, x};
    return p;
  };
  auto first = writes.Upsert({point("a", 1)});
  REQUIRE(first.ok());
  CHECK(first->seq == 1);

  f.store->fail = true;
  auto failed = writes.Upsert({point("b", 2), point("a", 5)});
  CHECK(failed.status().code() == absl::StatusCode::kUnavailable);
  CHECK(writes.last_seq() == 1);
  CHECK(writes.live_count() == 1);
  CHECK(state.applied_seq() == 1);
  CHECK(state.graph()->Size() == 1);
  // The vectors linked while the commit ran are abandoned: dead slots,
  // never visible, reclaimed by compaction.
  CHECK(state.graph()->Slots() - state.graph()->DeletedSlots() == 1);

  f.store->fail = false;
  // The next write goes on from what RocksDB holds: "b" is new again and
  // "a" still has its first vector.
  auto next = writes.Upsert({point("b", 2), point("a", 1)});
  REQUIRE(next.ok());
  CHECK(next->seq == 2);
  CHECK(writes.live_count() == 2);
  CHECK(state.applied_seq() == 2);
  CHECK(state.graph()->Size() == 2);
  auto stored = f.store->MultiGet(f.record.id, {"a", "b"}, {.vector = true});
  REQUIRE(stored.ok());
  CHECK((*stored)[0]->vector == std::vector<float>{1, 1, 1, 1});
  CHECK((*stored)[1]->label == 2);
  CHECK(OpSeqs(*f.store, f.record.id) == std::vector<uint64_t>{1, 2});
}

TEST_CASE("concurrent writers to one collection share commits",
          "[commit_queue]") {
  Fixture f;
  IndexState state = f.EmptyState();
  WritePath writes(f.record, f.store.get(), &state, {});
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        Point p;
        p.id = "t" + std::to_string(t) + "-" + std::to_string(i);
        const float x = static_cast<float>(t * kWrites + i);
        p.vector = {x, x, x, x};
        auto r = writes.Upsert({p});
        if (!r.ok()) {
          ++errors;
          continue;
        }
        seqs[t].push_back(r->seq);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors.load() == 0);
  std::vector<uint64_t> all;
  for (const auto& s : seqs) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> expected(kThreads * kWrites);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = i + 1;
  // Every write has its own sequence number, each thread's increasing.
  CHECK(all == expected);
  for (const auto& s : seqs) CHECK(std::is_sorted(s.begin(), s.end()));
  CHECK(writes.live_count() == kThreads * kWrites);
  CHECK(state.graph()->Size() == kThreads * kWrites);
  CHECK(OpSeqs(*f.store, f.record.id) == expected);
  auto counters = f.store->ReadCounters(f.record.id);
  REQUIRE(counters.ok());
  CHECK(counters->last_seq == kThreads * kWrites);
  CHECK(counters->live_count == kThreads * kWrites);
}

}  // namespace
}  // namespace vecdb
