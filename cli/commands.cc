#include "cli/commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cli/output.h"
#include "cli/readers.h"
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
      {"checkpoint_sequence", info.checkpoint_sequence},
  };
  if (ctx.args.json) {
    Json json = {{"name", info.name}};
    for (const auto& [key, value] : stats) json[key] = value;
    PrintJson(ctx.out, json);
    return absl::OkStatus();
  }
  Table table({});
  for (const auto& [key, value] : stats) {
    table.AddRow({key, absl::StrCat(value)});
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

void PrintHits(const CommandContext& ctx, const Include& include,
               const std::vector<client::QueryHits>& results) {
  for (size_t q = 0; q < results.size(); ++q) {
    if (results.size() > 1) {
      ctx.out << (q > 0 ? "\n" : "") << "query " << q << "\n";
    }
    std::vector<std::string> header = {"RANK", "ID", "DISTANCE"};
    AddPointHeader(include, header);
    Table table(std::move(header));
    for (size_t rank = 0; rank < results[q].size(); ++rank) {
      const client::ScoredPoint& hit = results[q][rank];
      std::vector<std::string> row = {absl::StrCat(rank + 1), hit.point.id,
                                      FormatFloat(hit.distance)};
      AddPointCells(include, hit.point, row);
      table.AddRow(std::move(row));
    }
    table.Print(ctx.out);
  }
}

absl::Status Query(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  const std::string& name = args.positionals[0];
  VECDB_ASSIGN_OR_RETURN(const uint32_t k, args.GetUint("k", 10, 1, kMaxK));
  VECDB_ASSIGN_OR_RETURN(const uint32_t ef, args.GetUint("ef", 0, 1, kMaxEf));
  VECDB_ASSIGN_OR_RETURN(const Include include, ParseInclude(args));
  VECDB_ASSIGN_OR_RETURN(const auto queries, ReadQueries(ctx));
  std::vector<client::QueryHits> results;
  for (size_t begin = 0; begin < queries.size(); begin += kQueriesPerRequest) {
    const size_t end = std::min(queries.size(), begin + kQueriesPerRequest);
    VECDB_ASSIGN_OR_RETURN(
        auto slice,
        ctx.client.Query(name, {queries.begin() + begin, queries.begin() + end},
                         k, ef, include));
    std::move(slice.begin(), slice.end(), std::back_inserter(results));
  }
  if (!args.json) {
    PrintHits(ctx, include, results);
    return absl::OkStatus();
  }
  Json json_results = Json::array();
  for (const client::QueryHits& hits : results) {
    Json json_hits = Json::array();
    for (const client::ScoredPoint& hit : hits) {
      Json json_hit = PointToJson(hit.point);
      json_hit["distance"] = hit.distance;
      json_hits.push_back(std::move(json_hit));
    }
    json_results.push_back({{"hits", std::move(json_hits)}});
  }
  PrintJson(ctx.out, {{"results", std::move(json_results)}});
  return absl::OkStatus();
}

absl::Status Get(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  VECDB_ASSIGN_OR_RETURN(const Include include, ParseInclude(args));
  const std::vector<std::string> ids(args.positionals.begin() + 1,
                                     args.positionals.end());
  VECDB_ASSIGN_OR_RETURN(const auto result,
                         ctx.client.Get(args.positionals[0], ids, include));
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
  const std::vector<std::string> ids(args.positionals.begin() + 1,
                                     args.positionals.end());
  VECDB_ASSIGN_OR_RETURN(const auto result,
                         ctx.client.Delete(args.positionals[0], ids));
  if (args.json) {
    PrintJson(ctx.out,
              {{"deleted", result.deleted}, {"sequence", result.sequence}});
  } else {
    ctx.out << "deleted " << result.deleted << " of " << ids.size()
            << " ids (sequence " << result.sequence << ")\n";
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
  if (command == "get") return Get(ctx);
  if (command == "delete") return Delete(ctx);
  return UsageError(absl::StrCat("unknown command '", command, "'"));
}

}  // namespace vecdb::cli
