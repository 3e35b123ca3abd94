#include "benchmarks/ingest_workload.h"

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "common/status_macros.h"
#include "ingest/readers/reader.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {

absl::StatusOr<LocalServer> StartLocalServer(const std::string& dir) {
  LocalServer local;
  VECDB_ASSIGN_OR_RETURN(local.engine, Engine::Open(dir, {}));
  VECDB_ASSIGN_OR_RETURN(
      local.server,
      StartServer(local.engine.get(), {.listen_address = "127.0.0.1:0"}));
  local.address = absl::StrCat("127.0.0.1:", local.server->port());
  return local;
}

absl::StatusOr<size_t> WriteReplicatedCorpus(const std::string& smart_path,
                                             size_t replicas,
                                             const std::string& jsonl_path) {
  const ingest::SourceFile file{.path = smart_path, .doc_id = smart_path,
                                .format = ingest::Format::kSmart};
  std::vector<ingest::ReadRecord> records = ingest::ReadSource(file);
  std::ofstream out(jsonl_path);
  if (!out) return absl::InternalError("cannot write " + jsonl_path);
  size_t written = 0;
  for (size_t r = 0; r < replicas; ++r) {
    for (const auto& record : records) {
      if (!record.status.ok()) return record.status;
      nlohmann::json line = {
          {"id", absl::StrCat("r", r, "-", record.doc_id)},
          {"text", record.document->text}};
      out << line.dump() << '\n';
      ++written;
    }
  }
  out.close();
  if (!out) return absl::InternalError("cannot write " + jsonl_path);
  return written;
}

absl::StatusOr<UpsertRun> RunBaselineUpsert(client::Client& source,
                                            client::Client& target,
                                            const std::string& collection,
                                            size_t batch) {
  VECDB_ASSIGN_OR_RETURN(auto info, source.GetCollection(collection));
  std::vector<Point> points;
  std::string cursor;
  const Include all{.vector = true, .metadata = true, .document = true};
  do {
    VECDB_ASSIGN_OR_RETURN(auto page,
                           source.Scroll(collection, cursor, 1000, all));
    for (auto& point : page.points) points.push_back(std::move(point));
    cursor = page.next_cursor;
  } while (!cursor.empty());

  VECDB_RETURN_IF_ERROR(target
                            .CreateCollection(collection, info.dimension,
                                              info.metric, info.hnsw)
                            .status());
  UpsertRun run;
  Stopwatch clock;
  VECDB_RETURN_IF_ERROR(
      target.UpsertBatched(collection, points, batch).status());
  run.seconds = clock.Seconds();
  run.points = points.size();
  return run;
}

}  // namespace vecdb::bench
