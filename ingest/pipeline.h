// The write half of ingestion: chunk points in, embedded, upserted, stale
// versions deleted, one DocumentResult out per document.
//
//   Add() ──> embed queue ──> embed workers (embed_threads) ──> upsert
//   queue ──> upsert thread: batches points (upsert_batch per Upsert) from
//   any documents; once every chunk of a document is acknowledged and the
//   stored state had other versions, deletes them (doc_id == D AND
//   doc_hash != H); then the document's result is final.
//
// Upsert first, delete after: a document is never missing from search, and
// a run killed at any moment leaves a state the next run repairs
// (ingest/manifest.h).
//
// Failures: a document whose embedding, upsert or stale delete fails is
// FAILED and the others go on (a failing batch is retried one document at a
// time to find the culprit; InvalidArgument from the server is a document's
// fault). Any other server error (UNAVAILABLE, NOT_FOUND for a dropped
// collection, ...) is run-level: the pipeline stops, Add and Finish return
// it, documents in flight get no result.
//
// Results arrive on the upsert thread (or the embed workers' never), in
// order of completion; the callback must not block for long.
//
// Thread safety: Add and Flush from one producer thread at a time; Finish
// once, from that thread.
#ifndef VECDB_INGEST_PIPELINE_H_
#define VECDB_INGEST_PIPELINE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "clients/cpp/vecdb_client.h"
#include "common/types.h"
#include "embed/embedder.h"
#include "ingest/bounded_queue.h"
#include "ingest/summary.h"

namespace vecdb::ingest {

struct PipelineOptions {
  // Embed worker threads; 0 = std::thread::hardware_concurrency().
  // Default: 0.
  int embed_threads = 0;
  // Most chunk points per Upsert call. Default: 256.
  size_t upsert_batch = 256;
  // Most chunk texts per Embed call. Default: 64.
  size_t embed_batch = 64;
  // A partly filled upsert batch is sent after waiting this long for more
  // embedded chunks. Default: 20 ms.
  std::chrono::milliseconds upsert_linger{20};
};

// A document whose new version is to be written.
struct PendingDocument {
  // Passed through to the result callback (e.g. the request's position).
  uint64_t sequence = 0;
  std::string doc_id;
  std::string source;
  std::string doc_hash;
  // From BuildChunkPoints (vectors empty); at least one.
  std::vector<Point> points;
  // Chunks of other versions are stored: delete them once this one is in.
  bool delete_stale = false;
  std::vector<std::string> warnings;
};

class Pipeline {
 public:
  using ResultCallback =
      std::function<void(uint64_t sequence, DocumentResult result)>;

  // `client` and `embedder` must outlive the pipeline. Starts the threads.
  Pipeline(Client& client, std::string collection, embed::Embedder& embedder,
           const PipelineOptions& options, ResultCallback on_result);
  // Finishes if Finish was not called.
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Queues a document (blocks while the queues are full). Returns the
  // run-level error once there is one; the document is then dropped.
  absl::Status Add(PendingDocument document);
  // Sends a partly filled embed batch on without waiting for more
  // documents (the streaming service calls it after each document).
  void Flush();
  // Flushes, waits until every document has its result, stops the threads.
  // Returns the run-level error, if any.
  absl::Status Finish();
  // The run-level error so far (OK while running normally). Any thread.
  absl::Status status() const;

 private:
  struct DocState;
  struct ChunkRef {
    std::shared_ptr<DocState> doc;
    size_t index = 0;  // into doc->points
  };
  using Batch = std::vector<ChunkRef>;

  void EmbedWorker();
  void EmbedBatch(Batch& batch);
  void UpsertLoop();
  void SendUpserts(Batch& pending, bool all);
  absl::Status UpsertBatch(Batch& batch);
  void Acknowledge(const ChunkRef& ref);
  void Complete(DocState& doc);
  void FailRun(absl::Status status);
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }

  Client& client_;
  const std::string collection_;
  embed::Embedder& embedder_;
  const PipelineOptions options_;
  const ResultCallback on_result_;
  const int threads_;

  Batch open_batch_;  // producer thread only
  BoundedQueue<Batch> embed_queue_;
  BoundedQueue<Batch> upsert_queue_;
  std::vector<std::thread> embed_threads_;
  std::thread upsert_thread_;
  bool finished_ = false;  // producer thread only

  std::atomic<bool> stopped_{false};
  mutable std::mutex run_mu_;
  absl::Status run_status_;  // guarded by run_mu_
};

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_PIPELINE_H_
