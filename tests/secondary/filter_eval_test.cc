#include "secondary/filter_eval.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/filter.h"
#include "filter/filter_validation.h"
#include "tests/secondary/filter_index_util.h"

namespace vecdb {
namespace {

using testing::FilterIndexes;
using testing::ToVector;
using Labels = std::vector<uint64_t>;
using Strings = std::vector<std::string>;

Labels Evaluate(const FilterIndexes& x, const Filter& filter) {
  absl::StatusOr<LabelSet> result = x.Evaluate(filter);
  REQUIRE(result.ok());
  return ToVector(*result);
}

// Random points and filters over a small vocabulary, so that conditions
// match often and values collide across int, double and string.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  Metadata RandomMetadata() {
    Metadata m;
    if (Chance(0.7)) m["s"] = Word();
    if (Chance(0.7)) m["n"] = RandomNumber();
    if (Chance(0.6)) m["b"] = Chance(0.5);
    if (Chance(0.7)) m["t"] = WordList();
    if (Chance(0.8)) m["m"] = RandomMixed();
    return m;
  }

  std::optional<std::string> RandomDocument() {
    if (Chance(0.15)) return std::nullopt;
    static const char* kSeparators[] = {" ", ", ", " -- ", "! ", "\n"};
    std::string doc;
    const int words = Uniform(0, 8);
    for (int i = 0; i < words; ++i) {
      if (i > 0) doc += kSeparators[Uniform(0, 4)];
      std::string word = kDocWords[Uniform(0, 4)];
      if (Chance(0.2)) word[0] = static_cast<char>(word[0] - 'a' + 'A');
      doc += word;
    }
    return doc;
  }

  // A valid tree of up to `depth` levels.
  Filter RandomFilter(int depth) {
    const int pick = Uniform(0, depth > 1 ? 9 : 4);
    if (pick <= 3) return RandomCondition();
    if (pick == 4) return RandomText();
    if (pick == 5 || pick == 6) return AndFilter(Children(depth));
    if (pick == 7 || pick == 8) return OrFilter(Children(depth));
    return NotFilter(RandomFilter(depth - 1));
  }

  Filter RandomCondition() {
    static const char* kFields[] = {"s", "n", "b", "t", "m", "missing"};
    const std::string field = kFields[Uniform(0, 5)];
    const auto op = static_cast<FieldOp>(Uniform(1, 11));
    switch (op) {
      case FieldOp::kEq:
      case FieldOp::kNe:
        return FieldFilter(field, op, {ValueOf(FamilyFor(field))});
      case FieldOp::kGt:
      case FieldOp::kGte:
      case FieldOp::kLt:
      case FieldOp::kLte:
        return FieldFilter(field, op, {ValueOf(FamilyFor(field) == 0 ? 0 : 1)});
      case FieldOp::kIn:
      case FieldOp::kNotIn: {
        std::vector<FilterValue> values;
        const int family = FamilyFor(field);
        const int n = Uniform(1, 3);
        for (int i = 0; i < n; ++i) values.push_back(ValueOf(family));
        return FieldFilter(field, op, values);
      }
      case FieldOp::kExists:
        return FieldFilter(field, op);
      case FieldOp::kContainsAny:
      case FieldOp::kContainsAll: {
        std::vector<FilterValue> values;
        const int n = Uniform(1, 3);
        for (int i = 0; i < n; ++i) values.push_back(Word());
        return FieldFilter(field, op, values);
      }
    }
    return FieldFilter(field, FieldOp::kExists);
  }

  Filter RandomText() {
    std::string text = kDocWords[Uniform(0, 4)];
    const int extra = Uniform(0, 3) == 0 ? 0 : Uniform(1, 2);
    for (int i = 0; i < extra; ++i) {
      text += Chance(0.5) ? " " : ", ";
      text += kDocWords[Uniform(0, 4)];
    }
    if (Chance(0.2)) text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return TextFilter(Chance(0.6) ? TextOp::kContains : TextOp::kNotContains,
                      text);
  }

  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

 private:
  static constexpr const char* kWords[] = {"a", "ab", "b", "ba", "c", "cc"};
  static constexpr const char* kDocWords[] = {"red", "fox", "runs", "far",
                                              "away"};

  std::string Word() { return kWords[Uniform(0, 5)]; }

  Strings WordList() {
    Strings list;
    const int n = Uniform(0, 3);
    for (int i = 0; i < n; ++i) list.push_back(Word());
    return list;
  }

  // Small ints, halves and values around 2^53 where int and double part.
  MetadataValue RandomNumber() {
    switch (Uniform(0, 3)) {
      case 0:
        return int64_t{Uniform(-3, 3)};
      case 1:
        return Uniform(-6, 6) / 2.0;
      case 2:
        return int64_t{9007199254740992} + Uniform(0, 2);
      default:
        return 9007199254740992.0 + 2.0 * Uniform(0, 1);
    }
  }

  MetadataValue RandomMixed() {
    switch (Uniform(0, 4)) {
      case 0:
        return Word();
      case 1:
      case 2:
        return RandomNumber();
      case 3:
        return Chance(0.5);
      default:
        return WordList();
    }
  }

  static FilterValue FromNumber(const MetadataValue& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return *i;
    return std::get<double>(v);
  }

  // Mostly the family the field holds (0 string, 1 number, 2 bool), so that
  // conditions select; sometimes another.
  int FamilyFor(const std::string& field) {
    if (Chance(0.25) || field == "m" || field == "missing") {
      return Uniform(0, 2);
    }
    if (field == "n") return 1;
    if (field == "b") return 2;
    return 0;
  }

  FilterValue ValueOf(int family) {
    switch (family) {
      case 0:
        return Word();
      case 1:
        return FromNumber(RandomNumber());
      default:
        return Chance(0.5);
    }
  }

  std::vector<Filter> Children(int depth) {
    std::vector<Filter> children;
    const int n = Uniform(1, 3);
    for (int i = 0; i < n; ++i) children.push_back(RandomFilter(depth - 1));
    return children;
  }

  std::mt19937_64 rng_;
};

// Checks `filters` random trees: the index answer equals the oracle's.
void CheckRandomFilters(const FilterIndexes& x, Generator& gen, int filters) {
  const uint64_t universe = x.points().size();
  int partial = 0;  // Trees matching some but not all points.
  for (int i = 0; i < filters; ++i) {
    const Filter filter = gen.RandomFilter(4);
    REQUIRE(ValidateFilter(filter).ok());
    const Labels expected = x.Oracle(filter);
    const Labels actual = Evaluate(x, filter);
    CHECK(actual == expected);
    if (actual != expected) break;  // One diverging tree is enough to debug.
    CHECK(x.Estimate(filter) <= universe);
    if (!expected.empty() && expected.size() < universe) ++partial;
  }
  // The generator must exercise the indexes, not produce trivial trees.
  CHECK(partial > filters / 2);
}

TEST_CASE("EvaluateFilter agrees with the reference matcher on random data",
          "[secondary][property]") {
  Generator gen(20240601);
  FilterIndexes x;
  const uint64_t kPoints = 3000;
  for (uint64_t label = 0; label < kPoints; ++label) {
    x.Put(label * 3 + 1, gen.RandomMetadata(), gen.RandomDocument());
  }
  CheckRandomFilters(x, gen, 400);

  // Erase one third of the points and replace another third.
  for (uint64_t label = 0; label < kPoints; ++label) {
    const int pick = gen.Uniform(0, 2);
    if (pick == 0) x.Remove(label * 3 + 1);
    if (pick == 1) {
      x.Put(label * 3 + 1, gen.RandomMetadata(), gen.RandomDocument());
    }
  }
  CheckRandomFilters(x, gen, 400);

  // New labels, some beyond 2^32.
  for (uint64_t label = 0; label < 300; ++label) {
    x.Put((uint64_t{1} << 33) + label, gen.RandomMetadata(),
          gen.RandomDocument());
  }
  CheckRandomFilters(x, gen, 200);
}

TEST_CASE("EstimateFilter is exact for single string conditions",
          "[secondary]") {
  Generator gen(7);
  FilterIndexes x;
  for (uint64_t label = 0; label < 500; ++label) {
    x.Put(label, gen.RandomMetadata(), gen.RandomDocument());
  }
  for (const Filter& condition :
       {FieldFilter("s", FieldOp::kEq, {std::string("ab")}),
        FieldFilter("s", FieldOp::kIn, {std::string("a"), std::string("c")}),
        FieldFilter("s", FieldOp::kExists),
        FieldFilter("b", FieldOp::kEq, {false}),
        FieldFilter("s", FieldOp::kNotIn, {std::string("b")})}) {
    CHECK(x.Estimate(condition) == x.Oracle(condition).size());
  }
  // and: min, or: capped sum, not: complement.
  const Filter a = FieldFilter("s", FieldOp::kEq, {std::string("a")});
  const Filter b = FieldFilter("s", FieldOp::kEq, {std::string("b")});
  const uint64_t na = x.Oracle(a).size();
  const uint64_t nb = x.Oracle(b).size();
  CHECK(x.Estimate(AndFilter({a, b})) == std::min(na, nb));
  CHECK(x.Estimate(OrFilter({a, b})) == na + nb);
  CHECK(x.Estimate(NotFilter(a)) == 500 - na);
  CHECK(x.Estimate(OrFilter({NotFilter(a), NotFilter(b)})) == 500);
}

TEST_CASE("Text conditions use postings and confirm phrases", "[secondary]") {
  FilterIndexes x;
  x.Put(1, {}, "The red fox runs");
  x.Put(2, {}, "fox, red; runs far");
  x.Put(3, {}, "RED FOX");
  x.Put(4, {}, std::nullopt);
  x.Put(5, {}, "");

  CHECK(Evaluate(x, TextFilter(TextOp::kContains, "fox")) == Labels{1, 2, 3});
  CHECK(x.phrase_checks() == 0);
  CHECK(Evaluate(x, TextFilter(TextOp::kContains, "Red fox")) == Labels{1, 3});
  // Only documents holding every token reach the phrase check.
  CHECK(x.phrase_checks() == 3);
  CHECK(Evaluate(x, TextFilter(TextOp::kNotContains, "red fox")) ==
        Labels{2, 4, 5});
  CHECK(Evaluate(x, TextFilter(TextOp::kContains, "purple fox")).empty());
  CHECK(x.Estimate(TextFilter(TextOp::kContains, "fox far")) == 1);
  CHECK(x.Estimate(TextFilter(TextOp::kNotContains, "fox far")) == 4);
}

TEST_CASE("EvaluateFilter passes on a phrase checker's error", "[secondary]") {
  FilterIndexes x;
  x.Put(1, {}, "red fox");
  PhraseChecker failing =
      [](const LabelSet&,
         absl::Span<const std::string>) -> absl::StatusOr<LabelSet> {
    return absl::DataLossError("document unreadable");
  };
  auto result =
      EvaluateFilter(AndFilter({TextFilter(TextOp::kContains, "red fox")}),
                     x.metadata(), x.text(), failing);
  CHECK(result.status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("And subtracts negated children from the positive ones",
          "[secondary]") {
  FilterIndexes x;
  x.Put(1, {{"s", std::string("a")}}, std::nullopt);
  x.Put(2, {{"s", std::string("b")}}, std::nullopt);
  x.Put(3, {{"s", std::string("a")}, {"b", true}}, std::nullopt);
  x.Put(4, {}, std::nullopt);
  const Filter is_a = FieldFilter("s", FieldOp::kEq, {std::string("a")});
  const Filter has_b = FieldFilter("b", FieldOp::kExists);
  CHECK(Evaluate(x, AndFilter({is_a, NotFilter(has_b)})) == Labels{1});
  CHECK(Evaluate(x, AndFilter({NotFilter(is_a), NotFilter(has_b)})) ==
        Labels{2, 4});
  CHECK(Evaluate(x, NotFilter(OrFilter({is_a, has_b}))) == Labels{2, 4});
}

}  // namespace
}  // namespace vecdb
