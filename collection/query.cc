// Collection queries: vector, text (BM25) and hybrid (RRF) search, with
// optional filters, and the choice of search path per query.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collection/collection.h"
#include "collection/fusion.h"
#include "collection/validation.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "filter/filter_validation.h"
#include "filter/matcher.h"
#include "secondary/filter_eval.h"
#include "text/tokenizer.h"

namespace vecdb {
namespace {

// Lets the graph walk ask whether a label matches the filter.
class LabelSetFilter : public LabelFilter {
 public:
  explicit LabelSetFilter(const LabelSet& set) : set_(set) {}
  bool Contains(uint64_t label) const override { return set_.contains(label); }

 private:
  const LabelSet& set_;
};

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The cost model that picks a filtered query's path, in distance
// computations. Exact search computes one distance per matching point. An
// unfiltered beam search of width w on a graph of degree m computes about
// 1.2·w·m distances (measured at 100k × 128, M 16); admitting only a
// fraction s of the points lengthens the walk by about 1/sqrt(s) (measured
// 1.36× at s = 0.5). A walk that turns out longer than exact search is cut
// off at that cost and answered exactly, so a wrong guess costs at most 2×.
struct PathChoice {
  bool exact = false;
  double exact_cost = 0;
  double graph_cost = 0;
};

PathChoice ChoosePath(uint64_t estimate, uint64_t live, size_t width,
                      uint32_t m) {
  PathChoice choice;
  const double s = live == 0 ? 1.0
                             : std::clamp(static_cast<double>(estimate) /
                                              static_cast<double>(live),
                                          1e-9, 1.0);
  choice.exact_cost = static_cast<double>(estimate);
  choice.graph_cost = 1.2 * static_cast<double>(width) * m / std::sqrt(s);
  choice.exact = choice.exact_cost <= choice.graph_cost;
  return choice;
}

std::string Percent(uint64_t part, uint64_t whole) {
  return absl::StrFormat(
      "%.3g%%", whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) /
                                       static_cast<double>(whole));
}

absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(field), ": ", AsAbsl(problem)));
}

}  // namespace

absl::Status Collection::ValidateQuery(
    absl::Span<const std::vector<float>> vectors,
    absl::Span<const std::string> texts, const QueryOptions& options) const {
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
    VECDB_RETURN_IF_ERROR(ValidateVector(vectors[i], record_.dimension,
                                         record_.metric,
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

absl::StatusOr<LabelSet> Collection::Evaluate(const Filter& filter,
                                              uint64_t* seq,
                                              uint64_t* estimate) const {
  // Phrases: the postings give the documents holding every word; their
  // text says whether the words are consecutive.
  return state_.Read([&](const SecondaryIndexes& secondary, const LabelMap& ids,
                         uint64_t at) -> absl::StatusOr<LabelSet> {
    if (seq != nullptr) *seq = at;
    if (estimate != nullptr) {
      *estimate = EstimateFilter(filter, secondary.metadata, secondary.text);
    }
    PhraseChecker phrases =
        [&](const LabelSet& candidates,
            absl::Span<const std::string> phrase) -> absl::StatusOr<LabelSet> {
      std::vector<uint64_t> labels;
      std::vector<std::string> point_ids;
      for (uint64_t label : candidates) {
        if (auto it = ids.find(label); it != ids.end()) {
          labels.push_back(label);
          point_ids.push_back(it->second);
        }
      }
      VECDB_ASSIGN_OR_RETURN(
          auto docs, store_->MultiGet(record_.id, point_ids,
                                      {.vector = false, .metadata = false,
                                       .document = true}));
      LabelSet confirmed;
      for (size_t i = 0; i < docs.size(); ++i) {
        if (!docs[i].has_value() || !docs[i]->document.has_value()) continue;
        if (ContainsPhrase(text::Tokenize(*docs[i]->document), phrase)) {
          confirmed.add(labels[i]);
        }
      }
      return confirmed;
    };
    return EvaluateFilter(filter, secondary.metadata, secondary.text, phrases);
  });
}

absl::StatusOr<std::vector<Hit>> Collection::VectorSearch(
    const SearchContext& ctx, absl::Span<const float> query, size_t k,
    size_t ef, const LabelSet* matches, uint64_t estimate,
    QueryExplain* explain) const {
  VectorIndex& index = *ctx.graph;
  const uint64_t snap = ctx.snapshot;
  SearchStats stats;
  std::vector<SearchHit> found;
  QueryPath path = QueryPath::kGraph;
  std::string reason;
  if (matches == nullptr) {
    if (explain != nullptr) {
      // The same walk as Search(), with its work counted.
      VECDB_ASSIGN_OR_RETURN(
          found,
          index.SearchFiltered(query, k, ef, nullptr, 0, &stats, snap));
      reason = "no filter: HNSW search";
    } else {
      VECDB_ASSIGN_OR_RETURN(found, index.Search(query, k, ef, snap));
    }
  } else {
    const uint64_t actual = matches->cardinality();
    const uint64_t live = index.Size();
    const size_t width = std::max(ef, k);
    // The path is planned from the indexes' estimate; the filter has been
    // evaluated already, so a plan the exact count contradicts is
    // corrected (an estimate can be far off for and/not combinations).
    const PathChoice planned = ChoosePath(estimate, live, width, record_.hnsw.m);
    const PathChoice choice = ChoosePath(actual, live, width, record_.hnsw.m);
    const std::string plan = absl::StrFormat(
        "estimated %d of %d points match (%s), actually %d: ", estimate, live,
        Percent(estimate, live), actual);
    const std::string corrected =
        planned.exact != choice.exact
            ? absl::StrFormat(" (the estimate alone chose %s)",
                              planned.exact ? "exact search" : "the walk")
            : "";
    // Exact search over the matching points; its work adds to `stats`.
    auto exact = [&]() -> absl::Status {
      std::vector<uint64_t> labels(actual);
      matches->toUint64Array(labels.data());
      SearchStats exact_stats;
      VECDB_ASSIGN_OR_RETURN(
          found, index.SearchAmong(query, k, labels, &exact_stats, snap));
      stats.distance_computations += exact_stats.distance_computations;
      stats.nodes_expanded += exact_stats.nodes_expanded;
      return absl::OkStatus();
    };
    if (actual == 0) {
      path = QueryPath::kExactCandidates;
      reason = plan + "nothing to search";
    } else if (choice.exact) {
      path = QueryPath::kExactCandidates;
      reason = absl::StrFormat(
          "%sexact search over them costs ~%.0f distance computations, a "
          "filtered graph walk ~%.0f%s",
          plan, choice.exact_cost, choice.graph_cost, corrected);
      VECDB_RETURN_IF_ERROR(exact());
    } else {
      path = QueryPath::kFilteredGraph;
      reason = absl::StrFormat(
          "%sa filtered graph walk costs ~%.0f distance computations, exact "
          "search ~%.0f%s",
          plan, choice.graph_cost, choice.exact_cost, corrected);
      LabelSetFilter filter(*matches);
      // Past `actual` distance computations exact search is cheaper.
      VECDB_ASSIGN_OR_RETURN(
          found, index.SearchFiltered(query, k, ef, &filter,
                                      static_cast<size_t>(actual), &stats,
                                      snap));
      // A walk cut off at its budget may hold k hits that are not the
      // nearest: only a walk that converged is trusted.
      if (stats.budget_exhausted ||
          found.size() < std::min<uint64_t>(k, actual)) {
        path = QueryPath::kFilteredGraphThenExact;
        absl::StrAppend(&reason, stats.budget_exhausted
                                     ? "; the walk ran over its budget"
                                     : "; the walk found too few matches",
                        absl::StrFormat(" (%d of %d), answered exactly",
                                        found.size(),
                                        std::min<uint64_t>(k, actual)));
        VECDB_RETURN_IF_ERROR(exact());
      }
    }
  }
  if (explain != nullptr) {
    explain->path = path;
    explain->reason = std::move(reason);
    explain->distance_computations += stats.distance_computations;
    explain->nodes_expanded += stats.nodes_expanded;
  }
  std::vector<Hit> hits;
  hits.reserve(found.size());
  state_.Read([&](const SecondaryIndexes&, const LabelMap& ids, uint64_t) {
    for (const SearchHit& h : found) {
      auto it = ids.find(h.label);
      // A label deleted long after the snapshot may be gone; the caller
      // searches again when hits are missing.
      if (it == ids.end()) continue;
      Hit& hit = hits.emplace_back();
      hit.point.id = it->second;
      hit.distance = h.distance;
    }
    return 0;
  });
  return hits;
}

std::vector<Hit> Collection::TextSearch(absl::Span<const std::string> tokens,
                                        size_t k, const Bm25Params& params,
                                        const LabelSet* matches,
                                        QueryExplain* explain) const {
  std::vector<Hit> hits;
  state_.Read([&](const SecondaryIndexes& secondary, const LabelMap& ids,
                  uint64_t) {
    TextSearchStats stats;
    std::vector<TextHit> found =
        secondary.text.Search(tokens, k, matches, params, &stats);
    if (explain != nullptr) explain->postings_scored += stats.postings_scored;
    hits.reserve(found.size());
    for (const TextHit& h : found) {
      auto it = ids.find(h.label);
      if (it == ids.end()) continue;
      Hit& hit = hits.emplace_back();
      hit.point.id = it->second;
      hit.score = h.score;
    }
    return 0;
  });
  return hits;
}

absl::StatusOr<QueryResult> Collection::SearchOne(
    const SearchContext& ctx, const std::vector<float>* vector,
    const std::string* text, const QueryOptions& options,
    const LabelSet* matches, uint64_t estimate) const {
  const int64_t start = NowMicros();
  QueryResult result;
  QueryExplain explain;
  QueryExplain* ex = options.explain ? &explain : nullptr;
  const size_t k = options.k;
  const size_t ef = std::max<size_t>(
      options.ef != 0 ? options.ef : record_.hnsw.ef_search, k);
  explain.estimated_matches = estimate;
  explain.actual_matches =
      matches != nullptr ? matches->cardinality() : ctx.graph->Size();
  if (vector != nullptr && text == nullptr) {
    VECDB_ASSIGN_OR_RETURN(
        result.hits,
        VectorSearch(ctx, *vector, k, ef, matches, estimate, ex));
  } else if (vector == nullptr) {
    explain.path = QueryPath::kText;
    explain.reason = "text query: BM25 over the text index";
    result.hits = TextSearch(text::Tokenize(*text), k, options.bm25, matches,
                             ex);
  } else {
    // Hybrid: each ranking contributes its best candidates, which are fused
    // by rank (RRF) or by normalised score.
    const HybridOptions& h = options.hybrid;
    const size_t candidates = std::max<size_t>(
        h.candidates != 0 ? h.candidates : std::max<size_t>(k, 100), k);
    VECDB_ASSIGN_OR_RETURN(
        std::vector<Hit> by_vector,
        VectorSearch(ctx, *vector, candidates, std::max(ef, candidates),
                     matches, estimate, ex));
    std::vector<Hit> by_text = TextSearch(text::Tokenize(*text), candidates,
                                          options.bm25, matches, ex);
    // Fuse by position; ids stand in for labels through an index.
    absl::flat_hash_map<std::string_view, uint64_t> slot;
    std::vector<const std::string*> id_of;
    auto key = [&](const std::string& id) {
      auto [it, inserted] = slot.emplace(id, id_of.size());
      if (inserted) id_of.push_back(&id);
      return it->second;
    };
    std::vector<RankedLabel> vr, tr;
    for (const Hit& hit : by_vector) vr.push_back({key(hit.point.id), hit.distance});
    for (const Hit& hit : by_text) tr.push_back({key(hit.point.id), hit.score});
    const bool rrf = h.fusion == Fusion::kRrf;
    for (const FusedLabel& f :
         rrf ? FuseRankings(vr, tr, h.rrf_k, h.vector_weight, h.text_weight, k)
             : FuseRelativeScores(vr, tr, h.vector_weight, h.text_weight,
                                  k)) {
      Hit& hit = result.hits.emplace_back();
      hit.point.id = *id_of[f.label];
      hit.score = f.score;
      hit.distance = f.distance;
      hit.vector_rank = f.vector_rank;
      hit.text_rank = f.text_rank;
      hit.text_score = f.text_score;
    }
    absl::StrAppend(&explain.reason, "; hybrid: ",
                    rrf ? "RRF" : "relative score fusion", " of ",
                    by_vector.size(),
                    " vector and ", by_text.size(), " text candidates");
  }
  if (options.explain) {
    explain.search_micros = static_cast<uint64_t>(NowMicros() - start);
    result.explain = std::move(explain);
  }
  return result;
}

absl::StatusOr<std::vector<QueryResult>> Collection::RunQueries(
    absl::Span<const std::vector<float>> vectors,
    absl::Span<const std::string> texts, const QueryOptions& opts,
    size_t first, size_t count) {
  SearchContext ctx;
  ctx.graph = state_.graph();
  std::optional<LabelSet> matches;
  uint64_t estimate = 0;
  // The snapshot, the estimate and the evaluated filter are all taken at
  // one state of the indexes.
  if (opts.filter.has_value()) {
    VECDB_ASSIGN_OR_RETURN(
        matches, Evaluate(*opts.filter, &ctx.snapshot, &estimate));
  } else {
    VECDB_RETURN_IF_ERROR(state_.Read(
        [&](const SecondaryIndexes&, const LabelMap&, uint64_t seq) {
          ctx.snapshot = seq;
          return absl::OkStatus();
        }));
    estimate = ctx.graph->Size();
  }
  std::vector<QueryResult> out(count);
  for (size_t q = first; q < first + count; ++q) {
    VECDB_ASSIGN_OR_RETURN(
        out[q - first],
        SearchOne(ctx, vectors.empty() ? nullptr : &vectors[q],
                  texts.empty() ? nullptr : &texts[q], opts,
                  matches.has_value() ? &*matches : nullptr, estimate));
  }
  return out;
}

absl::StatusOr<std::vector<QueryResult>> Collection::Search(
    absl::Span<const std::vector<float>> vectors,
    absl::Span<const std::string> texts, const QueryOptions& options) {
  VECDB_RETURN_IF_ERROR(CheckLive());
  VECDB_RETURN_IF_ERROR(ValidateQuery(vectors, texts, options));
  const size_t n = std::max(vectors.size(), texts.size());
  VECDB_ASSIGN_OR_RETURN(std::vector<QueryResult> results,
                         RunQueries(vectors, texts, options, 0, n));
  const Include& include = options.include;
  if (!include.vector && !include.metadata && !include.document) {
    return results;
  }
  std::vector<size_t> found(n);
  for (size_t q = 0; q < n; ++q) found[q] = results[q].hits.size();
  VECDB_RETURN_IF_ERROR(FillPoints(results, include));
  // A point deleted between the search and the read above is dropped; run
  // such a query again, wider, so that it still returns as many hits.
  for (size_t q = 0; q < n; ++q) {
    QueryOptions wider = options;
    for (uint32_t k = 2 * options.k;
         results[q].hits.size() < found[q] && k <= 8 * options.k; k *= 2) {
      wider.k = k;
      wider.ef = std::max<uint32_t>(
          options.ef != 0 ? options.ef : record_.hnsw.ef_search, k);
      VECDB_ASSIGN_OR_RETURN(auto retry,
                             RunQueries(vectors, texts, wider, q, 1));
      const size_t retry_found = retry[0].hits.size();
      VECDB_RETURN_IF_ERROR(FillPoints(retry, include));
      if (retry[0].hits.size() > options.k) retry[0].hits.resize(options.k);
      retry[0].explain = std::move(results[q].explain);
      results[q] = std::move(retry[0]);
      if (retry_found < k) break;  // no more matching points
    }
  }
  return results;
}

absl::StatusOr<std::vector<std::vector<Hit>>> Collection::Query(
    absl::Span<const std::vector<float>> queries, const QueryOptions& options) {
  VECDB_ASSIGN_OR_RETURN(std::vector<QueryResult> results,
                         Search(queries, {}, options));
  std::vector<std::vector<Hit>> hits(results.size());
  for (size_t q = 0; q < results.size(); ++q) {
    hits[q] = std::move(results[q].hits);
  }
  return hits;
}

absl::Status Collection::FillPoints(std::vector<QueryResult>& results,
                                    const Include& include) {
  std::vector<std::string> ids;
  for (const QueryResult& r : results) {
    for (const Hit& hit : r.hits) ids.push_back(hit.point.id);
  }
  VECDB_ASSIGN_OR_RETURN(
      auto stored,
      store_->MultiGet(record_.id, ids,
                       {.vector = include.vector,
                        .metadata = include.metadata,
                        .document = include.document}));
  size_t next = 0;
  for (QueryResult& r : results) {
    std::vector<Hit> kept;
    kept.reserve(r.hits.size());
    for (Hit& hit : r.hits) {
      auto& record = stored[next++];
      if (!record.has_value()) continue;  // deleted after the search
      if (include.vector) hit.point.vector = std::move(record->vector);
      if (include.metadata) hit.point.metadata = std::move(record->metadata);
      if (include.document) hit.point.document = std::move(record->document);
      kept.push_back(std::move(hit));
    }
    r.hits = std::move(kept);
  }
  return absl::OkStatus();
}

}  // namespace vecdb
