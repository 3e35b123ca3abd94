// `vecdb-ingest serve`: the Ingest gRPC service (proto/vecdb/v1/ingest.proto),
// the streaming form of `vecdb-ingest sync`.
//
// Per stream: the first request names the collection, which is created or
// checked exactly as in a batch run (ingest/collection_setup.h; a mismatch
// ends the stream with FAILED_PRECONDITION before anything is written).
// Per document, in order: format ("" = txt; txt, md, html, pdf) →
// ParseDocument → the request's metadata (reserved names fail the
// document) → content hash → chunk → two Counts (doc_id == D AND doc_hash
// == H; doc_id == D): all stored chunks of version H and as many as the
// fresh split has → UNCHANGED; otherwise the chunks go through a Pipeline
// (embed, upsert, stale delete) → INDEXED. A document with the id of one
// still in flight on the same stream waits for it first.
//
// One DocumentResult per document, in request order, once it is final. A
// bad document fails alone. Stream-level errors (UNAVAILABLE server,
// profile mismatch, a second collection name) end the stream with that
// status; documents in flight then get no result.
//
// Thread safety: IngestService handles concurrent streams; each stream has
// its own pipeline threads. The Client is shared.
#ifndef VECDB_INGEST_SERVICE_H_
#define VECDB_INGEST_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "common/ingest_profile.h"
#include "ingest/pipeline.h"
#include "vecdb/v1/ingest.grpc.pb.h"

namespace vecdb::ingest {

struct IngestServiceOptions {
  // Embedder and chunker of every collection this service writes.
  IngestProfile profile;
  PipelineOptions pipeline;
};

class IngestService final : public v1::Ingest::Service {
 public:
  // `client` (connected to the vecdb-server) must outlive the service.
  IngestService(Client& client, IngestServiceOptions options);

  grpc::Status IngestDocuments(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::DocumentResult, v1::IngestRequest>* stream)
      override;

 private:
  Client& client_;
  const IngestServiceOptions options_;
};

struct IngestServerOptions {
  // host:port; port 0 picks a free one. Default: 127.0.0.1:50052.
  std::string listen_address = "127.0.0.1:50052";
  // Largest message received or sent (a PDF in one request). Default: 64 MiB.
  int max_message_bytes = 64 << 20;
};

// A started Ingest server. Destroying it shuts it down without grace.
// Thread safety: Shutdown may be called from any thread, more than once.
class RunningIngestServer {
 public:
  RunningIngestServer(std::unique_ptr<IngestService> service,
                      std::unique_ptr<grpc::Server> server, int port);
  ~RunningIngestServer();

  int port() const { return port_; }
  // Stops accepting streams, lets streams in flight run for up to `grace`,
  // then cancels them; returns when every handler has returned.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  std::unique_ptr<IngestService> service_;
  std::unique_ptr<grpc::Server> server_;
  const int port_;
};

// Unavailable if the address cannot be bound.
absl::StatusOr<std::unique_ptr<RunningIngestServer>> StartIngestServer(
    Client& client, IngestServiceOptions service_options,
    const IngestServerOptions& server_options);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_SERVICE_H_
