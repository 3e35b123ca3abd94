// Secondary-index entries in RocksStore: committed with their point,
// deletes before puts, durable, dropped with the collection, and loadable
// from data directories that predate the index column families.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "storage/index_keys.h"
#include "storage/keys.h"
#include "storage/point_codec.h"
#include "storage/rocks_options.h"
#include "storage/rocks_store.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using namespace std::string_literals;
using testing::TempDir;

constexpr uint64_t kMaxLabel = std::numeric_limits<uint64_t>::max();

std::unique_ptr<RocksStore> OpenStore(const std::string& dir) {
  auto store = RocksStore::Open(dir, StoreOptions{.sync_writes = false});
  INFO(store.status());
  REQUIRE(store.ok());
  return std::move(store).value();
}

CollectionRecord Create(RocksStore& store, const std::string& name) {
  CollectionRecord record;
  record.name = name;
  record.dimension = 2;
  auto created = store.CreateCollection(record);
  INFO(created.status());
  REQUIRE(created.ok());
  return *created;
}

// A readable, exact description of an entry (doubles by their bits).
std::string Describe(const MetadataEntry& e) {
  std::string value = std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "present";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return "int " + std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return "double bits " + std::to_string(std::bit_cast<uint64_t>(v));
        } else {
          return "string " + v;
        }
      },
      e.value);
  return e.field + " | " + value + " | " + std::to_string(e.label);
}

std::string Describe(const TermEntry& e) {
  return e.term + " | " + std::to_string(e.label) + " x" +
         std::to_string(e.frequency);
}

// Everything LoadIndexEntries returned, described, in load order.
struct Loaded {
  std::vector<std::string> metadata;
  std::vector<std::string> terms;
  std::vector<std::pair<uint64_t, uint32_t>> lengths;
  bool empty() const {
    return metadata.empty() && terms.empty() && lengths.empty();
  }
};

Loaded Load(RocksStore& store, uint32_t cid) {
  Loaded loaded;
  IndexEntryVisitor visitor;
  visitor.metadata = [&](MetadataEntry&& e) {
    loaded.metadata.push_back(Describe(e));
  };
  visitor.term = [&](TermEntry&& e) { loaded.terms.push_back(Describe(e)); };
  visitor.document_length = [&](uint64_t label, uint32_t length) {
    loaded.lengths.emplace_back(label, length);
  };
  absl::Status s = store.LoadIndexEntries(cid, visitor);
  INFO(s);
  REQUIRE(s.ok());
  return loaded;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The descriptions of everything `points` contributes, sorted.
Loaded Expected(const std::vector<PointIndexEntries>& points) {
  Loaded expected;
  for (const PointIndexEntries& p : points) {
    for (const MetadataEntry& e : p.metadata) {
      expected.metadata.push_back(Describe(e));
    }
    for (const TermEntry& e : p.terms) expected.terms.push_back(Describe(e));
    if (p.document_length) {
      expected.lengths.emplace_back(p.label, *p.document_length);
    }
  }
  expected.metadata = Sorted(expected.metadata);
  expected.terms = Sorted(expected.terms);
  std::sort(expected.lengths.begin(), expected.lengths.end());
  return expected;
}

// Load order is key order, which is not description order; compare sorted.
void CheckLoaded(RocksStore& store, uint32_t cid,
                 const std::vector<PointIndexEntries>& points) {
  Loaded loaded = Load(store, cid);
  Loaded expected = Expected(points);
  CHECK(Sorted(loaded.metadata) == expected.metadata);
  CHECK(Sorted(loaded.terms) == expected.terms);
  CHECK(loaded.lengths == expected.lengths);  // sorted by label already
}

PointIndexEntries AwkwardEntries(uint64_t label) {
  using L = std::numeric_limits<double>;
  PointIndexEntries p;
  p.label = label;
  p.metadata = {
      {"\0\xff"s, std::monostate(), label},
      {"\0\xff"s, "\xff\0x"s, label},
      {"flag", std::monostate(), label},
      {"flag", false, label},
      {"n", std::monostate(), label},
      {"n", std::numeric_limits<int64_t>::min(), label},
      {"x", std::monostate(), label},
      {"x", -0.0, label},
      {"y", L::denorm_min(), label},
      {"z", -L::max(), label},
  };
  p.terms = {{"\0"s, label, 1}, {"t\xff"s, label, 0xFFFFFFFFu}};
  p.document_length = 0xFFFFFFFFu;
  return p;
}

PointIndexEntries SimpleEntries(uint64_t label, const std::string& color,
                                std::vector<TermEntry> terms,
                                std::optional<uint32_t> length) {
  PointIndexEntries p;
  p.label = label;
  p.metadata = {{"color", std::monostate(), label},
                {"color", color, label},
                {"size", int64_t{3}, label}};
  p.terms = std::move(terms);
  for (TermEntry& t : p.terms) t.label = label;
  p.document_length = length;
  return p;
}

absl::Status CommitEntries(RocksStore& store, uint32_t cid,
                           const std::vector<PointIndexEntries>& points) {
  PointWriteBatch batch;
  for (const PointIndexEntries& p : points) {
    StoredPoint point;
    point.label = p.label;
    point.vector = {1, 2};
    batch.PutPoint("p" + std::to_string(p.label), point);
    batch.PutIndexEntries(p);
  }
  return store.Commit(cid, batch);
}

// Opens the database under `dir` with plain RocksDB and the first
// `families` column families of MakeColumnFamilies().
class RawDb {
 public:
  RawDb(const std::string& dir, size_t families) {
    auto descriptors = MakeColumnFamilies(rocksdb::NewLRUCache(1 << 20));
    descriptors.resize(families);
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(MakeDbOptions(StoreOptions()), dir,
                                          descriptors, &handles_, &db);
    INFO(s.ToString());
    REQUIRE(s.ok());
    db_.reset(db);
  }
  ~RawDb() {
    for (auto* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    db_->Close().PermitUncheckedError();
  }
  void Put(size_t family, const std::string& key, const std::string& value) {
    REQUIRE(
        db_->Put(rocksdb::WriteOptions(), handles_[family], key, value).ok());
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

constexpr size_t kDefaultFamily = 0, kCollectionsFamily = 1,
                 kCountersFamily = 2, kPointsFamily = 3, kMetaIndexFamily = 5,
                 kTextIndexFamily = 6;

std::vector<std::string> FamilyNames(const std::string& dir) {
  std::vector<std::string> names;
  REQUIRE(
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  return Sorted(names);
}

TEST_CASE("Index entries commit with their point and survive a reopen",
          "[storage][index_entries]") {
  TempDir dir;
  const std::vector<PointIndexEntries> a_points = {
      AwkwardEntries(0), AwkwardEntries(kMaxLabel),
      SimpleEntries(7, "red", {{"rust", 0, 2}, {"db", 0, 1}}, 3)};
  const std::vector<PointIndexEntries> b_points = {
      SimpleEntries(7, "blue", {{"go", 0, 1}}, 1)};
  uint32_t a, b;
  {
    auto store = OpenStore(dir.path());
    a = Create(*store, "a").id;
    b = Create(*store, "b").id;
    CHECK(*store->IndexEntriesComplete(a));
    CHECK(Load(*store, a).empty());
    REQUIRE(CommitEntries(*store, a, a_points).ok());
    REQUIRE(CommitEntries(*store, b, b_points).ok());
    CheckLoaded(*store, a, a_points);
    CheckLoaded(*store, b, b_points);
    auto got = store->MultiGet(a, {"p7"}, PointFields());
    REQUIRE(got.ok());
    CHECK((*got)[0]->label == 7);
  }
  {
    // From the WAL.
    auto store = OpenStore(dir.path());
    CheckLoaded(*store, a, a_points);
    CheckLoaded(*store, b, b_points);
    REQUIRE(store->Flush().ok());
  }
  // From SST files, read through their prefix bloom filters.
  auto store = OpenStore(dir.path());
  CheckLoaded(*store, a, a_points);
  CheckLoaded(*store, b, b_points);
  CHECK(Load(*store, b + 1).empty());
  CHECK(*store->IndexEntriesComplete(a));
  CHECK(*store->IndexEntriesComplete(b));

  // Unset visitors skip their kind of entry.
  IndexEntryVisitor lengths_only;
  std::vector<uint64_t> labels;
  lengths_only.document_length = [&](uint64_t label, uint32_t) {
    labels.push_back(label);
  };
  REQUIRE(store->LoadIndexEntries(a, lengths_only).ok());
  CHECK(labels == std::vector<uint64_t>{0, 7, kMaxLabel});
  IndexEntryVisitor terms_only;
  size_t terms = 0;
  terms_only.term = [&](TermEntry&&) { ++terms; };
  REQUIRE(store->LoadIndexEntries(a, terms_only).ok());
  CHECK(terms == 6);
}

TEST_CASE("Index deletes apply before puts, whatever the call order",
          "[storage][index_entries]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  uint32_t cid = Create(*store, "c").id;
  PointIndexEntries old_entries =
      SimpleEntries(5, "red", {{"rust", 0, 2}, {"db", 0, 1}}, 3);
  PointIndexEntries other = SimpleEntries(6, "red", {{"rust", 0, 1}}, 1);
  REQUIRE(CommitEntries(*store, cid, {old_entries, other}).ok());

  // The replacement shares presence, size=3 and "rust" (new frequency)
  // with the old entries, under the same label.
  PointIndexEntries new_entries =
      SimpleEntries(5, "blue", {{"rust", 0, 1}, {"go", 0, 4}}, 5);
  PointWriteBatch replace;
  replace.PutIndexEntries(new_entries);
  replace.DeleteIndexEntries(old_entries);
  REQUIRE(replace.index_puts().size() == 1);
  REQUIRE(replace.index_deletes().size() == 1);
  REQUIRE(store->Commit(cid, replace).ok());
  CheckLoaded(*store, cid, {new_entries, other});

  // A point that loses its document loses its length with its old terms.
  PointIndexEntries no_document = SimpleEntries(5, "blue", {}, std::nullopt);
  PointWriteBatch drop_document;
  drop_document.DeleteIndexEntries(new_entries);
  drop_document.PutIndexEntries(no_document);
  REQUIRE(store->Commit(cid, drop_document).ok());
  CheckLoaded(*store, cid, {no_document, other});

  PointWriteBatch remove;
  remove.DeletePoint("p6");
  remove.DeleteIndexEntries(other);
  REQUIRE(store->Commit(cid, remove).ok());
  CheckLoaded(*store, cid, {no_document});
}

TEST_CASE("Dropping a collection removes its index entries and marker",
          "[storage][index_entries]") {
  TempDir dir;
  auto store = OpenStore(dir.path());
  CollectionRecord a = Create(*store, "a");
  CollectionRecord b = Create(*store, "b");
  const std::vector<PointIndexEntries> points = {
      SimpleEntries(1, "red", {{"x", 0, 1}}, 1), AwkwardEntries(kMaxLabel)};
  REQUIRE(CommitEntries(*store, a.id, points).ok());
  REQUIRE(CommitEntries(*store, b.id, points).ok());
  REQUIRE(store->Flush().ok());  // some entries in SST files, some not
  const std::vector<PointIndexEntries> later = {
      SimpleEntries(2, "green", {{"y", 0, 2}}, 2)};
  REQUIRE(CommitEntries(*store, a.id, later).ok());

  REQUIRE(store->DropCollection(a).ok());
  CHECK(Load(*store, a.id).empty());
  CHECK_FALSE(*store->IndexEntriesComplete(a.id));
  CheckLoaded(*store, b.id, points);

  CollectionRecord again = Create(*store, "a");
  CHECK(again.id != a.id);
  CHECK(Load(*store, again.id).empty());
  CHECK(*store->IndexEntriesComplete(again.id));

  store.reset();
  store = OpenStore(dir.path());
  CHECK(Load(*store, a.id).empty());
  CHECK_FALSE(*store->IndexEntriesComplete(a.id));
  CHECK(*store->IndexEntriesComplete(again.id));
  CheckLoaded(*store, b.id, points);
}

TEST_CASE("A data directory without the index column families opens",
          "[storage][index_entries]") {
  TempDir dir;
  StoredPoint point;
  point.label = 1;
  point.vector = {0.5f, 1.5f};
  point.document = "old text";
  {
    // The five column families of the format before secondary indexes.
    RawDb raw(dir.path(), 5);
    CollectionRecord record;
    record.id = 1;
    record.name = "legacy";
    record.dimension = 2;
    raw.Put(kCollectionsFamily, record.name, EncodeCollectionRecord(record));
    raw.Put(kCountersFamily, storage_keys::CollectionPrefix(1),
            EncodeCounters({1, 2, 1}));
    raw.Put(kDefaultFamily, std::string(storage_keys::kNextCollectionIdKey),
            EncodeCollectionId(2));
    raw.Put(kPointsFamily, storage_keys::PointKey(1, "p"), EncodePoint(point));
  }
  CHECK(FamilyNames(dir.path()) ==
        std::vector<std::string>{"collections", "counters", "default", "oplog",
                                 "points"});

  const PointIndexEntries backfill =
      SimpleEntries(1, "red", {{"old", 0, 1}, {"text", 0, 1}}, 2);
  {
    auto store = OpenStore(dir.path());
    auto list = store->ListCollections();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    CHECK((*list)[0].name == "legacy");
    auto got = store->MultiGet(1, {"p"}, PointFields());
    REQUIRE(got.ok());
    REQUIRE((*got)[0].has_value());
    CHECK((*got)[0]->vector == point.vector);

    CHECK_FALSE(*store->IndexEntriesComplete(1));
    CHECK(Load(*store, 1).empty());
    PointWriteBatch batch;
    batch.PutIndexEntries(backfill);
    REQUIRE(store->Commit(1, batch).ok());
    REQUIRE(store->MarkIndexEntriesComplete(1).ok());
    CHECK(*store->IndexEntriesComplete(1));
    CHECK(*store->IndexEntriesComplete(Create(*store, "new").id));
  }
  CHECK(FamilyNames(dir.path()) ==
        std::vector<std::string>{"collections", "counters", "default",
                                 "meta_index", "oplog", "points",
                                 "text_index"});
  auto store = OpenStore(dir.path());
  CHECK(*store->IndexEntriesComplete(1));
  CheckLoaded(*store, 1, {backfill});
}

TEST_CASE("A malformed index key or value loads as DataLoss",
          "[storage][index_entries]") {
  TempDir dir;
  uint32_t a, b;
  const std::vector<PointIndexEntries> points = {
      SimpleEntries(1, "red", {{"x", 0, 1}}, 1)};
  {
    auto store = OpenStore(dir.path());
    a = Create(*store, "a").id;
    b = Create(*store, "b").id;
    REQUIRE(CommitEntries(*store, a, points).ok());
    REQUIRE(CommitEntries(*store, b, points).ok());
  }
  const std::string prefix = storage_keys::CollectionPrefix(a);
  SECTION("unknown type tag in a meta_index key") {
    RawDb(dir.path(), 7).Put(kMetaIndexFamily, prefix + "f\0\x01\x09"s, "");
  }
  SECTION("truncated meta_index key") {
    RawDb(dir.path(), 7).Put(kMetaIndexFamily, prefix + "f"s, "");
  }
  SECTION("meta_index value that is not empty") {
    RawDb(dir.path(), 7)
        .Put(kMetaIndexFamily,
             storage_keys::MetadataIndexKey(a, {"f", int64_t{1}, 9}), "x");
  }
  SECTION("unknown kind in a text_index key") {
    RawDb(dir.path(), 7).Put(kTextIndexFamily, prefix + "\x07"s, "");
  }
  SECTION("text_index value of the wrong size") {
    RawDb(dir.path(), 7)
        .Put(kTextIndexFamily, storage_keys::DocumentLengthKey(a, 9), "abc");
  }
  auto store = OpenStore(dir.path());
  IndexEntryVisitor visitor;
  visitor.metadata = [](MetadataEntry&&) {};
  visitor.term = [](TermEntry&&) {};
  visitor.document_length = [](uint64_t, uint32_t) {};
  absl::Status s = store->LoadIndexEntries(a, visitor);
  INFO(s);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  // The other collection is unaffected.
  CheckLoaded(*store, b, points);
}

}  // namespace
}  // namespace vecdb
