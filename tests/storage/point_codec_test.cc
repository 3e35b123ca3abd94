#include "storage/point_codec.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

StoredPoint RichPoint(size_t dim) {
  StoredPoint p;
  p.label = 0x0123456789ABCDEFull;
  p.vector = testing::RandomVectors(1, dim, 42)[0];
  p.metadata["author"] = std::string("Ada");
  p.metadata["empty_string"] = std::string();
  p.metadata["year"] = int64_t{-1843};
  p.metadata["big"] = std::numeric_limits<int64_t>::max();
  p.metadata["score"] = 0.25;
  p.metadata["neg_inf"] = -std::numeric_limits<double>::infinity();
  p.metadata["draft"] = true;
  p.metadata["final"] = false;
  p.metadata["tags"] = std::vector<std::string>{"math", "", "engines"};
  p.metadata["no_tags"] = std::vector<std::string>{};
  p.document = "Notes on the Analytical Engine.";
  return p;
}

void CheckSame(const StoredPoint& a, const StoredPoint& b) {
  CHECK(a.label == b.label);
  CHECK(a.vector == b.vector);
  CHECK(a.metadata == b.metadata);
  CHECK(a.document == b.document);
}

StoredPoint RoundTrip(const StoredPoint& p) {
  StoredPoint out;
  absl::Status s = DecodePoint(EncodePoint(p), PointFields(), &out);
  REQUIRE(s.ok());
  return out;
}

TEST_CASE("Point round trips with every metadata kind", "[storage][codec]") {
  StoredPoint p = RichPoint(128);
  CheckSame(RoundTrip(p), p);
}

TEST_CASE("Point round trips edge cases", "[storage][codec]") {
  SECTION("empty metadata, no document, dim 1") {
    StoredPoint p;
    p.label = 1;
    p.vector = {-0.0f};
    StoredPoint out = RoundTrip(p);
    CheckSame(out, p);
    CHECK(std::signbit(out.vector[0]));
    CHECK_FALSE(out.document.has_value());
  }
  SECTION("present but empty document differs from no document") {
    StoredPoint p;
    p.document = "";
    StoredPoint out = RoundTrip(p);
    REQUIRE(out.document.has_value());
    CHECK(out.document->empty());
  }
  SECTION("dimension 4096") {
    StoredPoint p = RichPoint(4096);
    std::string bytes = EncodePoint(p);
    CHECK(bytes.size() > 4096 * sizeof(float));
    CheckSame(RoundTrip(p), p);
  }
  SECTION("no vector at all") {
    StoredPoint p;
    p.label = 9;
    p.metadata["k"] = int64_t{1};
    CheckSame(RoundTrip(p), p);
  }
}

TEST_CASE("Point layout is the documented one", "[storage][codec]") {
  StoredPoint p;
  p.label = 2;
  p.vector = {1.0f};
  p.metadata["a"] = true;
  p.document = "x";
  const std::string expected(
      "\x01"                              // version
      "\x02\x00\x00\x00\x00\x00\x00\x00"  // label
      "\x01\x00\x00\x00"                  // dimension
      "\x00\x00\x80\x3f"                  // 1.0f
      "\x0b\x00\x00\x00"                  // metadata section bytes
      "\x01\x00\x00\x00"                  // entry count
      "\x01\x00\x00\x00"
      "a"         // key
      "\x04\x01"  // bool tag, true
      "\x01\x01\x00\x00\x00"
      "x",  // document
      38);
  CHECK(EncodePoint(p) == expected);
}

TEST_CASE("Partial point decode skips unselected fields", "[storage][codec]") {
  StoredPoint p = RichPoint(16);
  std::string bytes = EncodePoint(p);
  StoredPoint out;

  REQUIRE(DecodePoint(bytes, PointFields{false, false, false}, &out).ok());
  CHECK(out.label == p.label);
  CHECK(out.vector.empty());
  CHECK(out.metadata.empty());
  CHECK_FALSE(out.document.has_value());

  REQUIRE(DecodePoint(bytes, PointFields{false, true, false}, &out).ok());
  CHECK(out.vector.empty());
  CHECK(out.metadata == p.metadata);
  CHECK_FALSE(out.document.has_value());

  REQUIRE(DecodePoint(bytes, PointFields{true, false, true}, &out).ok());
  CHECK(out.vector == p.vector);
  CHECK(out.metadata.empty());
  CHECK(out.document == p.document);
}

IngestProfile HashProfile() {
  IngestProfile p;
  p.embedder.name = "hash";
  p.embedder.model = "";
  p.embedder.dimension = 64;
  p.embedder.parameters = {{"ngram_max", "4"}, {"ngram_min", "3"}};
  p.chunker.name = "recursive";
  p.chunker.parameters = {{"overlap_tokens", "32"}, {"target_tokens", "256"}};
  return p;
}

// A collection record as the encoder wrote it before ingest profiles.
std::string OldRecordBytes(const CollectionRecord& r) {
  std::string out;
  auto u32 = [&out](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  };
  auto u64 = [&out](uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  };
  out.push_back(1);
  u32(r.id);
  u32(static_cast<uint32_t>(r.name.size()));
  out += r.name;
  u32(r.dimension);
  out.push_back(static_cast<char>(r.metric));
  u32(r.hnsw.m);
  u32(r.hnsw.ef_construction);
  u32(r.hnsw.ef_search);
  u64(static_cast<uint64_t>(r.created_unix_ms));
  return out;
}

// Every proper prefix of a valid encoding must be rejected as DataLoss.
template <typename Decode>
void CheckEveryCutIsDataLoss(const std::string& bytes, Decode decode) {
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    absl::Status s = decode(std::string_view(bytes).substr(0, cut));
    INFO("cut at " << cut << " of " << bytes.size() << ": " << s);
    CHECK(s.code() == absl::StatusCode::kDataLoss);
  }
  CHECK(decode(bytes + '\0').code() == absl::StatusCode::kDataLoss);
  CHECK(decode(bytes).ok());
}

// Every proper prefix of a record's encoding is DataLoss, except the one
// that ends after created_unix_ms: a record written before profiles.
void CheckRecordCuts(const CollectionRecord& r) {
  const std::string bytes = EncodeCollectionRecord(r);
  const size_t old_size = OldRecordBytes(r).size();
  for (size_t cut = 0; cut <= bytes.size(); ++cut) {
    CollectionRecord out;
    absl::Status s =
        DecodeCollectionRecord(std::string_view(bytes).substr(0, cut), &out);
    INFO("cut at " << cut << " of " << bytes.size() << ": " << s);
    if (cut == old_size || cut == bytes.size()) {
      CHECK(s.ok());
      CHECK(out.ingest == (cut == old_size ? IngestProfile() : r.ingest));
    } else {
      CHECK(s.code() == absl::StatusCode::kDataLoss);
    }
  }
  CollectionRecord out;
  CHECK(DecodeCollectionRecord(bytes + '\0', &out).code() ==
        absl::StatusCode::kDataLoss);
}

TEST_CASE("Truncated values are DataLoss at every cut point",
          "[storage][codec]") {
  SECTION("point, every field set") {
    StoredPoint p = RichPoint(4);
    for (PointFields fields :
         {PointFields{}, PointFields{false, false, false}}) {
      CheckEveryCutIsDataLoss(EncodePoint(p), [&](std::string_view b) {
        StoredPoint out;
        return DecodePoint(b, fields, &out);
      });
    }
  }
  SECTION("point without document") {
    StoredPoint p;
    p.vector = {1, 2};
    CheckEveryCutIsDataLoss(EncodePoint(p), [](std::string_view b) {
      StoredPoint out;
      return DecodePoint(b, PointFields(), &out);
    });
  }
  SECTION("collection record") {
    CollectionRecord r{7, "docs", 384, Metric::kL2, {32, 100, 50}, -5};
    CheckRecordCuts(r);
  }
  SECTION("collection record with an ingest profile") {
    CollectionRecord r{7, "docs", 64, Metric::kCosine, {16, 200, 50}, 5};
    r.ingest = HashProfile();
    CheckRecordCuts(r);
  }
  SECTION("counters") {
    CheckEveryCutIsDataLoss(EncodeCounters(CollectionCounters{1, 2, 3}),
                            [](std::string_view b) {
                              CollectionCounters out;
                              return DecodeCounters(b, &out);
                            });
  }
  SECTION("ops") {
    std::vector<Op> ops = {{OpKind::kUpsert, 5, "a"}, {OpKind::kDelete, 6, ""}};
    CheckEveryCutIsDataLoss(EncodeOps(ops), [](std::string_view b) {
      std::vector<Op> out;
      return DecodeOps(b, &out);
    });
  }
  SECTION("collection id") {
    CheckEveryCutIsDataLoss(EncodeCollectionId(3), [](std::string_view b) {
      uint32_t out;
      return DecodeCollectionId(b, &out);
    });
  }
}

TEST_CASE("Corrupted point bytes are DataLoss with a reason",
          "[storage][codec]") {
  StoredPoint p;
  p.label = 1;
  p.vector = {1.0f};
  p.metadata["a"] = true;
  p.document = "x";
  const std::string good = EncodePoint(p);
  // Offsets from the documented layout (see the layout test above).
  constexpr size_t kDim = 9, kMetaSize = 17, kTag = 30, kBool = 31,
                   kDocFlag = 32;
  StoredPoint out;
  auto decode_with = [&](size_t at, std::string_view patch) {
    std::string bad = good;
    bad.replace(at, patch.size(), patch);
    return DecodePoint(bad, PointFields(), &out);
  };

  absl::Status s = decode_with(0, "\x02");
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("unknown format version 2"));

  s = decode_with(kDim, "\xff\xff\xff\xff");
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("vector exceeds value"));

  s = decode_with(kMetaSize, "\xff\xff\xff\x7f");
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("metadata exceeds value"));

  s = decode_with(kTag, "\x09");
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("unknown type tag 9"));

  s = decode_with(kBool, "\x02");
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("bad bool byte 2"));

  s = decode_with(kDocFlag, "\x07");
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("bad document flag 7"));

  // Skipped sections still have their lengths checked.
  s = [&] {
    std::string bad = good;
    bad.replace(kMetaSize, 4, "\xff\xff\xff\x7f");
    return DecodePoint(bad, PointFields{false, false, false}, &out);
  }();
  CHECK(s.code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("Corrupted metadata is DataLoss", "[storage][codec]") {
  StoredPoint out;
  SECTION("string list count larger than the value") {
    StoredPoint p;
    p.metadata["t"] = std::vector<std::string>{"a"};
    std::string bytes = EncodePoint(p);
    // version, label, dim, meta size, count, key len, key, tag, list count
    size_t list_count_at = 1 + 8 + 4 + 4 + 4 + 4 + 1 + 1;
    bytes.replace(list_count_at, 4, "\xff\xff\xff\xff");
    absl::Status s = DecodePoint(bytes, PointFields(), &out);
    CHECK(s.code() == absl::StatusCode::kDataLoss);
    CHECK_THAT(Msg(s), Catch::Contains("list length exceeds value"));
  }
  SECTION("keys out of order") {
    StoredPoint p;
    p.metadata["a"] = true;
    p.metadata["b"] = true;
    std::string bytes = EncodePoint(p);
    size_t first_key = 1 + 8 + 4 + 4 + 4 + 4;
    size_t second_key = first_key + 1 + 2 + 4;
    std::swap(bytes[first_key], bytes[second_key]);
    absl::Status s = DecodePoint(bytes, PointFields(), &out);
    CHECK(s.code() == absl::StatusCode::kDataLoss);
    CHECK_THAT(Msg(s), Catch::Contains("keys out of order"));
    // Not decoding metadata skips it as a whole.
    CHECK(DecodePoint(bytes, PointFields{true, false, true}, &out).ok());
  }
}

TEST_CASE("Every single-byte corruption decodes or is DataLoss",
          "[storage][codec]") {
  const std::string good = EncodePoint(RichPoint(3));
  StoredPoint out;
  size_t rejected = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ x);
      absl::Status s = DecodePoint(bad, PointFields(), &out);
      INFO("byte " << i << " xor " << int{x} << ": " << s);
      CHECK((s.ok() || s.code() == absl::StatusCode::kDataLoss));
      rejected += !s.ok();
    }
  }
  CHECK(rejected > 0);
}

TEST_CASE("Collection record, counters and ops round trip",
          "[storage][codec]") {
  CollectionRecord r{
      42, "docs", 4096, Metric::kInnerProduct, {64, 400, 128}, 1700000000123};
  CollectionRecord r2;
  REQUIRE(DecodeCollectionRecord(EncodeCollectionRecord(r), &r2).ok());
  CHECK(r2.id == 42);
  CHECK(r2.name == "docs");
  CHECK(r2.dimension == 4096);
  CHECK(r2.metric == Metric::kInnerProduct);
  CHECK(r2.hnsw.m == 64);
  CHECK(r2.hnsw.ef_construction == 400);
  CHECK(r2.hnsw.ef_search == 128);
  CHECK(r2.created_unix_ms == 1700000000123);

  std::string bad_metric = EncodeCollectionRecord(r);
  bad_metric[1 + 4 + 4 + 4 + 4] = 9;
  absl::Status s = DecodeCollectionRecord(bad_metric, &r2);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("unknown metric 9"));

  CollectionCounters c{~0ull, 1ull << 40, 7};
  CHECK(EncodeCounters(c).size() == 25);
  CollectionCounters c2;
  REQUIRE(DecodeCounters(EncodeCounters(c), &c2).ok());
  CHECK(c2.last_seq == ~0ull);
  CHECK(c2.next_label == 1ull << 40);
  CHECK(c2.live_count == 7);

  std::vector<Op> ops = {{OpKind::kUpsert, 1, "doc-1"},
                         {OpKind::kDelete, 2, std::string("\0\xff", 2)}};
  std::vector<Op> ops2;
  REQUIRE(DecodeOps(EncodeOps({{OpKind::kMetadata, 9, "m"}}), &ops2).ok());
  REQUIRE(ops2.size() == 1);
  CHECK(ops2[0].kind == OpKind::kMetadata);
  REQUIRE(DecodeOps(EncodeOps(ops), &ops2).ok());
  REQUIRE(ops2.size() == 2);
  CHECK(ops2[0].kind == OpKind::kUpsert);
  CHECK(ops2[0].label == 1);
  CHECK(ops2[0].id == "doc-1");
  CHECK(ops2[1].kind == OpKind::kDelete);
  CHECK(ops2[1].id == std::string("\0\xff", 2));

  REQUIRE(DecodeOps(EncodeOps({}), &ops2).ok());
  CHECK(ops2.empty());

  std::string bad_kind = EncodeOps(ops);
  bad_kind[5] = 4;
  s = DecodeOps(bad_kind, &ops2);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("unknown op kind 4"));

  std::string huge_count = EncodeOps({});
  huge_count.replace(1, 4, "\xff\xff\xff\xff");
  s = DecodeOps(huge_count, &ops2);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("op count exceeds value"));

  uint32_t id = 0;
  REQUIRE(DecodeCollectionId(EncodeCollectionId(77), &id).ok());
  CHECK(id == 77);
}

}  // namespace
}  // namespace vecdb

namespace vecdb {
namespace {

TEST_CASE("Collection record round trips its ingest profile",
          "[storage][codec][profile]") {
  CollectionRecord r{3, "kb", 64, Metric::kCosine, {16, 200, 50}, 1700000000};
  r.ingest = HashProfile();
  r.ingest.embedder.model = "m\0odel";
  CollectionRecord out;
  REQUIRE(DecodeCollectionRecord(EncodeCollectionRecord(r), &out).ok());
  CHECK(out.ingest == r.ingest);
  CHECK(out.ingest.embedder.parameters.at("ngram_min") == "3");
  CHECK(out.created_unix_ms == 1700000000);

  // Decoding into a record that held a profile clears it.
  CollectionRecord plain{4, "plain", 8, Metric::kL2, {16, 200, 50}, 1};
  REQUIRE(DecodeCollectionRecord(EncodeCollectionRecord(plain), &out).ok());
  CHECK(out.ingest.empty());
  CHECK(out.ingest == IngestProfile());
  CHECK(out.name == "plain");
}

TEST_CASE("A record written before profiles decodes with an empty profile",
          "[storage][codec][profile]") {
  CollectionRecord r{9, "legacy", 128, Metric::kInnerProduct, {32, 100, 64},
                     1600000000000};
  std::string old = OldRecordBytes(r);
  CHECK(old.size() == 1 + 4 + 4 + 6 + 4 + 1 + 12 + 8);
  // The current encoder writes the same prefix plus the presence byte 0.
  CHECK(EncodeCollectionRecord(r) == old + std::string(1, '\0'));
  CollectionRecord out;
  out.ingest = HashProfile();
  REQUIRE(DecodeCollectionRecord(old, &out).ok());
  CHECK(out.id == 9);
  CHECK(out.name == "legacy");
  CHECK(out.dimension == 128);
  CHECK(out.metric == Metric::kInnerProduct);
  CHECK(out.hnsw.ef_search == 64);
  CHECK(out.created_unix_ms == 1600000000000);
  CHECK(out.ingest.empty());
  CHECK(out.ingest.chunker.parameters.empty());
}

TEST_CASE("Corrupt ingest profiles are DataLoss", "[storage][codec][profile]") {
  CollectionRecord r{1, "kb", 64, Metric::kCosine, {16, 200, 50}, 0};
  r.ingest = HashProfile();
  const std::string bytes = EncodeCollectionRecord(r);
  const size_t at = OldRecordBytes(r).size();  // the presence byte
  CollectionRecord out;

  std::string bad_presence = bytes;
  bad_presence[at] = 2;
  absl::Status s = DecodeCollectionRecord(bad_presence, &out);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("bad presence byte 2"));

  // The embedder name length claims more bytes than remain.
  std::string long_name = bytes;
  long_name.replace(at + 1, 4, "\xff\xff\xff\x7f");
  s = DecodeCollectionRecord(long_name, &out);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("truncated embedder"));

  // Embedder parameter count far beyond the value.
  const size_t params_at = at + 1 + (4 + 4) + (4 + 0) + 4;
  std::string huge_count = bytes;
  huge_count.replace(params_at, 4, "\xff\xff\xff\xff");
  s = DecodeCollectionRecord(huge_count, &out);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("parameter count exceeds value"));

  s = DecodeCollectionRecord(bytes + "x", &out);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("trailing bytes"));

  // A present profile with an empty embedder name is never written.
  std::string empty_name = OldRecordBytes(r);
  empty_name += std::string("\x01\0\0\0\0\0\0\0\0\0\0\0\0", 13);
  s = DecodeCollectionRecord(empty_name, &out);
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Msg(s), Catch::Contains("empty embedder name"));

  // Every single-byte change decodes or is DataLoss.
  for (size_t i = at; i < bytes.size(); ++i) {
    for (int delta : {1, 0x80, 0xff}) {
      std::string changed = bytes;
      changed[i] = static_cast<char>(changed[i] + delta);
      s = DecodeCollectionRecord(changed, &out);
      CHECK((s.ok() || s.code() == absl::StatusCode::kDataLoss));
    }
  }
}

}  // namespace
}  // namespace vecdb
