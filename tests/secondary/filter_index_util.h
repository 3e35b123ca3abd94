// A small in-memory collection for filter tests: points kept by label next
// to the MetadataIndex and TextIndex built from their entries
// (secondary/entries.h), with the reference matcher as the oracle.
#ifndef VECDB_TESTS_SECONDARY_FILTER_INDEX_UTIL_H_
#define VECDB_TESTS_SECONDARY_FILTER_INDEX_UTIL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/filter.h"
#include "common/types.h"
#include "filter/matcher.h"
#include "secondary/entries.h"
#include "secondary/filter_eval.h"
#include "secondary/label_set.h"
#include "secondary/metadata_index.h"
#include "secondary/text_index.h"
#include "text/tokenizer.h"

namespace vecdb::testing {

struct StoredPoint {
  Metadata metadata;
  std::optional<std::string> document;
};

class FilterIndexes {
 public:
  // Adds or replaces the point at `label`.
  void Put(uint64_t label, Metadata metadata,
           std::optional<std::string> document) {
    Remove(label);
    Apply(label, metadata, document, /*insert=*/true);
    points_[label] = {std::move(metadata), std::move(document)};
  }

  void Remove(uint64_t label) {
    auto it = points_.find(label);
    if (it == points_.end()) return;
    Apply(label, it->second.metadata, it->second.document, /*insert=*/false);
    points_.erase(it);
  }

  // The labels the reference matcher accepts, sorted.
  std::vector<uint64_t> Oracle(const Filter& filter) const {
    std::vector<uint64_t> labels;
    for (const auto& [label, point] : points_) {
      if (MatchesFilter(filter, point.metadata, point.document)) {
        labels.push_back(label);
      }
    }
    return labels;
  }

  absl::StatusOr<LabelSet> Evaluate(const Filter& filter) const {
    return EvaluateFilter(filter, metadata_, text_, Phrases());
  }

  uint64_t Estimate(const Filter& filter) const {
    return EstimateFilter(filter, metadata_, text_);
  }

  // Confirms phrase candidates from the stored documents, as the collection
  // does; counts the candidates it was asked about.
  PhraseChecker Phrases() const {
    return
        [this](
            const LabelSet& candidates,
            absl::Span<const std::string> phrase) -> absl::StatusOr<LabelSet> {
          LabelSet confirmed;
          for (uint64_t label : candidates) {
            ++phrase_checks_;
            const auto& document = points_.at(label).document;
            if (document && ContainsPhrase(text::Tokenize(*document), phrase)) {
              confirmed.add(label);
            }
          }
          return confirmed;
        };
  }

  const std::map<uint64_t, StoredPoint>& points() const { return points_; }
  const MetadataIndex& metadata() const { return metadata_; }
  const TextIndex& text() const { return text_; }
  uint64_t phrase_checks() const { return phrase_checks_; }

 private:
  void Apply(uint64_t label, const Metadata& metadata,
             const std::optional<std::string>& document, bool insert) {
    const PointIndexEntries entries = EntriesFor(label, metadata, document);
    if (insert) {
      AddEntries(entries, metadata_, text_);
      metadata_.AddLabel(label);
    } else {
      RemoveEntries(entries, metadata_, text_);
      metadata_.RemoveLabel(label);
    }
  }

  std::map<uint64_t, StoredPoint> points_;
  MetadataIndex metadata_;
  TextIndex text_;
  mutable uint64_t phrase_checks_ = 0;
};

inline std::vector<uint64_t> ToVector(const LabelSet& set) {
  std::vector<uint64_t> labels;
  for (uint64_t label : set) labels.push_back(label);
  return labels;
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_SECONDARY_FILTER_INDEX_UTIL_H_
