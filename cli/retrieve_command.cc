#include "cli/retrieve_command.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/filter_json.h"
#include "cli/output.h"
#include "common/status_macros.h"

namespace vecdb::cli {
namespace {

using Json = nlohmann::json;
using client::RetrieveMode;

absl::StatusOr<RetrieveMode> ParseMode(const std::string& text) {
  if (text == "auto") return RetrieveMode::kAuto;
  if (text == "dense") return RetrieveMode::kDense;
  if (text == "text") return RetrieveMode::kText;
  if (text == "hybrid") return RetrieveMode::kHybrid;
  return UsageError(absl::StrCat(
      "--mode: expected auto, dense, text or hybrid, got '", text, "'"));
}

const char* ModeName(RetrieveMode mode) {
  switch (mode) {
    case RetrieveMode::kAuto:
      return "auto";
    case RetrieveMode::kDense:
      return "dense";
    case RetrieveMode::kText:
      return "text";
    case RetrieveMode::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

absl::StatusOr<client::RetrieveOptions> ParseOptions(const ParsedArgs& args) {
  constexpr uint32_t kMaxU32 = std::numeric_limits<uint32_t>::max();
  client::RetrieveOptions options;
  VECDB_ASSIGN_OR_RETURN(options.k, args.GetUint("k", options.k, 1, kMaxK));
  VECDB_ASSIGN_OR_RETURN(options.mode,
                         ParseMode(args.Get("mode").value_or("auto")));
  VECDB_ASSIGN_OR_RETURN(options.filter, ParseFilterOption(args));
  VECDB_ASSIGN_OR_RETURN(options.max_context_chars,
                         args.GetUint("max-chars", 0, 0, kMaxU32));
  VECDB_ASSIGN_OR_RETURN(options.max_context_tokens,
                         args.GetUint("max-tokens", 0, 0, kMaxU32));
  return options;
}

Json CitationToJson(const client::Citation& c) {
  return {{"rank", c.rank},
          {"chunk_id", c.chunk_id},
          {"doc_id", c.doc_id},
          {"source", c.source},
          {"title", c.title},
          {"chunk_index", c.chunk_index},
          {"char_start", c.char_start},
          {"char_end", c.char_end},
          {"section", c.section},
          {"text", c.text},
          {"score", c.score},
          {"distance", c.distance},
          {"metadata", MetadataToJson(c.metadata)},
          {"passage", c.passage}};
}

Json PassageToJson(const client::ContextPassage& p) {
  return {{"number", p.number},       {"doc_id", p.doc_id},
          {"source", p.source},       {"title", p.title},
          {"section", p.section},     {"char_start", p.char_start},
          {"char_end", p.char_end},   {"text", p.text},
          {"chunk_ids", p.chunk_ids}, {"best_rank", p.best_rank}};
}

void PrintResult(std::ostream& out, const client::RetrieveResult& result) {
  out << result.context << "\n\n";
  const bool dense = result.mode == RetrieveMode::kDense;
  Table table({"RANK", "PASSAGE", "DOC_ID", "SECTION", "CHARS",
               dense ? "DISTANCE" : "SCORE"});
  for (const client::Citation& c : result.chunks) {
    table.AddRow({absl::StrCat(c.rank),
                  c.passage == 0 ? "-" : absl::StrCat(c.passage), c.doc_id,
                  absl::StrJoin(c.section, " \u203a "),
                  absl::StrCat(c.char_start, "-", c.char_end),
                  FormatFloat(dense ? c.distance : c.score)});
  }
  table.Print(out);
  out << "mode " << ModeName(result.mode) << ", " << result.chunks.size()
      << " chunks, " << result.passages.size() << " passages, context "
      << result.context_chars << " chars / " << result.context_tokens
      << " tokens" << (result.truncated ? " (truncated to fit)" : "") << "\n";
}

}  // namespace

Json RetrieveResultToJson(const client::RetrieveResult& result) {
  Json chunks = Json::array();
  for (const client::Citation& c : result.chunks) {
    chunks.push_back(CitationToJson(c));
  }
  Json passages = Json::array();
  for (const client::ContextPassage& p : result.passages) {
    passages.push_back(PassageToJson(p));
  }
  return {{"mode", ModeName(result.mode)},
          {"context", result.context},
          {"context_chars", result.context_chars},
          {"context_tokens", result.context_tokens},
          {"truncated", result.truncated},
          {"embed_micros", result.embed_micros},
          {"search_micros", result.search_micros},
          {"chunks", std::move(chunks)},
          {"passages", std::move(passages)}};
}

absl::Status Retrieve(const CommandContext& ctx) {
  const ParsedArgs& args = ctx.args;
  VECDB_ASSIGN_OR_RETURN(const client::RetrieveOptions options,
                         ParseOptions(args));
  const std::string query =
      absl::StrJoin(args.positionals.begin() + 1, args.positionals.end(), " ");
  VECDB_ASSIGN_OR_RETURN(
      const client::RetrieveResult result,
      ctx.client.Retrieve(args.positionals[0], query, options));
  if (args.json) {
    PrintJson(ctx.out, RetrieveResultToJson(result));
  } else {
    PrintResult(ctx.out, result);
  }
  return absl::OkStatus();
}

}  // namespace vecdb::cli
