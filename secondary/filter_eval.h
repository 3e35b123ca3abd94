// Evaluating a whole filter tree against the in-memory indexes.
//
// EstimateFilter combines per-node estimates without building any set
// (and: min; or: sum capped at N; not: N - child; text: document
// frequency of the rarest token), so a query can choose its path
// cheaply. EvaluateFilter builds the exact LabelSet with set algebra; for a
// multi-token text condition it intersects the tokens' postings and asks
// `phrases` to confirm the candidates (the collection reads their
// documents).
//
// Thread safety: none beyond that of the indexes it reads.
#ifndef VECDB_SECONDARY_FILTER_EVAL_H_
#define VECDB_SECONDARY_FILTER_EVAL_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/filter.h"
#include "secondary/label_set.h"
#include "secondary/metadata_index.h"
#include "secondary/text_index.h"

namespace vecdb {

// Returns the subset of `candidates` whose document holds `phrase` (2+
// tokens) consecutively.
using PhraseChecker = std::function<absl::StatusOr<LabelSet>(
    const LabelSet& candidates, absl::Span<const std::string> phrase)>;

// REQUIRES: ValidateFilter(filter) is OK (here and below).
uint64_t EstimateFilter(const Filter& filter, const MetadataIndex& metadata,
                        const TextIndex& text);

absl::StatusOr<LabelSet> EvaluateFilter(const Filter& filter,
                                        const MetadataIndex& metadata,
                                        const TextIndex& text,
                                        const PhraseChecker& phrases);

}  // namespace vecdb

#endif  // VECDB_SECONDARY_FILTER_EVAL_H_
