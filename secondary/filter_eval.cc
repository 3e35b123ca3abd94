// An and-node evaluates its positive children first, smallest estimate
// first, and stops as soon as the running intersection is empty; negated
// children (kNot) are then subtracted instead of being complemented
// against every label and intersected. Only an and-node made of negations
// alone starts from all().
#include "secondary/filter_eval.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "common/status_macros.h"
#include "text/tokenizer.h"

namespace vecdb {
namespace {

// The distinct tokens of a phrase, rarest first.
std::vector<std::string> DistinctByRarity(
    const std::vector<std::string>& tokens, const TextIndex& text) {
  std::vector<std::pair<uint64_t, std::string>> ranked;
  absl::flat_hash_set<std::string> seen;
  for (const std::string& token : tokens) {
    if (seen.insert(token).second) {
      ranked.emplace_back(text.DocumentFrequency(token), token);
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> result;
  for (auto& [df, token] : ranked) result.push_back(std::move(token));
  return result;
}

uint64_t EstimateText(const Filter& filter, const TextIndex& text,
                      uint64_t universe) {
  uint64_t rarest = universe;
  for (const std::string& token : text::Tokenize(filter.text)) {
    rarest = std::min(rarest, text.DocumentFrequency(token));
  }
  if (filter.text_op == TextOp::kContains) return rarest;
  return universe - rarest;
}

absl::StatusOr<LabelSet> EvaluateText(const Filter& filter,
                                      const MetadataIndex& metadata,
                                      const TextIndex& text,
                                      const PhraseChecker& phrases) {
  const std::vector<std::string> tokens = text::Tokenize(filter.text);
  LabelSet contains;
  const std::vector<std::string> distinct = DistinctByRarity(tokens, text);
  for (size_t i = 0; i < distinct.size(); ++i) {
    if (i == 0) {
      contains = text.Postings(distinct[i]);
    } else {
      contains &= text.Postings(distinct[i]);
    }
    if (contains.isEmpty()) break;
  }
  if (tokens.size() > 1 && !contains.isEmpty()) {
    VECDB_ASSIGN_OR_RETURN(contains, phrases(contains, tokens));
  }
  if (filter.text_op == TextOp::kContains) return contains;
  LabelSet result = metadata.all();
  result -= contains;
  return result;
}

class Evaluator {
 public:
  Evaluator(const MetadataIndex& metadata, const TextIndex& text,
            const PhraseChecker& phrases)
      : metadata_(metadata), text_(text), phrases_(phrases) {}

  absl::StatusOr<LabelSet> Evaluate(const Filter& filter) const {
    switch (filter.kind) {
      case Filter::Kind::kField:
        return metadata_.Match(filter);
      case Filter::Kind::kText:
        return EvaluateText(filter, metadata_, text_, phrases_);
      case Filter::Kind::kAnd:
        return EvaluateAnd(filter);
      case Filter::Kind::kOr: {
        LabelSet result;
        for (const Filter& child : filter.children) {
          VECDB_ASSIGN_OR_RETURN(LabelSet part, Evaluate(child));
          result |= part;
        }
        return result;
      }
      case Filter::Kind::kNot: {
        VECDB_ASSIGN_OR_RETURN(LabelSet child, Evaluate(filter.children.at(0)));
        LabelSet result = metadata_.all();
        result -= child;
        return result;
      }
    }
    return absl::InvalidArgumentError("unknown filter kind");
  }

 private:
  absl::StatusOr<LabelSet> EvaluateAnd(const Filter& filter) const {
    std::vector<std::pair<uint64_t, const Filter*>> positive;
    std::vector<const Filter*> negated;
    for (const Filter& child : filter.children) {
      if (child.kind == Filter::Kind::kNot) {
        negated.push_back(&child.children.at(0));
      } else {
        positive.emplace_back(EstimateFilter(child, metadata_, text_), &child);
      }
    }
    std::stable_sort(
        positive.begin(), positive.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    LabelSet result;
    if (positive.empty()) result = metadata_.all();
    for (size_t i = 0; i < positive.size(); ++i) {
      VECDB_ASSIGN_OR_RETURN(LabelSet part, Evaluate(*positive[i].second));
      if (i == 0) {
        result = std::move(part);
      } else {
        result &= part;
      }
      if (result.isEmpty()) return result;
    }
    for (const Filter* child : negated) {
      VECDB_ASSIGN_OR_RETURN(LabelSet part, Evaluate(*child));
      result -= part;
      if (result.isEmpty()) break;
    }
    return result;
  }

  const MetadataIndex& metadata_;
  const TextIndex& text_;
  const PhraseChecker& phrases_;
};

}  // namespace

uint64_t EstimateFilter(const Filter& filter, const MetadataIndex& metadata,
                        const TextIndex& text) {
  const uint64_t universe = metadata.all().cardinality();
  switch (filter.kind) {
    case Filter::Kind::kField:
      return std::min(metadata.Estimate(filter), universe);
    case Filter::Kind::kText:
      return EstimateText(filter, text, universe);
    case Filter::Kind::kAnd: {
      uint64_t smallest = universe;
      for (const Filter& child : filter.children) {
        smallest = std::min(smallest, EstimateFilter(child, metadata, text));
      }
      return smallest;
    }
    case Filter::Kind::kOr: {
      uint64_t sum = 0;
      for (const Filter& child : filter.children) {
        sum = std::min(universe, sum + EstimateFilter(child, metadata, text));
      }
      return sum;
    }
    case Filter::Kind::kNot:
      return universe - std::min(universe, EstimateFilter(filter.children.at(0),
                                                          metadata, text));
  }
  return universe;
}

absl::StatusOr<LabelSet> EvaluateFilter(const Filter& filter,
                                        const MetadataIndex& metadata,
                                        const TextIndex& text,
                                        const PhraseChecker& phrases) {
  return Evaluator(metadata, text, phrases).Evaluate(filter);
}

}  // namespace vecdb
