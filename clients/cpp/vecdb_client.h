// vecdb C++ client: a typed, blocking wrapper over the vecdb.v1 gRPC API.
//
// Every method returns absl::Status / absl::StatusOr and never throws. A
// server error comes back with the server's code and message unchanged
// (see FromGrpcStatus in clients/cpp/grpc_status.h); a call that exceeds its
// deadline returns DEADLINE_EXCEEDED, an unreachable server UNAVAILABLE.
//
// Example:
//   VECDB_ASSIGN_OR_RETURN(auto client,
//                          vecdb::Client::Connect("127.0.0.1:50051", {}));
//   VECDB_RETURN_IF_ERROR(client->CreateCollection(
//       "docs", 384, vecdb::Metric::kCosine, {}).status());
//   VECDB_RETURN_IF_ERROR(client->Upsert("docs", points).status());
//   VECDB_ASSIGN_OR_RETURN(auto results,
//                          client->Query("docs", {query}, /*k=*/10));
//   for (const auto& hit : results[0]) Print(hit.point.id, hit.distance);
//
// Thread safety: a Client is thread-safe and holds one channel (one HTTP/2
// connection pool); share one Client per process and per server rather than
// creating one per request.
#ifndef VECDB_CLIENTS_CPP_VECDB_CLIENT_H_
#define VECDB_CLIENTS_CPP_VECDB_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/types.h"

namespace vecdb {
namespace client {

struct ClientOptions {
  // Deadline of each call, measured from the moment it starts.
  // Default: 30 seconds.
  std::chrono::milliseconds deadline = std::chrono::seconds(30);
  // Largest message the client sends or accepts (a large Upsert or Query
  // response). Default: 64 MiB.
  int max_message_bytes = 64 << 20;
  // When true, a call waits (up to its deadline) for the server to become
  // reachable instead of failing at once with UNAVAILABLE. Default: false.
  bool wait_for_ready = false;
};

// A collection's configuration and state, as the server reports it.
struct CollectionInfo {
  std::string name;
  uint32_t dimension = 0;
  Metric metric = Metric::kCosine;
  HnswParams hnsw;
  // Live points.
  uint64_t count = 0;
  int64_t created_unix_ms = 0;
  // Sequence number of the last applied write.
  uint64_t last_sequence = 0;
  // Sequence number covered by the graph checkpoint on disk (0 = none).
  uint64_t checkpoint_sequence = 0;
  // Slots in the graph, including deleted slots waiting for reuse.
  uint64_t index_slots = 0;
  uint64_t index_deleted_slots = 0;
};

struct UpsertResult {
  uint64_t upserted = 0;
  // Sequence number of the write (of the last batch for UpsertBatched).
  uint64_t sequence = 0;
};

struct DeleteResult {
  // How many of the ids existed and were deleted.
  uint64_t deleted = 0;
  uint64_t sequence = 0;
};

struct GetResult {
  // Found points, in request order.
  std::vector<Point> points;
  // Requested ids that do not exist.
  std::vector<std::string> missing_ids;
};

struct ScrollPage {
  // In bytewise id order.
  std::vector<Point> points;
  // Pass to the next Scroll call; empty when no points follow.
  std::string next_cursor;
};

struct ScoredPoint {
  // The id is always set; other fields as the Include asked.
  Point point;
  // Smaller is closer; see Metric.
  float distance = 0;
};

// Hits of one query, nearest first.
using QueryHits = std::vector<ScoredPoint>;

// Called after each batch of UpsertBatched with the points sent so far and
// the total.
using UpsertProgress = std::function<void(size_t done, size_t total)>;

class Client {
 public:
  // Creates a client for `target` ("host:port", or any gRPC target such as
  // "unix:/path"). Connects lazily: an unreachable server shows up as
  // UNAVAILABLE on the first call, not here. InvalidArgument for an empty
  // target or non-positive deadline / message size.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(
      std::string_view target, const ClientOptions& options = {});

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // InvalidArgument for a bad name, dimension or parameter; AlreadyExists
  // if the name is taken. Returns the new collection's info.
  absl::StatusOr<CollectionInfo> CreateCollection(std::string_view name,
                                                  uint32_t dimension,
                                                  Metric metric,
                                                  const HnswParams& hnsw = {});
  // NotFound if no collection has that name (true of every method below
  // that takes a collection name).
  absl::StatusOr<CollectionInfo> GetCollection(std::string_view name);
  // Sorted by name.
  absl::StatusOr<std::vector<CollectionInfo>> ListCollections();
  absl::Status DropCollection(std::string_view name);

  // Inserts or replaces `points` in one atomic write. InvalidArgument for a
  // wrong dimension, duplicate or bad id, bad metadata, or more points than
  // the server accepts in one request (see UpsertBatched).
  absl::StatusOr<UpsertResult> Upsert(std::string_view collection,
                                      absl::Span<const Point> points);
  // Upserts `points` in consecutive requests of at most `batch_size`
  // points, calling `progress` (if set) after each. Each batch is atomic,
  // the whole upload is not: on error, earlier batches stay applied and the
  // returned status names the first point of the failed batch.
  // InvalidArgument if batch_size is 0.
  absl::StatusOr<UpsertResult> UpsertBatched(
      std::string_view collection, absl::Span<const Point> points,
      size_t batch_size, const UpsertProgress& progress = nullptr);

  // Points with the given ids, fields as `include` asks.
  absl::StatusOr<GetResult> Get(std::string_view collection,
                                absl::Span<const std::string> ids,
                                const Include& include = {});
  // Deletes the given ids; unknown ids are not an error.
  absl::StatusOr<DeleteResult> Delete(std::string_view collection,
                                      absl::Span<const std::string> ids);
  // Live points in the collection.
  absl::StatusOr<uint64_t> Count(std::string_view collection);
  // One page of points in id order, starting after `cursor` ("" for the
  // first page). `limit` 0 means the server default (100).
  absl::StatusOr<ScrollPage> Scroll(std::string_view collection,
                                    std::string_view cursor, uint32_t limit,
                                    const Include& include = {});
  // The k nearest points of each query vector, one QueryHits per query in
  // order. `ef` 0 means the collection's ef_search. Distances are always
  // returned.
  absl::StatusOr<std::vector<QueryHits>> Query(
      std::string_view collection,
      const std::vector<std::vector<float>>& queries, uint32_t k,
      uint32_t ef = 0, const Include& include = {});

 private:
  class Impl;
  explicit Client(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace client

using client::Client;
using client::ClientOptions;

}  // namespace vecdb

#endif  // VECDB_CLIENTS_CPP_VECDB_CLIENT_H_
