#include "ingest/flags.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "ingest/readers/reader.h"

ABSL_FLAG(std::string, collection, "", "collection to sync into");
ABSL_FLAG(std::string, server, "127.0.0.1:50051", "vecdb-server address");
ABSL_FLAG(std::string, format, "auto", "auto|txt|md|html|pdf|jsonl|smart");
ABSL_FLAG(std::string, embedder, "hash", "hash|openai");
ABSL_FLAG(std::string, model, "", "embedding model (openai)");
ABSL_FLAG(uint32_t, dimension, 0, "vector length; 0 = the embedder's default");
ABSL_FLAG(std::string, base_url, "", "openai-compatible endpoint");
ABSL_FLAG(std::string, api_key_env, "", "environment variable with the key");
ABSL_FLAG(std::vector<std::string>, embed_param, {},
          "embedder parameter k=v (repeatable)");
ABSL_FLAG(std::string, chunker, "auto", "auto|recursive|fixed|markdown");
ABSL_FLAG(uint32_t, chunk_tokens, 512, "target tokens per chunk");
ABSL_FLAG(uint32_t, overlap_tokens, 64, "overlap between chunks in tokens");
ABSL_FLAG(uint32_t, batch, 256, "chunks per Upsert");
ABSL_FLAG(int32_t, embed_threads, 0, "embedding threads; 0 = hardware");
ABSL_FLAG(bool, prune, false, "delete documents not seen in this run");
ABSL_FLAG(bool, json, false, "JSON lines per document and a JSON summary");
ABSL_FLAG(bool, verbose, false, "print every document's result");
ABSL_FLAG(std::string, listen, "127.0.0.1:50052", "serve: address to listen on");

namespace vecdb::ingest {
namespace {

absl::string_view Abs(std::string_view s) { return {s.data(), s.size()}; }

constexpr std::string_view kFlagNames[] = {
    "collection", "server",      "format",         "embedder",
    "model",      "dimension",   "base_url",       "api_key_env",
    "embed_param", "chunker",    "chunk_tokens",   "overlap_tokens",
    "batch",      "embed_threads", "prune",        "json",
    "verbose",    "listen"};

// Back to defaults, so that parsing twice in one process starts clean.
void ResetFlags() {
  for (std::string_view name : kFlagNames) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(Abs(name));
    std::string error;
    (void)flag->ParseFrom(flag->DefaultValue(), &error);
  }
}

absl::Status SetFlag(std::string_view name, std::string_view value) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(Abs(name));
  std::string error;
  if (!flag->ParseFrom(Abs(value), &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", absl::StrReplaceAll(Abs(name), {{"_", "-"}}), ": ",
                     error));
  }
  return absl::OkStatus();
}

bool IsKnown(std::string_view name) {
  for (std::string_view known : kFlagNames) {
    if (known == name) return true;
  }
  return false;
}

// Parses the flags and inputs after the subcommand.
absl::Status ParseFlags(const std::vector<std::string>& args,
                        std::vector<std::string>& inputs,
                        std::vector<std::string>& embed_params) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      inputs.insert(inputs.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (!absl::StartsWith(arg, "--") || arg.size() == 2) {
      inputs.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    std::replace(name.begin(), name.end(), '-', '_');
    bool negated = false;
    if (!IsKnown(name) && absl::StartsWith(name, "no") &&
        IsKnown(name.substr(2))) {
      name = name.substr(2);
      negated = true;
    }
    if (!IsKnown(name) || name == "help") {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", arg, " (see vecdb-ingest --help)"));
    }
    const bool is_bool = name == "prune" || name == "json" || name == "verbose";
    if (is_bool) {
      if (negated && value.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(arg, ": takes no value"));
      }
      VECDB_RETURN_IF_ERROR(
          SetFlag(name, negated ? "false" : value.value_or("true")));
      continue;
    }
    if (negated) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    }
    if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat(arg, ": needs a value"));
      }
      value = args[++i];
    }
    if (name == "embed_param") {
      embed_params.push_back(*value);
      continue;
    }
    VECDB_RETURN_IF_ERROR(SetFlag(name, *value));
  }
  return absl::OkStatus();
}

absl::StatusOr<IngestProfile> ProfileFromFlags(
    const std::vector<std::string>& embed_params) {
  IngestProfile profile;
  EmbedderSpec& embedder = profile.embedder;
  embedder.name = absl::GetFlag(FLAGS_embedder);
  embedder.model = absl::GetFlag(FLAGS_model);
  embedder.dimension = absl::GetFlag(FLAGS_dimension);
  if (!absl::GetFlag(FLAGS_base_url).empty()) {
    embedder.parameters["base_url"] = absl::GetFlag(FLAGS_base_url);
  }
  if (!absl::GetFlag(FLAGS_api_key_env).empty()) {
    embedder.parameters["api_key_env"] = absl::GetFlag(FLAGS_api_key_env);
  }
  for (const std::string& param : embed_params) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(param, absl::MaxSplits('=', 1));
    if (kv.first.empty() || param.find('=') == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("--embed-param: expected key=value, got '", param, "'"));
    }
    embedder.parameters[kv.first] = kv.second;
  }
  profile.chunker.name = absl::GetFlag(FLAGS_chunker);
  profile.chunker.parameters["target_tokens"] =
      std::to_string(absl::GetFlag(FLAGS_chunk_tokens));
  profile.chunker.parameters["overlap_tokens"] =
      std::to_string(absl::GetFlag(FLAGS_overlap_tokens));
  return profile;
}

absl::StatusOr<PipelineOptions> PipelineFromFlags() {
  PipelineOptions options;
  if (absl::GetFlag(FLAGS_batch) == 0) {
    return absl::InvalidArgumentError("--batch: must be positive");
  }
  if (absl::GetFlag(FLAGS_embed_threads) < 0) {
    return absl::InvalidArgumentError("--embed-threads: must not be negative");
  }
  options.upsert_batch = absl::GetFlag(FLAGS_batch);
  options.embed_threads = absl::GetFlag(FLAGS_embed_threads);
  return options;
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args) {
  CommandLine command;
  if (args.empty()) {
    return absl::InvalidArgumentError(
        "missing subcommand: sync or serve (see vecdb-ingest --help)");
  }
  const std::string& sub = args[0];
  if (sub == "help") return command;
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") return command;
    if (arg == "--") break;
  }
  if (sub == "sync") {
    command.command = CommandLine::Command::kSync;
  } else if (sub == "serve") {
    command.command = CommandLine::Command::kServe;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown subcommand '", sub, "': sync or serve (see --help)"));
  }
  ResetFlags();
  std::vector<std::string> inputs;
  std::vector<std::string> embed_params;
  VECDB_RETURN_IF_ERROR(ParseFlags(args, inputs, embed_params));
  command.server = absl::GetFlag(FLAGS_server);
  VECDB_ASSIGN_OR_RETURN(IngestProfile profile, ProfileFromFlags(embed_params));
  VECDB_ASSIGN_OR_RETURN(PipelineOptions pipeline, PipelineFromFlags());

  if (command.command == CommandLine::Command::kServe) {
    if (!inputs.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("serve takes no inputs, got '", inputs[0], "'"));
    }
    command.service = {.profile = profile, .pipeline = pipeline};
    command.listen.listen_address = absl::GetFlag(FLAGS_listen);
    return command;
  }
  SyncOptions& sync = command.sync;
  sync.collection = absl::GetFlag(FLAGS_collection);
  if (sync.collection.empty()) {
    return absl::InvalidArgumentError("sync: --collection is required");
  }
  if (inputs.empty()) {
    return absl::InvalidArgumentError(
        "sync: name at least one file, directory or glob to read");
  }
  sync.inputs = std::move(inputs);
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "auto") {
    VECDB_ASSIGN_OR_RETURN(sync.format, ParseFormat(format));
  }
  sync.profile = std::move(profile);
  sync.pipeline = pipeline;
  sync.prune = absl::GetFlag(FLAGS_prune);
  command.report.json = absl::GetFlag(FLAGS_json);
  command.report.verbose = absl::GetFlag(FLAGS_verbose);
  return command;
}

std::string Usage() {
  return R"(vecdb-ingest: read files, chunk, embed and sync them into a vecdb collection.

Usage:
  vecdb-ingest sync --collection NAME [flags] PATH...
  vecdb-ingest serve [--listen 127.0.0.1:50052] [flags]
  vecdb-ingest --help

sync makes the collection hold exactly the current version of every document
read from PATH... (files, directories, globs with * ? [..] **): new and changed
documents are chunked, embedded and upserted, then their older chunks deleted;
unchanged ones (same content hash) are skipped. The collection is created on
first use and records the embedder and chunker; later runs must use the same.

serve runs the Ingest gRPC service (proto/vecdb/v1/ingest.proto): clients
stream documents and get one result per document, in order. SIGINT/SIGTERM
stop it gracefully.

Flags:
  --collection NAME        collection to write (sync; required)
  --server ADDR            vecdb-server address (default 127.0.0.1:50051)
  --format F               auto|txt|md|html|pdf|jsonl|smart (default auto: by
                           extension; .all is smart)
  --embedder E             hash|openai (default hash)
  --model M                embedding model (openai: required)
  --dimension N            vector length (default 0: the collection's; for a
                           new one hash 768, openai learns it from the first
                           reply)
  --base-url URL           openai-compatible endpoint (default
                           https://api.openai.com/v1)
  --api-key-env VAR        environment variable holding the API key (default
                           OPENAI_API_KEY)
  --embed-param K=V        other embedder parameter, repeatable (hash:
                           ngram_min, ngram_max, seed; openai: batch_size,
                           timeout_ms, max_retries, backoff_ms, dimensions)
  --chunker C              auto|recursive|fixed|markdown (default auto:
                           markdown for md and html, recursive otherwise)
  --chunk-tokens N         target tokens per chunk (default 512)
  --overlap-tokens N       overlap between chunks (default 64)
  --batch N                chunks per Upsert (default 256)
  --embed-threads N        embedding threads (default 0: hardware threads)
  --prune                  sync: delete documents of the collection that this
                           run did not see (files that failed to read count
                           as seen; a record whose id could not be read
                           stops the prune and fails the run)
  --json                   sync: one JSON line per document, then a JSON
                           summary
  --verbose                sync: print every document's result (default: only
                           failures)
  --listen ADDR            serve: address to listen on (default
                           127.0.0.1:50052)

Exit codes: 0 all documents indexed or unchanged; 1 some documents failed;
2 the run failed (bad arguments, unreachable server, embedder or chunker
differing from the collection's).
)";
}

}  // namespace vecdb::ingest
