#include "eval/eval_run.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "collection/engine.h"
#include "common/status_macros.h"
#include "eval/ingest_run.h"
#include "server/server.h"

namespace vecdb::eval {
namespace {

namespace fs = std::filesystem;

bool IsExecutable(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

// A server over an engine in a directory: temporary (removed on
// destruction) unless the caller names one.
class PrivateServer {
 public:
  static absl::StatusOr<std::unique_ptr<PrivateServer>> Start(
      const std::string& data_dir) {
    auto server = std::unique_ptr<PrivateServer>(new PrivateServer());
    if (data_dir.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      std::string pattern = absl::StrCat(
          tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/vecdb-eval-XXXXXX");
      if (mkdtemp(pattern.data()) == nullptr) {
        return absl::InternalError(
            absl::StrCat("cannot create a temporary directory ", pattern));
      }
      server->dir_ = pattern;
      server->remove_dir_ = true;
    } else {
      server->dir_ = data_dir;
    }
    VECDB_ASSIGN_OR_RETURN(server->engine_,
                           Engine::Open(server->dir_, {.sync_writes = false}));
    VECDB_ASSIGN_OR_RETURN(
        server->server_,
        StartServer(server->engine_.get(), {.listen_address = "127.0.0.1:0"}));
    return server;
  }

  ~PrivateServer() {
    if (server_ != nullptr) server_->Shutdown(std::chrono::seconds(1));
    if (engine_ != nullptr) (void)engine_->Close();
    server_.reset();
    engine_.reset();
    std::error_code ignored;
    if (remove_dir_) fs::remove_all(dir_, ignored);
  }

  std::string address() const {
    return absl::StrCat("127.0.0.1:", server_->port());
  }

 private:
  PrivateServer() = default;

  std::string dir_;
  bool remove_dir_ = false;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<RunningServer> server_;
};

void CopyLogTail(const std::string& path, std::ostream& log, size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (tail.size() > lines) tail.pop_front();
  }
  for (const std::string& line : tail) log << "  | " << line << "\n";
}

absl::StatusOr<double> Ingest(const EvalConfig& config,
                              const std::string& address,
                              const std::string& log_dir, std::ostream* log) {
  VECDB_ASSIGN_OR_RETURN(const std::string binary,
                         FindIngestBinary(config.ingest_binary));
  const std::string log_path =
      absl::StrCat(log_dir, "/vecdb-eval-ingest-", getpid(), ".log");
  if (log != nullptr) {
    *log << "vecdb-eval: ingesting " << absl::StrJoin(config.ingest_inputs, " ")
         << " into " << config.collection << " at " << address << "\n";
  }
  absl::StatusOr<IngestRun> run = RunIngest({.binary = binary,
                                             .server = address,
                                             .collection = config.collection,
                                             .args = config.ingest_args,
                                             .inputs = config.ingest_inputs,
                                             .log_path = log_path});
  if (!run.ok()) {
    if (log != nullptr) CopyLogTail(log_path, *log, 20);
    return run.status();
  }
  std::error_code ignored;
  fs::remove(log_path, ignored);  // Kept only when the ingest failed.
  return run->seconds;
}

}  // namespace

absl::StatusOr<std::string> FindIngestBinary(const std::string& configured) {
  if (!configured.empty()) {
    if (IsExecutable(configured)) return configured;
    return absl::NotFoundError(
        absl::StrCat("--ingest-binary ", configured, " is not an executable"));
  }
  std::vector<std::string> tried;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    for (const fs::path& candidate :
         {self.parent_path() / "vecdb-ingest",
          self.parent_path().parent_path() / "ingest" / "vecdb-ingest"}) {
      if (IsExecutable(candidate.string())) return candidate.string();
      tried.push_back(candidate.string());
    }
  }
  const char* path_env = std::getenv("PATH");
  for (absl::string_view dir :
       absl::StrSplit(path_env == nullptr ? "" : path_env, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = absl::StrCat(dir, "/vecdb-ingest");
    if (IsExecutable(candidate)) return candidate;
  }
  tried.push_back("$PATH");
  return absl::NotFoundError(absl::StrCat("vecdb-ingest not found (tried ",
                                          absl::StrJoin(tried, ", "),
                                          "); pass --ingest-binary"));
}

namespace {

// Measures over no query would be zeros that a gate such as
// latency_p99<=50 passes: mismatched query and judgment ids are an error.
absl::Status CheckSomeQueryJudged(const std::vector<EvalQuery>& queries,
                                  const Judgments& judgments,
                                  const std::string& queries_path,
                                  const std::string& qrels_path) {
  for (const EvalQuery& query : queries) {
    auto it = judgments.find(query.id);
    if (it == judgments.end()) continue;
    for (const auto& [doc, grade] : it->second) {
      if (grade > 0) return absl::OkStatus();
    }
  }
  std::string example_query = queries.empty() ? "" : queries.front().id;
  std::string example_judged =
      judgments.empty() ? "" : judgments.begin()->first;
  return absl::InvalidArgumentError(absl::StrCat(
      "no query of ", queries_path, " has a relevant judgment in ",
      qrels_path, " (", queries.size(), " queries, first id '",
      example_query, "'; judgments for ", judgments.size(),
      " queries, first id '", example_judged, "'): nothing to evaluate"));
}

}  // namespace

absl::StatusOr<EvalRunResult> RunEvaluation(const EvalConfig& config,
                                            std::ostream* log) {
  EvalRunResult result;
  EvalRunInfo& info = result.info;
  info.collection = config.collection;
  info.queries_path = config.queries_path;
  info.qrels_path = config.qrels_path;
  info.ingest_inputs = config.ingest_inputs;
  info.chunks = config.options.chunks;
  info.k = config.options.k;
  info.cutoffs = Cutoffs(config.options);

  // Inputs first: a bad file fails before anything is ingested.
  VECDB_ASSIGN_OR_RETURN(
      result.queries, LoadQueries(config.queries_path, config.queries_format));
  VECDB_ASSIGN_OR_RETURN(const Judgments judgments,
                         LoadJudgments(config.qrels_path, config.qrels_format));
  VECDB_RETURN_IF_ERROR(CheckSomeQueryJudged(result.queries, judgments,
                                             config.queries_path,
                                             config.qrels_path));

  std::unique_ptr<PrivateServer> private_server;
  std::string address = config.server;
  // Outside the private server's directory, which is removed at the end.
  const std::string log_dir = fs::temp_directory_path().string();
  if (address.empty()) {
    VECDB_ASSIGN_OR_RETURN(private_server,
                           PrivateServer::Start(config.data_dir));
    address = private_server->address();
    info.server = "private";
  } else {
    info.server = address;
  }
  if (!config.ingest_inputs.empty()) {
    VECDB_ASSIGN_OR_RETURN(info.ingest_seconds,
                           Ingest(config, address, log_dir, log));
  }

  VECDB_ASSIGN_OR_RETURN(auto client, Client::Connect(address));
  for (client::RetrieveMode mode : config.modes) {
    VECDB_ASSIGN_OR_RETURN(
        EvalReport report,
        EvaluateRetrieval(*client, config.collection, result.queries, judgments,
                          mode, config.options));
    if (log != nullptr) {
      *log << "vecdb-eval: " << RetrieveModeName(mode) << ": " << report.queries
           << " queries evaluated, " << report.skipped << " skipped\n";
    }
    result.reports.push_back(std::move(report));
  }
  result.gates = EvaluateGates(config.gates, result.reports);
  return result;
}

}  // namespace vecdb::eval
