// MetadataIndex and TextIndex round trips through Serialize() / Parse(),
// with and without dropped labels, and Parse() on damaged bytes.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/byte_io.h"
#include "common/filter.h"
#include "secondary/metadata_index.h"
#include "secondary/text_index.h"
#include "tests/secondary/filter_index_util.h"
#include "text/tokenizer.h"

namespace vecdb {
namespace {

using testing::FilterIndexes;
using testing::ToVector;
using Labels = std::vector<uint64_t>;

template <typename Index>
std::string Bytes(const Index& index) {
  std::string bytes;
  const ByteSink sink = [&](std::string_view piece) {
    bytes.append(piece);
    return absl::OkStatus();
  };
  ByteWriter out(sink);
  REQUIRE(index.Serialize(out).ok());
  REQUIRE(out.Flush().ok());
  return bytes;
}

const char* const kWords[] = {"river", "stone", "light", "north", "glass",
                              "ember", "cloud", "field", "quiet", "tide"};

// 300 points with every kind of metadata value and most with a document.
FilterIndexes MakeIndexes(uint64_t first_label = 1) {
  std::mt19937 rng(17);
  FilterIndexes x;
  for (uint64_t label = first_label; label < first_label + 300; ++label) {
    Metadata m;
    m["n"] = static_cast<int64_t>(rng() % 50);
    if (rng() % 3 == 0) m["x"] = static_cast<double>(rng() % 100) / 7.0;
    m["color"] = std::string(kWords[rng() % 10]);
    m["tags"] = std::vector<std::string>{kWords[rng() % 10], kWords[rng() % 5]};
    if (rng() % 2 == 0) m["ok"] = rng() % 2 == 0;
    std::optional<std::string> doc;
    if (rng() % 5 != 0) {
      doc = "";
      for (int w = 0; w < 12; ++w) {
        *doc += std::string(kWords[rng() % 10]) + " ";
      }
    }
    x.Put(label, std::move(m), std::move(doc));
  }
  return x;
}

std::vector<Filter> Conditions() {
  return {
      FieldFilter("n", FieldOp::kGte, {int64_t{20}}),
      FieldFilter("n", FieldOp::kEq, {int64_t{7}}),
      FieldFilter("x", FieldOp::kLt, {3.5}),
      FieldFilter("x", FieldOp::kExists, {}),
      FieldFilter("color", FieldOp::kIn,
                  {std::string("river"), std::string("tide")}),
      FieldFilter("color", FieldOp::kGt, {std::string("light")}),
      FieldFilter("tags", FieldOp::kContainsAll,
                  {std::string("stone"), std::string("north")}),
      FieldFilter("ok", FieldOp::kEq, {true}),
      FieldFilter("ok", FieldOp::kNe, {false}),
  };
}

void CheckSame(const FilterIndexes& expected, const MetadataIndex& metadata,
               const TextIndex& text) {
  CHECK(ToVector(metadata.all()) == ToVector(expected.metadata().all()));
  for (const Filter& condition : Conditions()) {
    INFO("field " << condition.field);
    CHECK(ToVector(metadata.Match(condition)) ==
          ToVector(expected.metadata().Match(condition)));
    CHECK(metadata.Estimate(condition) ==
          expected.metadata().Estimate(condition));
  }
  CHECK(ToVector(text.documents()) ==
        ToVector(expected.text().documents()));
  for (const char* query : {"river stone", "quiet tide ember", "glass"}) {
    INFO("query " << query);
    const auto tokens = text::Tokenize(query);
    const auto want = expected.text().Search(tokens, 20, nullptr, {});
    const auto got = text.Search(tokens, 20, nullptr, {});
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].label == want[i].label);
      CHECK(got[i].score == want[i].score);
    }
    CHECK(text.DocumentFrequency(tokens[0]) ==
          expected.text().DocumentFrequency(tokens[0]));
  }
}

TEST_CASE("secondary indexes round-trip through Serialize and Parse",
          "[secondary][serialize]") {
  // Labels above 2^32 use CRoaring's other buckets.
  for (uint64_t first : {uint64_t{1}, (uint64_t{1} << 32) - 100}) {
    INFO("first label " << first);
    const FilterIndexes x = MakeIndexes(first);
    auto metadata = MetadataIndex::Parse(Bytes(x.metadata()), LabelSet());
    auto text = TextIndex::Parse(Bytes(x.text()), LabelSet());
    REQUIRE(metadata.ok());
    REQUIRE(text.ok());
    CheckSame(x, *metadata, *text);
  }
}

TEST_CASE("Parse leaves out dropped labels everywhere",
          "[secondary][serialize]") {
  FilterIndexes x = MakeIndexes();
  const std::string metadata_bytes = Bytes(x.metadata());
  const std::string text_bytes = Bytes(x.text());
  LabelSet drop;
  for (uint64_t label = 1; label <= 300; label += 3) {
    drop.add(label);
    x.Remove(label);
  }
  auto metadata = MetadataIndex::Parse(metadata_bytes, drop);
  auto text = TextIndex::Parse(text_bytes, drop);
  REQUIRE(metadata.ok());
  REQUIRE(text.ok());
  CHECK(metadata->all().cardinality() == 200);
  CheckSame(x, *metadata, *text);
}

TEST_CASE("an empty index round-trips", "[secondary][serialize]") {
  auto metadata = MetadataIndex::Parse(Bytes(MetadataIndex()), LabelSet());
  auto text = TextIndex::Parse(Bytes(TextIndex()), LabelSet());
  REQUIRE(metadata.ok());
  REQUIRE(text.ok());
  CHECK(metadata->all().isEmpty());
  CHECK(text->documents().isEmpty());
}

TEST_CASE("Parse rejects truncated and trailing bytes",
          "[secondary][serialize]") {
  const FilterIndexes x = MakeIndexes();
  const std::string metadata = Bytes(x.metadata());
  const std::string text = Bytes(x.text());
  for (size_t cut : {size_t{0}, size_t{5}, metadata.size() / 2,
                     metadata.size() - 1}) {
    INFO("metadata cut at " << cut);
    auto parsed = MetadataIndex::Parse(metadata.substr(0, cut), LabelSet());
    CHECK(absl::IsDataLoss(parsed.status()));
  }
  for (size_t cut : {size_t{0}, size_t{9}, text.size() / 2, text.size() - 1}) {
    INFO("text cut at " << cut);
    auto parsed = TextIndex::Parse(text.substr(0, cut), LabelSet());
    CHECK(absl::IsDataLoss(parsed.status()));
  }
  CHECK(absl::IsDataLoss(
      MetadataIndex::Parse(metadata + "x", LabelSet()).status()));
  auto trailing = TextIndex::Parse(text + "xyz", LabelSet());
  CHECK(absl::IsDataLoss(trailing.status()));
  CHECK(trailing.status().message().find("text index") != std::string::npos);
}

}  // namespace
}  // namespace vecdb
