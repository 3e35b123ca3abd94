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
// Filters, text and hybrid queries go through QueryOptions:
//   vecdb::client::QueryOptions options;
//   options.k = 5;
//   options.filter = vecdb::FieldFilter("lang", vecdb::FieldOp::kEq,
//                                       {std::string("en")});
//   options.text_queries = {"heart attack"};  // with `queries`: hybrid
//   options.explain = true;
//   VECDB_ASSIGN_OR_RETURN(auto results,
//                          client->Query("docs", {query}, options));
//   // results[0].hits[i].score, .vector_rank, .text_rank;
//   // results[0].explain->path
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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/filter.h"
#include "common/ingest_profile.h"
#include "common/query_explain.h"
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
  // Sequence number of the last committed write, and of the last one
  // searches reflect.
  uint64_t last_sequence = 0;
  uint64_t applied_sequence = 0;
  // Sequence number covered by the graph checkpoint on disk (0 = none).
  uint64_t checkpoint_sequence = 0;
  // Slots in the graph, including slots of replaced or deleted vectors
  // until compaction reclaims them.
  uint64_t index_slots = 0;
  uint64_t index_deleted_slots = 0;
  // Background compactions; the last one's end (unix seconds, 0 = none)
  // and the slots it reclaimed.
  uint64_t compactions = 0;
  int64_t last_compaction_unix = 0;
  uint64_t last_compaction_reclaimed = 0;
  // Non-empty while the graph is rebuilt after a failed update.
  std::string index_stale_reason;
  // Non-empty when the server's last start found the WAL damaged: what was
  // recovered and which acknowledged writes were lost.
  std::string wal_recovery;
  // How documents became its points (empty() when none was recorded).
  IngestProfile ingest;
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
  // Smaller is closer; see Metric. Vector and hybrid queries (hybrid: only
  // when vector_rank > 0); 0 otherwise.
  float distance = 0;
  // Text queries: the BM25 score. Hybrid: the fused RRF score. Vector
  // queries: 0. Higher is better.
  float score = 0;
  // Hybrid queries only: 1-based rank in the vector and in the text
  // ranking (0 when absent from it), and the BM25 score when text_rank > 0.
  uint32_t vector_rank = 0;
  uint32_t text_rank = 0;
  float text_score = 0;
};

// Hits of one query, nearest first.
using QueryHits = std::vector<ScoredPoint>;

// How the server answered a query (common/query_explain.h).
using vecdb::QueryPath;
using vecdb::QueryPathName;
using Explain = vecdb::QueryExplain;

// The answer to one query of a Query call with QueryOptions.
struct QueryResult {
  // Sorted by distance (vector queries) or by score, highest first (text
  // and hybrid queries).
  std::vector<ScoredPoint> hits;
  // Set when QueryOptions::explain was.
  std::optional<Explain> explain;
};

// How a hybrid query fuses its two rankings (vecdb.v1.Fusion).
enum class Fusion {
  // RRF for Query, relative score for Retrieve.
  kDefault = 0,
  // score = vector_weight / (rrf_k + vector_rank) +
  //         text_weight / (rrf_k + text_rank).
  kRrf = 1,
  // score = vector_weight * (min-max normalised similarity) +
  //         text_weight * (min-max normalised BM25 score).
  kRelativeScore = 2,
};

struct HybridOptions {
  Fusion fusion = Fusion::kDefault;
  // RRF only. Default: 0, meaning 60. At most 1e6.
  float rrf_k = 0;
  // >= 0 and not both 0. Default: 0 and 0, meaning 1 and 1.
  float vector_weight = 0;
  float text_weight = 0;
  // Candidates each ranking contributes. Default: 0, meaning max(k, 100).
  uint32_t candidates = 0;
};

struct Bm25Options {
  // Default: 0, meaning 1.2. At most 100.
  float k1 = 0;
  // Default: 0, meaning 0.75 (pass a tiny value for b = 0). At most 1.
  float b = 0;
};

// A vector query (Query's `queries` only), a text query (`text_queries`
// only) or a hybrid query (both, paired by position: equal counts).
struct QueryOptions {
  // Hits per query, 1..1000. Default: 10.
  uint32_t k = 10;
  // Candidate list size. Default: 0, the collection's ef_search.
  uint32_t ef = 0;
  // Point fields to return; distances are always returned.
  Include include;
  // Only matching points are returned (exactly min(k, matching) hits per
  // vector query). Default: none.
  std::optional<Filter> filter;
  // Full-text (BM25) queries, each with at least one word. Default: none.
  std::vector<std::string> text_queries;
  HybridOptions hybrid;
  Bm25Options bm25;
  // Return QueryResult::explain. Default: false.
  bool explain = false;
};

// Retrieve: query text in, cited chunks and a context block out.
enum class RetrieveMode {
  // Hybrid when the query has words for BM25, else dense.
  kAuto = 0,
  kDense = 1,
  kText = 2,
  kHybrid = 3,
};

struct RetrieveOptions {
  // Chunks to retrieve, 1..1000. Default: 10.
  uint32_t k = 10;
  RetrieveMode mode = RetrieveMode::kAuto;
  std::optional<Filter> filter;
  HybridOptions hybrid;
  // Default: 0, the collection's ef_search.
  uint32_t ef = 0;
  // Context budget in code points / approximate tokens; 0 = no limit in
  // that unit; both 0 = 6000 characters.
  uint32_t max_context_chars = 0;
  uint32_t max_context_tokens = 0;
};

struct Citation {
  std::string chunk_id;
  std::string doc_id;
  std::string source;
  std::string title;
  uint32_t chunk_index = 0;
  // [char_start, char_end) in code points of the document text.
  uint64_t char_start = 0;
  uint64_t char_end = 0;
  std::vector<std::string> section;
  std::string text;
  uint32_t rank = 0;
  float score = 0;
  float distance = 0;
  // The document's own metadata.
  Metadata metadata;
  // Context passage holding the chunk; 0 = left out.
  uint32_t passage = 0;
};

struct ContextPassage {
  uint32_t number = 0;
  std::string doc_id;
  std::string source;
  std::string title;
  std::vector<std::string> section;
  uint64_t char_start = 0;
  uint64_t char_end = 0;
  std::string text;
  std::vector<std::string> chunk_ids;
  uint32_t best_rank = 0;
};

struct RetrieveResult {
  // Best first.
  std::vector<Citation> chunks;
  // In context order.
  std::vector<ContextPassage> passages;
  std::string context;
  uint32_t context_chars = 0;
  uint32_t context_tokens = 0;
  bool truncated = false;
  // The mode used (kAuto resolved).
  RetrieveMode mode = RetrieveMode::kAuto;
  uint64_t embed_micros = 0;
  uint64_t search_micros = 0;
};

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
  // The same, recording how documents become points (vecdb-ingest creates
  // its collections this way). An entirely empty profile means none.
  // InvalidArgument naming the field when the embedder's name is empty but
  // other fields are set, its dimension differs from `dimension`, or a
  // parameter breaks the limits (see vecdb.proto, EmbedderSpec).
  absl::StatusOr<CollectionInfo> CreateCollection(std::string_view name,
                                                  uint32_t dimension,
                                                  Metric metric,
                                                  const HnswParams& hnsw,
                                                  const IngestProfile& profile);
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

  // Filters: every call below that takes `filter` applies it only when
  // set; the server validates it (InvalidArgument naming the node, e.g.
  // "filter.all_of[1].field.op: unknown operator 42").

  // Points with the given ids, fields as `include` asks. With a filter,
  // only matching points are returned; existing ids that do not match are
  // neither returned nor listed as missing.
  absl::StatusOr<GetResult> Get(
      std::string_view collection, absl::Span<const std::string> ids,
      const Include& include = {},
      const std::optional<Filter>& filter = std::nullopt);
  // Deletes the given ids (only those matching `filter` when it is set), or
  // with no ids every point that matches `filter`, in one atomic write.
  // Unknown ids and matching nothing are not errors; no ids and no filter
  // is InvalidArgument from the server.
  absl::StatusOr<DeleteResult> Delete(
      std::string_view collection, absl::Span<const std::string> ids,
      const std::optional<Filter>& filter = std::nullopt);
  // Live points in the collection (only matching ones, counted exactly,
  // with a filter).
  absl::StatusOr<uint64_t> Count(
      std::string_view collection,
      const std::optional<Filter>& filter = std::nullopt);
  // One page of points in id order, starting after `cursor` ("" for the
  // first page). `limit` 0 means the server default (100). With a filter,
  // only matching points; the cursor works the same way.
  absl::StatusOr<ScrollPage> Scroll(
      std::string_view collection, std::string_view cursor, uint32_t limit,
      const Include& include = {},
      const std::optional<Filter>& filter = std::nullopt);
  // The k nearest points of each query vector, one QueryHits per query in
  // order. `ef` 0 means the collection's ef_search. Distances are always
  // returned.
  absl::StatusOr<std::vector<QueryHits>> Query(
      std::string_view collection,
      const std::vector<std::vector<float>>& queries, uint32_t k,
      uint32_t ef = 0, const Include& include = {});
  // Vector, text or hybrid queries with every option (see QueryOptions):
  // one QueryResult per query, in order (per vector for vector and hybrid
  // queries, per text for text queries).
  absl::StatusOr<std::vector<QueryResult>> Query(
      std::string_view collection,
      const std::vector<std::vector<float>>& queries,
      const QueryOptions& options);

  // Embeds `query` with the collection's recorded embedder, searches and
  // assembles a cited context (see RetrieveOptions).
  // FailedPrecondition when the collection has no ingest profile.
  absl::StatusOr<RetrieveResult> Retrieve(std::string_view collection,
                                          std::string_view query,
                                          const RetrieveOptions& options = {});

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
