// Collection queries: vector, text (BM25) and hybrid (RRF) search, with
// optional filters. The path of a filtered vector query is chosen by
// collection/query_plan.h; requests are checked by
// collection/query_validation.h.
#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "collection/collection.h"
#include "collection/fusion.h"
#include "collection/phrase_confirmations.h"
#include "collection/query_plan.h"
#include "collection/query_validation.h"
#include "common/status_macros.h"
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

}  // namespace

absl::StatusOr<LabelSet> Collection::Evaluate(const Filter& filter,
                                              uint64_t* seq,
                                              uint64_t* estimate) const {
  // Phrases: the postings give the documents holding every word; their
  // text, read from RocksDB between passes and outside the lock, says
  // whether the words are consecutive (collection/phrase_confirmations.h).
  constexpr int kPasses = 4;
  PhraseConfirmations phrases;
  for (int pass = 1;; ++pass) {
    const bool last = pass == kPasses;
    absl::StatusOr<LabelSet> matches = state_.Read(
        [&](const SecondaryIndexes& secondary, const LabelMap& ids,
            uint64_t at) -> absl::StatusOr<LabelSet> {
          if (seq != nullptr) *seq = at;
          if (estimate != nullptr) {
            *estimate =
                EstimateFilter(filter, secondary.metadata, secondary.text);
          }
          return EvaluateFilter(
              filter, secondary.metadata, secondary.text,
              last ? phrases.Checker(ids, store_, record_.id)
                   : phrases.Checker(ids));
        });
    if (!matches.ok() || phrases.complete()) return matches;
    VECDB_RETURN_IF_ERROR(phrases.Resolve(*store_, record_.id));
  }
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
    // The path is planned from the indexes' estimate; the filter has been
    // evaluated already, so a plan the exact count contradicts is
    // corrected (an estimate can be far off for and/not combinations).
    FilteredPlan plan = PlanFilteredQuery(estimate, actual, index.Size(),
                                          std::max(ef, k), record_.hnsw.m);
    path = plan.path;
    reason = std::move(plan.reason);
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
      // Nothing to search.
    } else if (path == QueryPath::kExactCandidates) {
      VECDB_RETURN_IF_ERROR(exact());
    } else {
      LabelSetFilter filter(*matches);
      // Past `actual` distance computations exact search is cheaper.
      VECDB_ASSIGN_OR_RETURN(
          found, index.SearchFiltered(query, k, ef, &filter,
                                      static_cast<size_t>(actual), &stats,
                                      snap));
      // A walk cut off at its budget may hold k hits that are not the
      // nearest: only a walk that converged is trusted.
      const uint64_t wanted = std::min<uint64_t>(k, actual);
      if (stats.budget_exhausted || found.size() < wanted) {
        path = QueryPath::kFilteredGraphThenExact;
        absl::StrAppend(&reason, WalkFallbackReason(stats.budget_exhausted,
                                                    found.size(), wanted));
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
  VECDB_RETURN_IF_ERROR(ValidateSearch(vectors, texts, options, record_));
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
