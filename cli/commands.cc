#include "cli/commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cli/filter_json.h"
#include "cli/output.h"
#include "cli/readers.h"
#include "cli/retrieve_command.h"
#include "common/status_macros.h"

namespace vecdb::cli {
namespace {

using Json = nlohmann::json;

// Queries per request: large files are sent in slices so that one request
// stays well under the server's batch and message limits.
constexpr size_t kQueriesPerRequest = 100;

absl::StatusOr<Metric> ParseMetric(const std::string& text) {
  if (text == "cosine") return Metric::kCosine;
  if (text == "l2") return Metric::kL2;
  if (text == "ip") return Metric::kInnerProduct;
  return UsageError(
      absl::StrCat("--metric: expected cosine, l2 or ip, got '", text, "'"));
}

absl::StatusOr<Include> ParseInclude(const ParsedArgs& args) {
  Include include;
  const std::optional<std::string> text = args.Get("include");
  if (!text.has_value()) return include;
  for (absl::string_view part : absl::StrSplit(*text, ',')) {
    if (part == "metadata") {
      include.metadata = true;
    } else if (part == "document") {
      include.document = true;
    } else if (part == "vector") {
      include.vector = true;
    } else {
      return UsageError(absl::StrCat(
          "--include: expected metadata, document or vector, got '", part,
          "'"));
    }
  }
  return include;
}

// Exactly one of `names` must be given; returns which.
absl::StatusOr<std::string> OneOf(const ParsedArgs& args,
                                  const std::vector<std::string>& names) {
  std::vector<std::string> given;
  for (const std::string& name : names) {
    if (args.Get(name).has_value()) given.push_back(name);
  }
  if (given.size() != 1) {
    return UsageError(
        absl::StrCat(given.empty() ? "one of " : "only one of ", "--",
                     absl::StrJoin(names, ", --"),
                     given.empty() ? " is required" : " may be given"));
  }
  return given[0];
}

// Point columns for the fields `include` asks for.
void AddPointHeader(const Include& include, std::vector<std::string>& header) {
  if (include.document) header.push_back("DOCUMENT");
  if (include.metadata) header.push_back("METADATA");
  if (include.vector) header.push_back("VECTOR");
}

void AddPointCells(const Include& include, const Point& point,
                   std::vector<std::string>& row) {
  if (include.document) {
    row.push_back(point.document ? FormatDocumentBrief(*point.document) : "");
  }
  if (include.metadata) {
    row.push_back(
        point.metadata.empty()
            ? ""
            : MetadataToJson(point.metadata)
                  .dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  if (include.vector) row.push_back(FormatVectorBrief(point.vector));
}

void PrintInfo(const CommandContext& ctx, const client::CollectionInfo& info) {
  Table table({});
  table.AddRow({"name", info.name});
  table.AddRow({"dimension", absl::StrCat(info.dimension)});
  table.AddRow({"metric", std::string(MetricName(info.metric))});
  table.AddRow({"count", absl::StrCat(info.count)});
  table.AddRow({"hnsw.m", absl::StrCat(info.hnsw.m)});
  table.AddRow(
      {"hnsw.ef_construction", absl::StrCat(info.hnsw.ef_construction)});
  table.AddRow({"hnsw.ef_search", absl::StrCat(info.hnsw.ef_search)});
  table.AddRow(
      {"created", absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                                   absl::FromUnixMillis(info.created_unix_ms),
                                   absl::UTCTimeZone())});
  if (!info.ingest.empty()) {
    table.AddRow({"ingest.embedder", FormatEmbedder(info.ingest.embedder)});
    table.AddRow({"ingest.chunker", FormatChunker(info.ingest.chunker)});
  }
  table.Print(ctx.out);
}

absl::Status Create(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  if (!args.Get("dim").has_value()) return UsageError("--dim is required");
  VECDB_ASSIGN_OR_RETURN(const uint32_t dim,
                         args.GetUint("dim", 0, 1, kMaxDimension));
  VECDB_ASSIGN_OR_RETURN(const Metric metric,
                         ParseMetric(args.Get("metric").value_or("cosine")));
  HnswParams hnsw;
  VECDB_ASSIGN_OR_RETURN(hnsw.m, args.GetUint("m", hnsw.m, kMinM, kMaxM));
  VECDB_ASSIGN_OR_RETURN(
      hnsw.ef_construction,
      args.GetUint("ef-construction", hnsw.ef_construction, 1, kMaxEf));
  VECDB_ASSIGN_OR_RETURN(hnsw.ef_search,
                         args.GetUint("ef-search", hnsw.ef_search, 1, kMaxEf));
  const std::string& name = args.positionals[0];
  VECDB_ASSIGN_OR_RETURN(const client::CollectionInfo info,
                         ctx.client.CreateCollection(name, dim, metric, hnsw));
  if (args.json) {
    PrintJson(ctx.out, InfoToJson(info));
  } else {
    ctx.out << "created collection " << info.name << " (dimension "
            << info.dimension << ", metric " << MetricName(info.metric)
            << ")\n";
  }
  return absl::OkStatus();
}

absl::Status List(const CommandContext& ctx) {
  VECDB_ASSIGN_OR_RETURN(const auto infos, ctx.client.ListCollections());
  if (ctx.args.json) {
    Json list = Json::array();
    for (const auto& info : infos) list.push_back(InfoToJson(info));
    PrintJson(ctx.out, {{"collections", std::move(list)}});
    return absl::OkStatus();
  }
  Table table({"NAME", "DIMENSION", "METRIC", "COUNT"});
  for (const auto& info : infos) {
    table.AddRow({info.name, absl::StrCat(info.dimension),
                  std::string(MetricName(info.metric)),
                  absl::StrCat(info.count)});
  }
  table.Print(ctx.out);
  return absl::OkStatus();
}

absl::Status Describe(const CommandContext& ctx) {
  VECDB_ASSIGN_OR_RETURN(const auto info,
                         ctx.client.GetCollection(ctx.args.positionals[0]));
  if (ctx.args.json) {
    PrintJson(ctx.out, InfoToJson(info));
  } else {
    PrintInfo(ctx, info);
  }
  return absl::OkStatus();
}

absl::Status Stats(const CommandContext& ctx) {
  VECDB_ASSIGN_OR_RETURN(const auto info,
                         ctx.client.GetCollection(ctx.args.positionals[0]));
  const std::vector<std::pair<std::string, uint64_t>> stats = {
      {"count", info.count},
      {"index_slots", info.index_slots},
      {"index_deleted_slots", info.index_deleted_slots},
      {"last_sequence", info.last_sequence},
      {"applied_sequence", info.applied_sequence},
      {"checkpoint_sequence", info.checkpoint_sequence},
      {"compactions", info.compactions},
      {"last_compaction_unix", info.last_compaction_unix},
      {"last_compaction_reclaimed", info.last_compaction_reclaimed},
  };
  const double tombstone_ratio =
      info.index_slots == 0 ? 0.0
                            : static_cast<double>(info.index_deleted_slots) /
                                  static_cast<double>(info.index_slots);
  if (ctx.args.json) {
    Json json = {{"name", info.name}};
    for (const auto& [key, value] : stats) json[key] = value;
    json["tombstone_ratio"] = tombstone_ratio;
    json["index_stale_reason"] = info.index_stale_reason;
    json["wal_recovery"] = info.wal_recovery;
    PrintJson(ctx.out, json);
    return absl::OkStatus();
  }
  Table table({});
  for (const auto& [key, value] : stats) {
    table.AddRow({key, absl::StrCat(value)});
  }
  table.AddRow({"tombstone_ratio", absl::StrFormat("%.3f", tombstone_ratio)});
  if (!info.index_stale_reason.empty()) {
    table.AddRow({"index_stale_reason", info.index_stale_reason});
  }
  if (!info.wal_recovery.empty()) {
    table.AddRow({"wal_recovery", info.wal_recovery});
  }
  table.Print(ctx.out);
  return absl::OkStatus();
}

absl::Status Drop(const CommandContext& ctx) {
  const std::string& name = ctx.args.positionals[0];
  VECDB_RETURN_IF_ERROR(ctx.client.DropCollection(name));
  if (ctx.args.json) {
    PrintJson(ctx.out, {{"dropped", name}});
  } else {
    ctx.out << "dropped collection " << name << "\n";
  }
  return absl::OkStatus();
}

absl::Status Upsert(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  const std::string& name = args.positionals[0];
  VECDB_ASSIGN_OR_RETURN(const std::string source,
                         OneOf(args, {"jsonl", "fvecs", "tsv"}));
  VECDB_ASSIGN_OR_RETURN(const uint32_t batch,
                         args.GetUint("batch", 1000, 1, 1'000'000));
  const std::string path = *args.Get(source);
  const std::string prefix = args.Get("id-prefix").value_or("");
  if (source == "jsonl" && args.Get("id-prefix").has_value()) {
    return UsageError("--id-prefix applies to --fvecs and --tsv only");
  }
  std::vector<Point> points;
  if (source == "jsonl") {
    VECDB_ASSIGN_OR_RETURN(points, ReadJsonl(path));
  } else if (source == "fvecs") {
    VECDB_ASSIGN_OR_RETURN(auto vectors, ReadFvecs(path));
    points = PointsFromVectors(std::move(vectors), prefix);
  } else {
    VECDB_ASSIGN_OR_RETURN(const auto info, ctx.client.GetCollection(name));
    VECDB_ASSIGN_OR_RETURN(auto vectors, ReadTsv(path, info.dimension));
    points = PointsFromVectors(std::move(vectors), prefix);
  }
  ProgressBar bar(ctx.err, ctx.show_progress, "upserting");
  auto result = ctx.client.UpsertBatched(
      name, points, batch,
      [&bar](size_t done, size_t total) { bar.Update(done, total); });
  bar.Finish();
  if (!result.ok()) return result.status();
  if (args.json) {
    PrintJson(ctx.out,
              {{"upserted", result->upserted}, {"sequence", result->sequence}});
  } else {
    ctx.out << "upserted " << result->upserted << " points into " << name
            << " (sequence " << result->sequence << ")\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::vector<float>>> ReadQueries(
    const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  VECDB_ASSIGN_OR_RETURN(const std::string source,
                         OneOf(args, {"vector", "fvecs", "tsv"}));
  VECDB_ASSIGN_OR_RETURN(const uint32_t limit,
                         args.GetUint("limit-queries", 0, 1, UINT32_MAX));
  if (source == "vector") {
    if (args.Get("limit-queries").has_value()) {
      return UsageError("--limit-queries applies to --fvecs and --tsv only");
    }
    auto vector = ParseVectorText(*args.Get("vector"));
    if (!vector.ok()) {
      return UsageError(absl::StrCat("--", vector.status().message()));
    }
    return std::vector<std::vector<float>>{*std::move(vector)};
  }
  if (source == "fvecs") return ReadFvecs(*args.Get("fvecs"), limit);
  VECDB_ASSIGN_OR_RETURN(const auto info,
                         ctx.client.GetCollection(args.positionals[0]));
  return ReadTsv(*args.Get("tsv"), info.dimension, limit);
}

// What a `query` command runs: vectors only, --text only, or both.
enum class QueryMode { kVector, kText, kHybrid };

absl::StatusOr<QueryMode> ModeOf(const ParsedArgs& args) {
  const bool vectors =
      args.Has("vector") || args.Has("fvecs") || args.Has("tsv");
  const bool text = args.Has("text");
  if (!vectors && !text) {
    return UsageError("one of --vector, --fvecs, --tsv, --text is required");
  }
  const QueryMode mode = !text     ? QueryMode::kVector
                         : vectors ? QueryMode::kHybrid
                                   : QueryMode::kText;
  if (mode != QueryMode::kHybrid) {
    for (const char* name :
         {"rrf-k", "vector-weight", "text-weight", "candidates"}) {
      if (args.Has(name)) {
        return UsageError(absl::StrCat(
            "--", name,
            " applies to hybrid queries only (a vector source and --text)"));
      }
    }
  }
  if (mode == QueryMode::kText && args.Has("limit-queries")) {
    return UsageError("--limit-queries applies to --fvecs and --tsv only");
  }
  return mode;
}

// Every option of `query` but the vectors and texts.
absl::StatusOr<client::QueryOptions> ParseQueryOptions(const ParsedArgs& args) {
  client::QueryOptions options;
  VECDB_ASSIGN_OR_RETURN(options.k, args.GetUint("k", 10, 1, kMaxK));
  VECDB_ASSIGN_OR_RETURN(options.ef, args.GetUint("ef", 0, 1, kMaxEf));
  VECDB_ASSIGN_OR_RETURN(options.include, ParseInclude(args));
  VECDB_ASSIGN_OR_RETURN(options.filter, ParseFilterOption(args));
  options.explain = args.Has("explain");
  VECDB_ASSIGN_OR_RETURN(options.hybrid.rrf_k,
                         args.GetFloat("rrf-k", 0, 0, 1e6));
  VECDB_ASSIGN_OR_RETURN(options.hybrid.vector_weight,
                         args.GetFloat("vector-weight", 0, 0, 1e6));
  VECDB_ASSIGN_OR_RETURN(options.hybrid.text_weight,
                         args.GetFloat("text-weight", 0, 0, 1e6));
  VECDB_ASSIGN_OR_RETURN(options.hybrid.candidates,
                         args.GetUint("candidates", 0, 1, 10000));
  return options;
}

// "-" for an absent rank, and for a value that only exists with one.
std::string RankCell(uint32_t rank) {
  return rank == 0 ? "-" : absl::StrCat(rank);
}

void PrintExplain(const CommandContext& ctx, const client::Explain& explain) {
  ctx.out << "explain:\n";
  Table table({});
  table.AddRow({"  path", std::string(client::QueryPathName(explain.path))});
  table.AddRow(
      {"  estimated_matches", absl::StrCat(explain.estimated_matches)});
  table.AddRow({"  actual_matches", absl::StrCat(explain.actual_matches)});
  table.AddRow(
      {"  distance_computations", absl::StrCat(explain.distance_computations)});
  table.AddRow({"  nodes_expanded", absl::StrCat(explain.nodes_expanded)});
  table.AddRow({"  postings_scored", absl::StrCat(explain.postings_scored)});
  table.AddRow({"  search_micros", absl::StrCat(explain.search_micros)});
  table.AddRow({"  reason", explain.reason});
  table.Print(ctx.out);
}

void PrintResults(const CommandContext& ctx, QueryMode mode,
                  const Include& include,
                  const std::vector<client::QueryResult>& results) {
  for (size_t q = 0; q < results.size(); ++q) {
    if (results.size() > 1) {
      ctx.out << (q > 0 ? "\n" : "") << "query " << q << "\n";
    }
    std::vector<std::string> header = {"RANK", "ID"};
    if (mode == QueryMode::kVector) header.push_back("DISTANCE");
    if (mode == QueryMode::kText) header.push_back("SCORE");
    if (mode == QueryMode::kHybrid) {
      header.insert(header.end(), {"SCORE", "DISTANCE", "VECTOR_RANK",
                                   "TEXT_RANK", "TEXT_SCORE"});
    }
    AddPointHeader(include, header);
    Table table(std::move(header));
    for (size_t rank = 0; rank < results[q].hits.size(); ++rank) {
      const client::ScoredPoint& hit = results[q].hits[rank];
      std::vector<std::string> row = {absl::StrCat(rank + 1), hit.point.id};
      if (mode == QueryMode::kVector) row.push_back(FormatFloat(hit.distance));
      if (mode == QueryMode::kText) row.push_back(FormatFloat(hit.score));
      if (mode == QueryMode::kHybrid) {
        row.insert(row.end(),
                   {FormatFloat(hit.score),
                    hit.vector_rank > 0 ? FormatFloat(hit.distance) : "-",
                    RankCell(hit.vector_rank), RankCell(hit.text_rank),
                    hit.text_rank > 0 ? FormatFloat(hit.text_score) : "-"});
      }
      AddPointCells(include, hit.point, row);
      table.AddRow(std::move(row));
    }
    table.Print(ctx.out);
    if (results[q].explain.has_value()) PrintExplain(ctx, *results[q].explain);
  }
}

Json ExplainToJson(const client::Explain& explain) {
  return {
      {"path", std::string(client::QueryPathName(explain.path))},
      {"estimated_matches", explain.estimated_matches},
      {"actual_matches", explain.actual_matches},
      {"distance_computations", explain.distance_computations},
      {"nodes_expanded", explain.nodes_expanded},
      {"postings_scored", explain.postings_scored},
      {"search_micros", explain.search_micros},
      {"reason", explain.reason},
  };
}

Json ResultsToJson(QueryMode mode,
                   const std::vector<client::QueryResult>& results) {
  Json json_results = Json::array();
  for (const client::QueryResult& result : results) {
    Json json_hits = Json::array();
    for (const client::ScoredPoint& hit : result.hits) {
      Json json_hit = PointToJson(hit.point);
      if (mode == QueryMode::kVector ||
          (mode == QueryMode::kHybrid && hit.vector_rank > 0)) {
        json_hit["distance"] = hit.distance;
      }
      if (mode != QueryMode::kVector) json_hit["score"] = hit.score;
      if (mode == QueryMode::kHybrid) {
        json_hit["vector_rank"] = hit.vector_rank;
        json_hit["text_rank"] = hit.text_rank;
        if (hit.text_rank > 0) json_hit["text_score"] = hit.text_score;
      }
      json_hits.push_back(std::move(json_hit));
    }
    Json json_result = {{"hits", std::move(json_hits)}};
    if (result.explain.has_value()) {
      json_result["explain"] = ExplainToJson(*result.explain);
    }
    json_results.push_back(std::move(json_result));
  }
  return {{"results", std::move(json_results)}};
}

absl::Status Query(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  const std::string& name = args.positionals[0];
  VECDB_ASSIGN_OR_RETURN(const QueryMode mode, ModeOf(args));
  VECDB_ASSIGN_OR_RETURN(client::QueryOptions options, ParseQueryOptions(args));
  const std::string text = args.Get("text").value_or("");
  std::vector<std::vector<float>> queries;
  if (mode != QueryMode::kText) {
    VECDB_ASSIGN_OR_RETURN(queries, ReadQueries(ctx));
  }
  std::vector<client::QueryResult> results;
  if (mode == QueryMode::kText) {
    options.text_queries = {text};
    VECDB_ASSIGN_OR_RETURN(results, ctx.client.Query(name, {}, options));
  }
  for (size_t begin = 0; begin < queries.size(); begin += kQueriesPerRequest) {
    const size_t end = std::min(queries.size(), begin + kQueriesPerRequest);
    // Hybrid: the one text pairs with every query vector.
    if (mode == QueryMode::kHybrid) {
      options.text_queries.assign(end - begin, text);
    }
    VECDB_ASSIGN_OR_RETURN(
        auto slice,
        ctx.client.Query(name, {queries.begin() + begin, queries.begin() + end},
                         options));
    std::move(slice.begin(), slice.end(), std::back_inserter(results));
  }
  if (args.json) {
    PrintJson(ctx.out, ResultsToJson(mode, results));
  } else {
    PrintResults(ctx, mode, options.include, results);
  }
  return absl::OkStatus();
}

absl::Status Get(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  VECDB_ASSIGN_OR_RETURN(const Include include, ParseInclude(args));
  VECDB_ASSIGN_OR_RETURN(const std::optional<Filter> filter,
                         ParseFilterOption(args));
  const std::vector<std::string> ids(args.positionals.begin() + 1,
                                     args.positionals.end());
  VECDB_ASSIGN_OR_RETURN(
      const auto result,
      ctx.client.Get(args.positionals[0], ids, include, filter));
  if (args.json) {
    Json points = Json::array();
    for (const Point& point : result.points)
      points.push_back(PointToJson(point));
    PrintJson(ctx.out, {{"points", std::move(points)},
                        {"missing_ids", result.missing_ids}});
    return absl::OkStatus();
  }
  std::vector<std::string> header = {"ID"};
  AddPointHeader(include, header);
  Table table(std::move(header));
  for (const Point& point : result.points) {
    std::vector<std::string> row = {point.id};
    AddPointCells(include, point, row);
    table.AddRow(std::move(row));
  }
  table.Print(ctx.out);
  if (!result.missing_ids.empty()) {
    ctx.out << "missing: " << absl::StrJoin(result.missing_ids, " ") << "\n";
  }
  return absl::OkStatus();
}

absl::Status Delete(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  VECDB_ASSIGN_OR_RETURN(const std::optional<Filter> filter,
                         ParseFilterOption(args));
  const std::vector<std::string> ids(args.positionals.begin() + 1,
                                     args.positionals.end());
  if (ids.empty() && !filter.has_value()) {
    return UsageError("give ids to delete, --filter, or both");
  }
  VECDB_ASSIGN_OR_RETURN(const auto result,
                         ctx.client.Delete(args.positionals[0], ids, filter));
  if (args.json) {
    PrintJson(ctx.out,
              {{"deleted", result.deleted}, {"sequence", result.sequence}});
  } else if (ids.empty()) {
    ctx.out << "deleted " << result.deleted
            << " points matching the filter (sequence " << result.sequence
            << ")\n";
  } else {
    ctx.out << "deleted " << result.deleted << " of " << ids.size()
            << " ids (sequence " << result.sequence << ")\n";
  }
  return absl::OkStatus();
}

absl::Status Count(const CommandContext& ctx) {
  VECDB_ASSIGN_OR_RETURN(const std::optional<Filter> filter,
                         ParseFilterOption(ctx.args));
  VECDB_ASSIGN_OR_RETURN(const uint64_t count,
                         ctx.client.Count(ctx.args.positionals[0], filter));
  if (ctx.args.json) {
    PrintJson(ctx.out, {{"count", count}});
  } else {
    ctx.out << count << "\n";
  }
  return absl::OkStatus();
}

absl::Status Scroll(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  VECDB_ASSIGN_OR_RETURN(const Include include, ParseInclude(args));
  VECDB_ASSIGN_OR_RETURN(const std::optional<Filter> filter,
                         ParseFilterOption(args));
  VECDB_ASSIGN_OR_RETURN(const uint32_t limit,
                         args.GetUint("limit", 0, 1, 10000));
  VECDB_ASSIGN_OR_RETURN(
      const auto page,
      ctx.client.Scroll(args.positionals[0], args.Get("cursor").value_or(""),
                        limit, include, filter));
  if (args.json) {
    Json points = Json::array();
    for (const Point& point : page.points) points.push_back(PointToJson(point));
    PrintJson(ctx.out, {{"points", std::move(points)},
                        {"next_cursor", page.next_cursor}});
    return absl::OkStatus();
  }
  std::vector<std::string> header = {"ID"};
  AddPointHeader(include, header);
  Table table(std::move(header));
  for (const Point& point : page.points) {
    std::vector<std::string> row = {point.id};
    AddPointCells(include, point, row);
    table.AddRow(std::move(row));
  }
  table.Print(ctx.out);
  if (!page.next_cursor.empty()) {
    ctx.out << "next cursor: " << page.next_cursor << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunCommand(const CommandContext& ctx) {
  const std::string& command = ctx.args.command;
  if (command == "create") return Create(ctx);
  if (command == "list") return List(ctx);
  if (command == "describe") return Describe(ctx);
  if (command == "stats") return Stats(ctx);
  if (command == "drop") return Drop(ctx);
  if (command == "upsert") return Upsert(ctx);
  if (command == "query") return Query(ctx);
  if (command == "retrieve") return Retrieve(ctx);
  if (command == "get") return Get(ctx);
  if (command == "delete") return Delete(ctx);
  if (command == "count") return Count(ctx);
  if (command == "scroll") return Scroll(ctx);
  return UsageError(absl::StrCat("unknown command '", command, "'"));
}

}  // namespace vecdb::cli
