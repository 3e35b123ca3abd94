#include "secondary/entries.h"

#include <catch2/catch.hpp>
#include <string>
#include <variant>
#include <vector>

namespace vecdb {
namespace {

TEST_CASE("EntriesFor lists presence then value for every field in order",
          "[entries]") {
  Metadata metadata;
  metadata["year"] = int64_t{2021};
  metadata["active"] = true;
  metadata["score"] = 0.5;
  metadata["title"] = std::string("Hello");
  PointIndexEntries entries = EntriesFor(9, metadata, std::nullopt);

  CHECK(entries.label == 9);
  const std::vector<MetadataEntry> want = {
      {"active", std::monostate(), 9}, {"active", true, 9},
      {"score", std::monostate(), 9},  {"score", 0.5, 9},
      {"title", std::monostate(), 9},  {"title", std::string("Hello"), 9},
      {"year", std::monostate(), 9},   {"year", int64_t{2021}, 9},
  };
  CHECK(entries.metadata == want);
  // Types are kept: the int64 entry is not a double, the bool not an int.
  CHECK(std::holds_alternative<int64_t>(entries.metadata[7].value));
  CHECK(std::holds_alternative<bool>(entries.metadata[1].value));
  CHECK(entries.terms.empty());
  CHECK_FALSE(entries.document_length.has_value());
}

TEST_CASE("EntriesFor gives one entry per distinct list element, sorted",
          "[entries]") {
  Metadata metadata;
  metadata["tags"] = std::vector<std::string>{"b", "a", "b", "c", "a"};
  metadata["empty"] = std::vector<std::string>{};
  PointIndexEntries entries = EntriesFor(1, metadata, std::nullopt);
  const std::vector<MetadataEntry> want = {
      {"empty", std::monostate(), 1}, {"tags", std::monostate(), 1},
      {"tags", std::string("a"), 1},  {"tags", std::string("b"), 1},
      {"tags", std::string("c"), 1},
  };
  CHECK(entries.metadata == want);
}

TEST_CASE("EntriesFor counts distinct document tokens, sorted by term",
          "[entries]") {
  PointIndexEntries entries =
      EntriesFor(4, {}, std::string("The cat saw THE other cat, the end."));
  const std::vector<TermEntry> want = {
      {"cat", 4, 2}, {"end", 4, 1}, {"other", 4, 1},
      {"saw", 4, 1}, {"the", 4, 3},
  };
  CHECK(entries.terms == want);
  REQUIRE(entries.document_length.has_value());
  CHECK(*entries.document_length == 8);
  CHECK(entries.metadata.empty());
}

TEST_CASE("EntriesFor sets a zero length for an empty document", "[entries]") {
  PointIndexEntries empty = EntriesFor(2, {}, std::string());
  CHECK(empty.terms.empty());
  REQUIRE(empty.document_length.has_value());
  CHECK(*empty.document_length == 0);

  PointIndexEntries punctuation = EntriesFor(2, {}, std::string(" ... !"));
  CHECK(punctuation.terms.empty());
  CHECK(punctuation.document_length == std::optional<uint32_t>(0));
}

TEST_CASE("EntriesFor is deterministic", "[entries]") {
  Metadata metadata;
  metadata["z"] = std::vector<std::string>{"q", "p"};
  metadata["a"] = 1.25;
  const std::optional<std::string> document = "Zwei zwei DREI eins";
  PointIndexEntries first = EntriesFor(77, metadata, document);
  PointIndexEntries second = EntriesFor(77, metadata, document);
  CHECK(first.metadata == second.metadata);
  CHECK(first.terms == second.terms);
  CHECK(first.document_length == second.document_length);
  CHECK(first.terms == std::vector<TermEntry>{
                           {"drei", 77, 1}, {"eins", 77, 1}, {"zwei", 77, 2}});
}

}  // namespace
}  // namespace vecdb
