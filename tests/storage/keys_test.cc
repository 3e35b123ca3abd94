#include "storage/keys.h"

#include <catch2/catch.hpp>
#include <string>

namespace vecdb::storage_keys {
namespace {

TEST_CASE("Collection prefix is the big-endian id", "[storage][keys]") {
  CHECK(CollectionPrefix(0x01020304) == std::string("\x01\x02\x03\x04", 4));
  CHECK(CollectionEnd(0x010203FF) == std::string("\x01\x02\x04\x00", 4));
  CHECK(CollectionPrefix(255) < CollectionPrefix(256));
}

TEST_CASE("Point keys order by collection, then id bytes", "[storage][keys]") {
  std::string a = PointKey(1, "a");
  CHECK(a == std::string("\x00\x00\x00\x01"
                         "a",
                         5));
  CHECK(PointIdFromKey(a) == "a");
  CHECK(PointKey(1, "a") < PointKey(1, "ab"));
  CHECK(PointKey(1, "ab") < PointKey(1, "b"));
  CHECK(PointKey(1, "\xff\xff") < CollectionEnd(1));
  CHECK(PointKey(1, "") == CollectionPrefix(1));
  CHECK(PointKey(2, "") >= CollectionEnd(1));
}

TEST_CASE("Op keys order by sequence number", "[storage][keys]") {
  CHECK(OpKey(7, 255) < OpKey(7, 256));
  CHECK(OpKey(7, 0xFFFFFFFFFFFFFFFFull) < CollectionEnd(7));
  CHECK(OpKey(7, 0x0102030405060708ull) ==
        std::string("\x00\x00\x00\x07\x01\x02\x03\x04\x05\x06\x07\x08", 12));
  CHECK(SeqFromOpKey(OpKey(7, 0x0102030405060708ull)) == 0x0102030405060708ull);
  CHECK_FALSE(SeqFromOpKey("short").has_value());
  CHECK(CidFromKey(OpKey(0x01020304u, 9)) == 0x01020304u);
  CHECK(CidFromKey(PointKey(7, "doc")) == 7u);
  CHECK_FALSE(CidFromKey("abc").has_value());
}

}  // namespace
}  // namespace vecdb::storage_keys
