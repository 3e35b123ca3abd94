// MED and ADI ingested end to end by the vecdb-ingest binary with the
// default pipeline (SMART reader, auto chunker, hash embedder) into a real
// server, then evaluated through Retrieve in every mode.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "clients/cpp/vecdb_client.h"
#include "eval/ingest_run.h"
#include "eval/judgments.h"
#include "eval/retrieval_eval.h"
#include "tests/clients/test_server.h"
#include "tests/testing/test_data.h"

namespace vecdb::eval {
namespace {

struct ModeScores {
  double dense = 0;
  double text = 0;
  double hybrid = 0;
};

ModeScores IngestAndEvaluate(const std::string& name,
                             const std::string& prefix) {
  testing::TestServer server;
  testing::TempDir logs;
  const std::string base = testing::SharedDataDir() + "/" + name + "/" + prefix;
  auto run = RunIngest({.binary = VECDB_INGEST_BINARY,
                        .server = server.address(),
                        .collection = name,
                        .args = {"--format=smart"},
                        .inputs = {base + ".ALL"},
                        .log_path = logs.path() + "/ingest.log"});
  REQUIRE(run.ok());
  auto client = Client::Connect(server.address());
  REQUIRE(client.ok());
  auto queries = LoadQueries(base + ".QRY");
  REQUIRE(queries.ok());
  auto judgments = LoadJudgments(base + ".REL", JudgmentFormat::kSmart);
  REQUIRE(judgments.ok());

  ModeScores scores;
  for (auto [mode, out] :
       {std::pair{client::RetrieveMode::kDense, &scores.dense},
        std::pair{client::RetrieveMode::kText, &scores.text},
        std::pair{client::RetrieveMode::kHybrid, &scores.hybrid}}) {
    auto report =
        EvaluateRetrieval(**client, name, *queries, *judgments, mode, {});
    REQUIRE(report.ok());
    REQUIRE(report->queries > 0);
    *out = report->ndcg_at_k;
    std::printf("%s %s: nDCG@10 %.3f recall@10 %.3f MRR %.3f (%zu queries)\n",
                name.c_str(), std::string(RetrieveModeName(mode)).c_str(),
                report->ndcg_at_k, report->recall_at_k, report->mrr,
                report->queries);
  }
  return scores;
}

TEST_CASE("MED through vecdb-ingest and Retrieve: hybrid at least BM25",
          "[rag][slow]") {
  const ModeScores scores = IngestAndEvaluate("med", "MED");
  // Measured: dense 0.645, BM25 0.689, hybrid 0.702.
  CHECK(scores.text >= 0.66);
  CHECK(scores.dense >= 0.62);
  CHECK(scores.hybrid >= scores.text);
}

TEST_CASE("ADI through vecdb-ingest and Retrieve: hybrid at least BM25",
          "[rag]") {
  const ModeScores scores = IngestAndEvaluate("adi", "ADI");
  // Measured: dense 0.336, BM25 0.394, hybrid 0.397.
  CHECK(scores.text >= 0.37);
  CHECK(scores.dense >= 0.31);
  CHECK(scores.hybrid >= scores.text);
}

}  // namespace
}  // namespace vecdb::eval
