#include "ingest/content_hash.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace vecdb::ingest {
namespace {

TEST_CASE("Sha256Hex matches the standard test vectors", "[ingest][hash]") {
  CHECK(Sha256Hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(ChunkHash("abc") == Sha256Hex("abc"));
}

TEST_CASE("DocumentHash is stable across runs and builds", "[ingest][hash]") {
  Metadata metadata;
  metadata["year"] = int64_t{2024};
  metadata["title"] = std::string("Guide");
  // Pinned: a change here re-indexes every stored document.
  CHECK(DocumentHash("hello world", metadata) ==
        Sha256Hex(std::string("11:hello world") + "1:2" + "5:title" +
                  "s5:Guide" + "4:year" + "i4:2024"));
  CHECK(DocumentHash("hello world", {}) == Sha256Hex("11:hello world1:0"));
}

TEST_CASE("DocumentHash ignores insertion order, id and source",
          "[ingest][hash]") {
  Document a{.id = "a.txt", .source = "x/a.txt", .text = "text"};
  a.metadata["b"] = std::string("2");
  a.metadata["a"] = int64_t{1};
  Document b{.id = "b.txt", .source = "y/b.txt", .text = "text"};
  b.metadata["a"] = int64_t{1};
  b.metadata["b"] = std::string("2");
  CHECK(DocumentHash(a) == DocumentHash(b));
}

TEST_CASE("DocumentHash changes with any change of content", "[ingest][hash]") {
  const std::string base = DocumentHash("some text", {{"k", std::string("v")}});
  std::vector<std::string> variants = {
      DocumentHash("some text.", {{"k", std::string("v")}}),
      DocumentHash("some Text", {{"k", std::string("v")}}),
      DocumentHash("some text", {{"k", std::string("w")}}),
      DocumentHash("some text", {{"K", std::string("v")}}),
      DocumentHash("some text", {}),
      DocumentHash("some text",
                   {{"k", std::string("v")}, {"z", std::string("")}}),
      // Same characters, other types or other boundaries.
      DocumentHash("some text", {{"k", std::vector<std::string>{"v"}}}),
      DocumentHash("some textk", {{"", std::string("v")}}),
  };
  for (const std::string& variant : variants) CHECK(variant != base);

  CHECK(DocumentHash("t", {{"n", int64_t{1}}}) !=
        DocumentHash("t", {{"n", std::string("1")}}));
  CHECK(DocumentHash("t", {{"n", int64_t{1}}}) !=
        DocumentHash("t", {{"n", 1.0}}));
  CHECK(DocumentHash("t", {{"n", true}}) != DocumentHash("t", {{"n", int64_t{1}}}));
  CHECK(DocumentHash("t", {{"l", std::vector<std::string>{"a", "b"}}}) !=
        DocumentHash("t", {{"l", std::vector<std::string>{"ab"}}}));
  CHECK(DocumentHash("t", {{"d", 0.1}}) != DocumentHash("t", {{"d", 0.1 + 1e-16}}));
}

}  // namespace
}  // namespace vecdb::ingest
