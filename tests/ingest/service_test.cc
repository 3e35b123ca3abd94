// The Ingest gRPC service against a real in-process vecdb server: in
// process (StartIngestServer) and as `vecdb-ingest serve`.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "common/chunk_fields.h"
#include "ingest/service.h"
#include "tests/clients/test_server.h"
#include "tests/ingest/ingest_test_util.h"
#include "tests/testing/test_data.h"
#include "vecdb/v1/ingest.grpc.pb.h"

namespace vecdb::ingest::testing {
namespace {

using vecdb::testing::TempDir;
using vecdb::testing::TestServer;

const IngestProfile kProfile{
    .embedder = {.name = "hash", .dimension = 32},
    .chunker = {.name = "auto",
                .parameters = {{"target_tokens", "32"},
                               {"overlap_tokens", "4"}}}};

v1::IngestDocument Doc(std::string id, std::string content,
                       std::string format = "") {
  v1::IngestDocument doc;
  doc.set_id(std::move(id));
  doc.set_content(std::move(content));
  doc.set_format(std::move(format));
  return doc;
}

struct StreamResult {
  grpc::Status status;
  std::vector<v1::DocumentResult> results;
};

StreamResult Stream(int port, const std::string& collection,
                    const std::vector<v1::IngestDocument>& docs) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::Ingest::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  auto stream = stub->IngestDocuments(&context);
  StreamResult out;
  std::thread reader([&] {
    v1::DocumentResult result;
    while (stream->Read(&result)) out.results.push_back(result);
  });
  v1::IngestRequest first;
  first.set_collection(collection);
  if (docs.empty()) stream->Write(first);
  for (size_t i = 0; i < docs.size(); ++i) {
    v1::IngestRequest request = i == 0 ? first : v1::IngestRequest();
    *request.mutable_document() = docs[i];
    if (!stream->Write(request)) break;
  }
  stream->WritesDone();
  reader.join();
  out.status = stream->Finish();
  return out;
}

std::string LongText(int sentences, const std::string& word) {
  std::string text;
  for (int i = 0; i < sentences; ++i) {
    text += "Sentence " + std::to_string(i) + " is about " + word +
            " and several other words to fill the chunk.\n\n";
  }
  return text;
}

uint64_t CountOf(Client& client, const std::string& collection,
                 const std::string& doc_id) {
  auto count = client.Count(
      collection, FieldFilter("doc_id", FieldOp::kEq, {doc_id}));
  REQUIRE(count.ok());
  return *count;
}

std::vector<std::string> Outcomes(const StreamResult& r) {
  std::vector<std::string> outcomes;
  for (const auto& result : r.results) {
    outcomes.push_back(result.doc_id() + ":" +
                       v1::DocumentOutcome_Name(result.outcome()));
  }
  return outcomes;
}

TEST_CASE("Ingest service: results in order, unchanged on resend, bad "
          "documents fail alone", "[ingest][service]") {
  TestServer vecdb_server;
  auto client = Client::Connect(vecdb_server.address());
  REQUIRE(client.ok());
  auto server = StartIngestServer(
      **client, {.profile = kProfile, .pipeline = {.embed_threads = 2}},
      {.listen_address = "127.0.0.1:0"});
  REQUIRE(server.ok());
  const int port = (*server)->port();

  v1::IngestDocument reserved = Doc("d4", "text with a reserved field");
  (*reserved.mutable_metadata())["doc_hash"].set_string_value("x");
  v1::IngestDocument with_metadata = Doc("d5", "text with metadata");
  (*with_metadata.mutable_metadata())["lang"].set_string_value("en");
  std::vector<v1::IngestDocument> docs = {
      Doc("d1", LongText(12, "hearts")),
      Doc("d2", "# Title\n\nSome text.\n\n## Part\n\nMore text.\n", "md"),
      Doc("bad.pdf", "%PDF-1.4 this is not really a pdf", "pdf"),
      Doc("d3", "<html><body><h1>H</h1><p>Paragraph.</p></body></html>",
          "html"),
      reserved,
      with_metadata,
  };
  StreamResult first = Stream(port, "svc", docs);
  INFO(first.status.error_message());
  REQUIRE(first.status.ok());
  CHECK(Outcomes(first) == std::vector<std::string>{
                               "d1:DOCUMENT_OUTCOME_INDEXED",
                               "d2:DOCUMENT_OUTCOME_INDEXED",
                               "bad.pdf:DOCUMENT_OUTCOME_FAILED",
                               "d3:DOCUMENT_OUTCOME_INDEXED",
                               "d4:DOCUMENT_OUTCOME_FAILED",
                               "d5:DOCUMENT_OUTCOME_INDEXED"});
  REQUIRE(first.results.size() == 6);
  CHECK_THAT(first.results[4].error(), Catch::Contains("doc_hash"));
  CHECK_FALSE(first.results[2].error().empty());
  const uint32_t d1_chunks = first.results[0].chunks();
  CHECK(d1_chunks > 2);
  CHECK(CountOf(**client, "svc", "d1") == d1_chunks);
  CHECK(CountOf(**client, "svc", "bad.pdf") == 0);
  auto stored = ScrollMetadata(**client, "svc");
  CHECK(stored.at("d5#0").at("lang") == MetadataValue(std::string("en")));
  CHECK(stored.at("d2#0").at("source") == MetadataValue(std::string("d2")));

  // Resend: nothing written.
  const uint64_t sequence = (*client)->GetCollection("svc")->last_sequence;
  StreamResult second = Stream(port, "svc", docs);
  REQUIRE(second.status.ok());
  CHECK(Outcomes(second) == std::vector<std::string>{
                                "d1:DOCUMENT_OUTCOME_UNCHANGED",
                                "d2:DOCUMENT_OUTCOME_UNCHANGED",
                                "bad.pdf:DOCUMENT_OUTCOME_FAILED",
                                "d3:DOCUMENT_OUTCOME_UNCHANGED",
                                "d4:DOCUMENT_OUTCOME_FAILED",
                                "d5:DOCUMENT_OUTCOME_UNCHANGED"});
  CHECK(second.results[0].chunks() == d1_chunks);
  CHECK((*client)->GetCollection("svc")->last_sequence == sequence);

  // A shorter d1, then two versions of d6 in one stream.
  StreamResult third =
      Stream(port, "svc",
             {Doc("d1", LongText(2, "lungs")), Doc("d6", LongText(9, "one")),
              Doc("d6", LongText(3, "two"))});
  REQUIRE(third.status.ok());
  REQUIRE(third.results.size() == 3);
  const uint32_t d1_now = third.results[0].chunks();
  CHECK(third.results[0].outcome() == v1::DOCUMENT_OUTCOME_INDEXED);
  CHECK(third.results[0].removed() == d1_chunks - d1_now);
  CHECK(CountOf(**client, "svc", "d1") == d1_now);
  CHECK(third.results[2].outcome() == v1::DOCUMENT_OUTCOME_INDEXED);
  CHECK(CountOf(**client, "svc", "d6") == third.results[2].chunks());
  for (const auto& [id, chunk] : ScrollChunks(**client, "svc")) {
    if (chunk.doc_id == "d6") CHECK_THAT(chunk.text, Catch::Contains("two"));
  }

  // Many documents: results still in request order.
  std::vector<v1::IngestDocument> many;
  for (int i = 0; i < 60; ++i) {
    many.push_back(Doc("m" + std::to_string(i), LongText(1 + i % 5, "many")));
  }
  StreamResult ordered = Stream(port, "svc", many);
  REQUIRE(ordered.status.ok());
  REQUIRE(ordered.results.size() == 60);
  for (int i = 0; i < 60; ++i) {
    CHECK(ordered.results[i].doc_id() == "m" + std::to_string(i));
    CHECK(ordered.results[i].outcome() == v1::DOCUMENT_OUTCOME_INDEXED);
  }
}

TEST_CASE("Ingest service: stream-level errors end the stream",
          "[ingest][service]") {
  TestServer vecdb_server;
  auto client = Client::Connect(vecdb_server.address());
  REQUIRE(client.ok());
  IngestProfile other = kProfile;
  other.embedder.dimension = 16;
  REQUIRE((*client)->CreateCollection("other", 16, Metric::kCosine, {}, other).ok());
  auto server = StartIngestServer(**client, {.profile = kProfile},
                                  {.listen_address = "127.0.0.1:0"});
  REQUIRE(server.ok());

  StreamResult mismatch = Stream((*server)->port(), "other", {Doc("a", "text")});
  CHECK(mismatch.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(mismatch.results.empty());
  CHECK(*(*client)->Count("other") == 0);

  StreamResult no_name = Stream((*server)->port(), "", {Doc("a", "text")});
  CHECK(no_name.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("vecdb-ingest serve streams and stops on SIGTERM",
          "[ingest][service]") {
  TestServer vecdb_server;
  TempDir logs;
  const pid_t pid = StartIngest(
      {"serve", "--listen", "127.0.0.1:0", "--server", vecdb_server.address(),
       "--dimension", "32"},
      logs.path() + "/out", logs.path() + "/err");
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string out = ReadFile(logs.path() + "/out");
    const size_t at = out.find("port ");
    if (at != std::string::npos) port = std::stoi(out.substr(at + 5));
  }
  REQUIRE(port > 0);
  StreamResult result = Stream(port, "served", {Doc("a", "served text")});
  CHECK(result.status.ok());
  REQUIRE(result.results.size() == 1);
  CHECK(result.results[0].outcome() == v1::DOCUMENT_OUTCOME_INDEXED);
  kill(pid, SIGTERM);
  CHECK(WaitIngest(pid) == 0);
}

}  // namespace
}  // namespace vecdb::ingest::testing
