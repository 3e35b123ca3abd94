#include "ingest/manifest.h"

#include <catch2/catch.hpp>

namespace vecdb::ingest {
namespace {

Manifest Stored(std::initializer_list<std::tuple<const char*, const char*, int64_t>> chunks) {
  Manifest manifest;
  for (const auto& [doc, hash, count] : chunks) manifest.Add(doc, hash, count);
  return manifest;
}

TEST_CASE("Manifest: complete current version is unchanged",
          "[ingest][manifest]") {
  Manifest m = Stored({{"d", "H", 3}, {"d", "H", 3}, {"d", "H", 3}});
  StoredState s = m.Lookup("d", "H");
  CHECK(s.unchanged());
  CHECK_FALSE(s.has_stale());
  CHECK(s.total == 3);
}

TEST_CASE("Manifest: new, changed, partial and mixed documents",
          "[ingest][manifest]") {
  Manifest m = Stored({{"full", "H", 2}, {"full", "H", 2},
                       {"partial", "H", 3}, {"partial", "H", 3},
                       {"mixed", "H", 2}, {"mixed", "H", 2}, {"mixed", "OLD", 4},
                       {"extra", "H", 1}, {"extra", "H", 1},
                       {"disagree", "H", 2}, {"disagree", "H", 3}});
  SECTION("absent") {
    StoredState s = m.Lookup("nothing", "H");
    CHECK(s.absent());
    CHECK_FALSE(s.unchanged());
    CHECK_FALSE(s.has_stale());
  }
  SECTION("new content hash: every stored chunk is stale") {
    StoredState s = m.Lookup("full", "NEW");
    CHECK_FALSE(s.unchanged());
    CHECK(s.has_stale());
  }
  SECTION("a version cut off mid-write is not unchanged, and has no stale") {
    StoredState s = m.Lookup("partial", "H");
    CHECK_FALSE(s.unchanged());
    CHECK_FALSE(s.has_stale());
  }
  SECTION("complete new version plus leftovers of an old one") {
    StoredState s = m.Lookup("mixed", "H");
    CHECK_FALSE(s.unchanged());
    CHECK(s.has_stale());
    CHECK(s.with_hash == 2);
    CHECK(s.total == 3);
  }
  SECTION("more chunks than declared") {
    CHECK_FALSE(m.Lookup("extra", "H").unchanged());
  }
  SECTION("chunks of one version declaring different counts") {
    CHECK(m.Lookup("disagree", "H").declared == -1);
    CHECK_FALSE(m.Lookup("disagree", "H").unchanged());
  }
  CHECK(m.DocIds() ==
        std::vector<std::string>{"disagree", "extra", "full", "mixed", "partial"});
  CHECK(m.chunks() == 11);
}

TEST_CASE("StoredState from counts (the service's check)",
          "[ingest][manifest]") {
  CHECK(StoredState{.with_hash = 4, .total = 4, .declared = 4}.unchanged());
  CHECK_FALSE(StoredState{.with_hash = 3, .total = 4, .declared = 3}.unchanged());
  CHECK(StoredState{.with_hash = 3, .total = 4, .declared = 3}.has_stale());
  CHECK_FALSE(StoredState{.with_hash = 3, .total = 3, .declared = 4}.unchanged());
  CHECK_FALSE(StoredState{.with_hash = 0, .total = 0, .declared = 0}.unchanged());
}

}  // namespace
}  // namespace vecdb::ingest
