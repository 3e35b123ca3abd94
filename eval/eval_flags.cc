#include "eval/eval_flags.h"

#include <functional>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"

namespace vecdb::eval {
namespace {

absl::Status FlagError(const std::string& flag, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, ": ", absl::string_view(what.data(), what.size())));
}

absl::StatusOr<size_t> ParsePositive(const std::string& flag,
                                     const std::string& value, size_t max) {
  uint64_t number = 0;
  if (!absl::SimpleAtoi(value, &number) || number == 0 || number > max) {
    return FlagError(
        flag, absl::StrCat("\"", value, "\" is not an integer in 1..", max));
  }
  return number;
}

std::vector<std::string> SplitList(const std::string& value) {
  return absl::StrSplit(value, ',', absl::SkipWhitespace());
}

using Setter = std::function<absl::Status(EvalConfig&, const std::string&)>;

// Every flag that takes a value, by name.
const std::map<std::string, Setter>& Setters() {
  static const auto* setters = new std::map<std::string, Setter>{
      {"collection",
       [](EvalConfig& c, const std::string& v) {
         c.collection = v;
         return absl::OkStatus();
       }},
      {"queries",
       [](EvalConfig& c, const std::string& v) {
         c.queries_path = v;
         return absl::OkStatus();
       }},
      {"qrels",
       [](EvalConfig& c, const std::string& v) {
         c.qrels_path = v;
         return absl::OkStatus();
       }},
      {"queries-format",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         VECDB_ASSIGN_OR_RETURN(c.queries_format, ParseQueryFormat(v));
         return absl::OkStatus();
       }},
      {"qrels-format",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         VECDB_ASSIGN_OR_RETURN(c.qrels_format, ParseJudgmentFormat(v));
         return absl::OkStatus();
       }},
      {"server",
       [](EvalConfig& c, const std::string& v) {
         c.server = v;
         return absl::OkStatus();
       }},
      {"data-dir",
       [](EvalConfig& c, const std::string& v) {
         c.data_dir = v;
         return absl::OkStatus();
       }},
      {"ingest",
       [](EvalConfig& c, const std::string& v) {
         c.ingest_inputs.push_back(v);
         return absl::OkStatus();
       }},
      {"ingest-arg",
       [](EvalConfig& c, const std::string& v) {
         c.ingest_args.push_back(v);
         return absl::OkStatus();
       }},
      {"ingest-binary",
       [](EvalConfig& c, const std::string& v) {
         c.ingest_binary = v;
         return absl::OkStatus();
       }},
      {"modes",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         c.modes.clear();
         for (const std::string& name : SplitList(v)) {
           VECDB_ASSIGN_OR_RETURN(auto mode, ParseRetrieveMode(name));
           for (auto seen : c.modes) {
             if (seen == mode) return FlagError("modes", name + " repeated");
           }
           c.modes.push_back(mode);
         }
         if (c.modes.empty()) return FlagError("modes", "no mode");
         return absl::OkStatus();
       }},
      {"k",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         VECDB_ASSIGN_OR_RETURN(c.options.k, ParsePositive("k", v, 1000));
         return absl::OkStatus();
       }},
      {"ks",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         c.options.ks.clear();
         for (const std::string& item : SplitList(v)) {
           VECDB_ASSIGN_OR_RETURN(size_t k, ParsePositive("ks", item, 1000));
           c.options.ks.push_back(k);
         }
         return absl::OkStatus();
       }},
      {"chunks",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         VECDB_ASSIGN_OR_RETURN(size_t chunks,
                                ParsePositive("chunks", v, 1000));
         c.options.chunks = static_cast<uint32_t>(chunks);
         return absl::OkStatus();
       }},
      {"gate",
       [](EvalConfig& c, const std::string& v) -> absl::Status {
         VECDB_ASSIGN_OR_RETURN(Gate gate, ParseGate(v));
         c.gates.push_back(std::move(gate));
         return absl::OkStatus();
       }},
      {"json-out",
       [](EvalConfig& c, const std::string& v) {
         c.json_out = v;
         return absl::OkStatus();
       }},
      {"html-out",
       [](EvalConfig& c, const std::string& v) {
         c.html_out = v;
         return absl::OkStatus();
       }},
  };
  return *setters;
}

absl::Status Validate(const EvalConfig& config) {
  if (config.collection.empty()) return FlagError("collection", "required");
  if (config.queries_path.empty()) return FlagError("queries", "required");
  if (config.qrels_path.empty()) return FlagError("qrels", "required");
  if (config.server.empty() && config.ingest_inputs.empty()) {
    return absl::InvalidArgumentError(
        "give --server=HOST:PORT, or --ingest=PATH to evaluate a corpus in a "
        "private server");
  }
  if (!config.server.empty() && !config.data_dir.empty()) {
    return FlagError("data-dir", "only for the private server (no --server)");
  }
  std::vector<std::string> modes;
  for (auto mode : config.modes) modes.emplace_back(RetrieveModeName(mode));
  const std::vector<size_t> cutoffs = Cutoffs(config.options);
  for (const Gate& gate : config.gates) {
    VECDB_RETURN_IF_ERROR(CheckGate(gate, cutoffs, modes));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EvalConfig> ParseEvalFlags(
    const std::vector<std::string>& args) {
  EvalConfig config;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h" || arg == "help") {
      config.help = true;
      return config;
    }
    if (!absl::StartsWith(arg, "--") || arg.size() == 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg,
                       "\" (flags are --name=value; see vecdb-eval --help)"));
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto setter = Setters().find(name);
    if (setter == Setters().end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " (see vecdb-eval --help)"));
    }
    if (!value.has_value()) {
      if (i + 1 >= args.size()) return FlagError(name, "needs a value");
      value = args[++i];
    }
    VECDB_RETURN_IF_ERROR(setter->second(config, *value));
  }
  VECDB_RETURN_IF_ERROR(Validate(config));
  return config;
}

std::string EvalUsage() {
  return R"(vecdb-eval: retrieval quality of a collection, through Retrieve

usage: vecdb-eval --collection=NAME --queries=FILE --qrels=FILE
                  (--server=HOST:PORT | --ingest=PATH...) [flags]

  --collection=NAME      collection to evaluate (and to ingest into)
  --queries=FILE         queries: SMART .QRY, JSONL {"id","text"} or TSV
                         id<TAB>text
  --queries-format=F     auto|smart|jsonl|tsv (default auto)
  --qrels=FILE           judgments: SMART .REL, TREC qrels or JSONL
                         {"query_id","doc_id","relevance"}
  --qrels-format=F       auto|smart|trec|jsonl (default auto)
  --server=HOST:PORT     a running vecdb-server; without it a private server
                         runs in-process on 127.0.0.1 (needs --ingest)
  --data-dir=DIR         the private server's data directory, kept
                         (default: a temporary directory, removed)
  --ingest=PATH          run `vecdb-ingest sync` on PATH first (repeatable)
  --ingest-arg=FLAG      extra vecdb-ingest flag, e.g. --ingest-arg=--format=smart
                         (repeatable)
  --ingest-binary=PATH   vecdb-ingest to run (default: next to vecdb-eval,
                         then ../ingest/ of it, then $PATH)
  --modes=LIST           dense,text,hybrid,auto (default dense,text,hybrid)
  --k=K                  headline cutoff (default 10)
  --ks=LIST              cutoffs for recall, precision, nDCG (default
                         1,5,10,20; k and 10 are always added)
  --chunks=N             chunks retrieved per query, the depth of MAP/MRR
                         (default 50)
  --gate=GATE            [MODE:]METRIC[@K] OP VALUE, e.g. 'ndcg@10>=0.6',
                         'hybrid:map>0.3', 'latency_p99<=50' (ms); METRIC in
                         ndcg, recall, precision (@K), map, mrr, latency_p50,
                         latency_p95, latency_p99, latency_mean, latency_max;
                         OP in >= > <= < (repeatable)
  --json-out=FILE        write the run as JSON
  --html-out=FILE        write a self-contained HTML report

exit codes: 0 ran and every gate passed, 1 a gate failed, 2 usage or run error
)";
}

}  // namespace vecdb::eval
