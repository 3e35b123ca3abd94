#include "cli/args.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vecdb::cli {
namespace {

constexpr char kUsagePayload[] = "vecdb.cli/usage";

struct CommandSpec {
  const char* name;
  // Positional arguments, the collection name included.
  size_t min_positionals;
  size_t max_positionals;
  std::vector<std::string> options;
  const char* usage;
};

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {"create",
       1,
       1,
       {"dim", "metric", "m", "ef-construction", "ef-search"},
       "create NAME --dim N [--metric cosine|l2|ip] [--m 16] "
       "[--ef-construction 200] [--ef-search 64]"},
      {"list", 0, 0, {}, "list"},
      {"describe", 1, 1, {}, "describe NAME"},
      {"drop", 1, 1, {}, "drop NAME"},
      {"stats", 1, 1, {}, "stats NAME"},
      {"upsert",
       1,
       1,
       {"jsonl", "fvecs", "tsv", "batch", "id-prefix"},
       "upsert NAME (--jsonl FILE | --fvecs FILE | --tsv FILE) "
       "[--batch 1000] [--id-prefix P]"},
      {"query",
       1,
       1,
       {"vector", "fvecs", "tsv", "text", "limit-queries", "k", "ef", "include",
        "filter", "explain", "rrf-k", "vector-weight", "text-weight",
        "candidates"},
       "query NAME (--vector \"0.1,0.2,...\" | --fvecs FILE | --tsv FILE "
       "| --text \"words\" | a vector and --text) [--limit-queries N] "
       "[--k 10] [--ef N] [--include metadata,document,vector] "
       "[--filter JSON] [--explain] [--rrf-k 60] [--vector-weight 1] "
       "[--text-weight 1] [--candidates N]"},
      {"retrieve",
       2,
       std::numeric_limits<size_t>::max(),
       {"k", "mode", "filter", "max-chars", "max-tokens"},
       "retrieve NAME QUERY WORDS... [--k 10] "
       "[--mode auto|dense|text|hybrid] [--filter JSON] [--max-chars N] "
       "[--max-tokens N]"},
      {"get",
       2,
       std::numeric_limits<size_t>::max(),
       {"include", "filter"},
       "get NAME ID... [--include metadata,document,vector] [--filter JSON]"},
      {"delete",
       1,
       std::numeric_limits<size_t>::max(),
       {"filter"},
       "delete NAME (ID... | --filter JSON | ID... --filter JSON)"},
      {"count", 1, 1, {"filter"}, "count NAME [--filter JSON]"},
      {"scroll",
       1,
       1,
       {"cursor", "limit", "include", "filter"},
       "scroll NAME [--cursor C] [--limit 100] "
       "[--include metadata,document,vector] [--filter JSON]"},
  };
  return *commands;
}

const CommandSpec* FindCommand(absl::string_view name) {
  for (const CommandSpec& spec : Commands()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

constexpr char kGlobalUsage[] = "vecdb [--server ADDR] [--json] ";

// Options that take no value.
bool IsFlag(absl::string_view name) { return name == "explain"; }

constexpr char kFilterHelp[] =
    "\n--filter takes a JSON filter, one object per node:\n"
    "  {\"field\":\"lang\",\"op\":\"eq\",\"value\":\"en\"}\n"
    "      ops: eq ne gt gte lt lte in not_in exists contains_any "
    "contains_all\n"
    "  {\"field\":\"year\",\"op\":\"in\",\"values\":[2020,2021]}\n"
    "  {\"field\":\"tags\",\"op\":\"exists\"}\n"
    "  {\"all_of\":[...]}  {\"any_of\":[...]}  {\"not\":{...}}\n"
    "  {\"text\":\"heart attack\"}  "
    "{\"text\":\"x\",\"op\":\"not_contains\"}\n"
    "JSON integers are int64 values, other numbers doubles. A field condition\n"
    "takes \"value\" (one) or \"values\" (an array); exists takes neither.\n"
    "\nquery --text runs a BM25 text query; with a vector too it is a hybrid\n"
    "query (the text pairs with every query vector) fused by reciprocal rank\n"
    "(--rrf-k, --vector-weight, --text-weight, --candidates). --explain\n"
    "prints how each query was answered.\n"
    "\nretrieve embeds the query text with the collection's recorded embedder\n"
    "(collections made by vecdb-ingest), searches (auto: hybrid when the query\n"
    "has words, else dense) and prints a cited context block, then the\n"
    "citations. --max-chars/--max-tokens bound the context (default 6000\n"
    "characters).\n";

}  // namespace

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<uint32_t> ParsedArgs::GetUint(const std::string& name,
                                             uint32_t fallback, uint32_t min,
                                             uint32_t max) const {
  const std::optional<std::string> text = Get(name);
  if (!text.has_value()) return fallback;
  uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < min ||
      value > max) {
    return UsageError(absl::StrCat("--", name, ": expected an integer in ", min,
                                   "..", max, ", got '", *text, "'"));
  }
  return static_cast<uint32_t>(value);
}

absl::StatusOr<float> ParsedArgs::GetFloat(const std::string& name,
                                           float fallback, float min,
                                           float max) const {
  const std::optional<std::string> text = Get(name);
  if (!text.has_value()) return fallback;
  float value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end ||
      !std::isfinite(value) || value < min || value > max) {
    return UsageError(absl::StrCat("--", name, ": expected a number in ", min,
                                   "..", max, ", got '", *text, "'"));
  }
  return value;
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const char* env_server) {
  ParsedArgs parsed;
  parsed.server = env_server != nullptr && env_server[0] != '\0'
                      ? env_server
                      : kDefaultServer;
  const CommandSpec* spec = nullptr;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || !absl::StartsWith(arg, "-") || arg == "-") {
      if (parsed.command.empty()) {
        if (arg == "help") {
          parsed.help = true;
          return parsed;
        }
        spec = FindCommand(arg);
        if (spec == nullptr) {
          return UsageError(absl::StrCat("unknown command '", arg, "'"),
                            parsed.command);
        }
        parsed.command = arg;
      } else {
        parsed.positionals.push_back(arg);
      }
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      return parsed;
    }
    if (!absl::StartsWith(arg, "--")) {
      return UsageError(absl::StrCat("unknown option '", arg, "'"),
                        parsed.command);
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "json") {
      if (value.has_value()) {
        return UsageError("--json takes no value", parsed.command);
      }
      parsed.json = true;
      continue;
    }
    const bool known = name == "server" ||
                       (spec != nullptr &&
                        std::find(spec->options.begin(), spec->options.end(),
                                  name) != spec->options.end());
    if (!known) {
      return UsageError(
          absl::StrCat("unknown option '--", name, "'",
                       spec == nullptr ? " before the command" : ""),
          parsed.command);
    }
    if (IsFlag(name)) {
      if (value.has_value()) {
        return UsageError(absl::StrCat("--", name, " takes no value"),
                          parsed.command);
      }
      value = "";
    } else if (!value.has_value()) {
      if (i + 1 == args.size()) {
        return UsageError(absl::StrCat("--", name, " needs a value"),
                          parsed.command);
      }
      value = args[++i];
    }
    if (name == "server") {
      parsed.server = *value;
    } else if (!parsed.options.emplace(name, *value).second) {
      return UsageError(absl::StrCat("--", name, " given more than once"),
                        parsed.command);
    }
  }
  if (parsed.command.empty()) return UsageError("no command given");
  const size_t count = parsed.positionals.size();
  if (count < spec->min_positionals || count > spec->max_positionals) {
    return UsageError(
        count < spec->min_positionals
            ? absl::StrCat("missing arguments for '", spec->name, "'")
            : absl::StrCat("unexpected argument '",
                           parsed.positionals[spec->max_positionals], "'"),
        parsed.command);
  }
  return parsed;
}

absl::Status UsageError(absl::string_view message, absl::string_view command) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord(command));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

std::string UsageErrorCommand(const absl::Status& status) {
  const auto command = status.GetPayload(kUsagePayload);
  return command.has_value() ? std::string(*command) : "";
}

std::string UsageLine(absl::string_view command) {
  const CommandSpec* spec = FindCommand(command);
  return absl::StrCat("usage: ", kGlobalUsage,
                      spec != nullptr ? spec->usage : "<command> [args]");
}

std::string Usage() {
  std::string text = absl::StrCat(
      "usage: ", kGlobalUsage, "<command> [args]\n\n",
      "  --server ADDR  server address (default $VECDB_SERVER, else ",
      kDefaultServer, ")\n",
      "  --json         print one JSON document instead of tables\n\n",
      "commands:\n");
  for (const CommandSpec& spec : Commands()) {
    absl::StrAppend(&text, "  ", spec.usage, "\n");
  }
  absl::StrAppend(&text,
                  "\nfvecs and tsv rows get ids id-prefix + row number "
                  "(from 0).\n",
                  kFilterHelp);
  return text;
}

}  // namespace vecdb::cli
