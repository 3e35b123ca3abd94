// Full-text and hybrid search through the gRPC server on the MED test
// collection (1,033 MEDLINE abstracts, 30 queries, binary judgments).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "tests/server/server_fixture.h"
#include "tests/testing/ir_eval.h"
#include "text/tokenizer.h"

namespace vecdb::testing {
namespace {

constexpr uint32_t kHashDim = 1024;

// A bag-of-words vector by feature hashing: each token adds ±(1 + ln tf)
// at a hashed position; L2-normalised. A stand-in embedding that needs no
// model, enough to exercise hybrid fusion on real text.
std::vector<float> HashEmbed(const std::string& text) {
  std::map<std::string, int> tf;
  for (std::string& t : text::Tokenize(text)) ++tf[std::move(t)];
  std::vector<float> v(kHashDim, 0.0f);
  for (const auto& [token, n] : tf) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : token) h = (h ^ c) * 1099511628211ull;
    const float sign = (h >> 63) != 0 ? -1.0f : 1.0f;
    v[h % kHashDim] += sign * (1.0f + std::log(static_cast<float>(n)));
  }
  double norm = 0;
  for (float x : v) norm += x * x;
  if (norm == 0) v[0] = 1.0f;
  for (float& x : v) x /= norm == 0 ? 1.0f : static_cast<float>(std::sqrt(norm));
  return v;
}

struct Scores {
  double ndcg = 0, recall = 0, mrr = 0;
};

// Runs every query in batches through the server and averages the
// measures over the judged queries.
Scores Evaluate(v1::VectorDB::Stub& stub,
                const std::vector<SmartRecord>& queries,
                const Judgments& judgments, bool text, bool vector) {
  Scores total;
  size_t judged = 0;
  for (size_t begin = 0; begin < queries.size(); begin += kTestMaxBatch) {
    const size_t end = std::min(queries.size(), begin + kTestMaxBatch);
    v1::QueryRequest request;
    request.set_collection("med");
    request.set_k(10);
    for (size_t q = begin; q < end; ++q) {
      if (text) request.add_text_queries(queries[q].text);
      if (vector) {
        const std::vector<float> v = HashEmbed(queries[q].text);
        request.add_queries()->mutable_values()->Add(v.begin(), v.end());
      }
    }
    v1::QueryResponse response;
    const grpc::Status status = VECDB_CALL(stub, Query, request, response);
    INFO(status.error_message());
    REQUIRE(status.ok());
    REQUIRE(response.results_size() == static_cast<int>(end - begin));
    for (size_t q = begin; q < end; ++q) {
      std::vector<uint64_t> ranked;
      for (const auto& hit : response.results(q - begin).hits()) {
        ranked.push_back(std::stoull(hit.point().id()));
      }
      auto it = judgments.find(queries[q].id);
      if (it == judgments.end()) continue;
      ++judged;
      total.ndcg += NdcgAtK(ranked, it->second, 10);
      total.recall += RecallAtK(ranked, it->second, 10);
      total.mrr += ReciprocalRank(ranked, it->second);
    }
  }
  REQUIRE(judged > 0);
  total.ndcg /= judged;
  total.recall /= judged;
  total.mrr /= judged;
  return total;
}

TEST_CASE("MED through the server: BM25 nDCG@10 >= 0.68, hybrid reported",
          "[text][med]") {
  const std::string med = SharedDataDir() + "/med";
  const auto docs = LoadSmartRecords(med + "/MED.ALL", "TW");
  const auto queries = LoadSmartRecords(med + "/MED.QRY", "TW");
  const Judgments judgments = LoadSmartJudgments(med + "/MED.REL");
  REQUIRE(docs.size() == 1033);
  REQUIRE(queries.size() == 30);

  TestServer server;
  server.CreateCollection("med", kHashDim, v1::METRIC_COSINE);
  for (size_t begin = 0; begin < docs.size(); begin += kTestMaxBatch) {
    v1::UpsertRequest request;
    request.set_collection("med");
    for (size_t i = begin; i < std::min(docs.size(), begin + kTestMaxBatch);
         ++i) {
      v1::Point* p = request.add_points();
      p->set_id(std::to_string(docs[i].id));
      const std::vector<float> v = HashEmbed(docs[i].text);
      p->mutable_vector()->Add(v.begin(), v.end());
      p->set_document(docs[i].text);
    }
    v1::UpsertResponse response;
    REQUIRE(VECDB_CALL(server.stub(), Upsert, request, response).ok());
  }
  REQUIRE(server.Count("med") == 1033);

  const Scores bm25 = Evaluate(server.stub(), queries, judgments, true, false);
  const Scores vec = Evaluate(server.stub(), queries, judgments, false, true);
  const Scores hybrid = Evaluate(server.stub(), queries, judgments, true, true);
  WARN("MED nDCG@10 / recall@10 / MRR: BM25 "
       << bm25.ndcg << " / " << bm25.recall << " / " << bm25.mrr
       << "; hashed bag-of-words vectors " << vec.ndcg << " / " << vec.recall
       << " / " << vec.mrr << "; hybrid (RRF k=60) " << hybrid.ndcg << " / "
       << hybrid.recall << " / " << hybrid.mrr);
  CHECK(bm25.ndcg >= 0.68);
  // Fusion with a weaker ranking keeps most of BM25's quality.
  CHECK(hybrid.ndcg >= vec.ndcg);
  CHECK(hybrid.ndcg >= 0.6);
}

}  // namespace
}  // namespace vecdb::testing
