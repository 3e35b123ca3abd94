#include "collection/query_validation.h"

#include <cmath>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "collection/validation.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "filter/filter_validation.h"
#include "text/tokenizer.h"

namespace vecdb {
namespace {

absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(field), ": ", AsAbsl(problem)));
}

}  // namespace

absl::Status ValidateSearch(absl::Span<const std::vector<float>> vectors,
                            absl::Span<const std::string> texts,
                            const QueryOptions& options,
                            const CollectionRecord& record) {
  if (vectors.empty() && texts.empty()) {
    return Invalid("queries", "must not be empty (or give text_queries)");
  }
  const bool hybrid = !vectors.empty() && !texts.empty();
  if (hybrid && vectors.size() != texts.size()) {
    return Invalid("text_queries",
                   absl::StrCat("a hybrid query pairs queries and "
                                "text_queries by position: got ",
                                vectors.size(), " vectors and ",
                                texts.size(), " texts"));
  }
  if (options.k < 1 || options.k > kMaxK) {
    return Invalid("k", absl::StrCat("must be in 1..", kMaxK, ", got ",
                                     options.k));
  }
  if (options.ef > kMaxEf) {
    return Invalid("ef", absl::StrCat("must be in 0..", kMaxEf, ", got ",
                                      options.ef));
  }
  for (size_t i = 0; i < vectors.size(); ++i) {
    VECDB_RETURN_IF_ERROR(ValidateVector(vectors[i], record.dimension,
                                         record.metric,
                                         absl::StrCat("queries[", i, "]")));
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string field = absl::StrCat("text_queries[", i, "]");
    if (texts[i].size() > kMaxTextQueryBytes) {
      return Invalid(field, absl::StrCat("longer than ", kMaxTextQueryBytes,
                                         " bytes (", texts[i].size(), ")"));
    }
    if (text::Tokenize(texts[i]).empty()) {
      return Invalid(field, "has no words");
    }
  }
  if (options.filter.has_value()) {
    VECDB_RETURN_IF_ERROR(ValidateFilter(*options.filter));
  }
  const Bm25Params& bm25 = options.bm25;
  if (!(bm25.k1 >= 0 && bm25.k1 <= 100)) {
    return Invalid("bm25.k1", absl::StrCat("must be in 0..100, got ", bm25.k1));
  }
  if (!(bm25.b >= 0 && bm25.b <= 1)) {
    return Invalid("bm25.b", absl::StrCat("must be in 0..1, got ", bm25.b));
  }
  if (hybrid) {
    const HybridOptions& h = options.hybrid;
    if (h.fusion != Fusion::kRrf && h.fusion != Fusion::kRelativeScore) {
      return Invalid("hybrid.fusion",
                     absl::StrCat("unknown fusion ", static_cast<int>(h.fusion)));
    }
    if (!(h.rrf_k > 0 && h.rrf_k <= 1e6)) {
      return Invalid("hybrid.rrf_k",
                     absl::StrCat("must be in (0, 1e6], got ", h.rrf_k));
    }
    if (!(h.vector_weight >= 0 && std::isfinite(h.vector_weight))) {
      return Invalid("hybrid.vector_weight",
                     absl::StrCat("must be finite and >= 0, got ",
                                  h.vector_weight));
    }
    if (!(h.text_weight >= 0 && std::isfinite(h.text_weight))) {
      return Invalid("hybrid.text_weight",
                     absl::StrCat("must be finite and >= 0, got ",
                                  h.text_weight));
    }
    if (h.vector_weight == 0 && h.text_weight == 0) {
      return Invalid("hybrid", "vector_weight and text_weight are both 0");
    }
    if (h.candidates > kMaxHybridCandidates) {
      return Invalid("hybrid.candidates",
                     absl::StrCat("must be at most ", kMaxHybridCandidates,
                                  ", got ", h.candidates));
    }
  }
  return absl::OkStatus();
}

}  // namespace vecdb
