#include "clients/cpp/vecdb_client.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cpp/grpc_status.h"
#include "common/status_macros.h"
#include "proto/convert.h"
#include "proto/filter_convert.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::client {

class Client::Impl {
 public:
  Impl(std::shared_ptr<grpc::Channel> channel, const ClientOptions& options)
      : stub_(v1::VectorDB::NewStub(channel)), options_(options) {}

  // Runs one unary call with the configured deadline.
  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (v1::VectorDB::Stub::*method)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.deadline);
    context.set_wait_for_ready(options_.wait_for_ready);
    return FromGrpcStatus((stub_.get()->*method)(&context, request, response));
  }

 private:
  std::unique_ptr<v1::VectorDB::Stub> stub_;
  const ClientOptions options_;
};

namespace {

absl::StatusOr<CollectionInfo> InfoFromProto(const v1::CollectionInfo& proto) {
  CollectionInfo info;
  info.name = proto.name();
  info.dimension = proto.dimension();
  VECDB_ASSIGN_OR_RETURN(info.metric, MetricFromProto(proto.metric()));
  info.hnsw = HnswParamsFromProto(proto.hnsw());
  info.count = proto.count();
  info.created_unix_ms = proto.created_unix_ms();
  info.last_sequence = proto.last_sequence();
  info.checkpoint_sequence = proto.checkpoint_sequence();
  info.index_slots = proto.index_slots();
  info.index_deleted_slots = proto.index_deleted_slots();
  info.applied_sequence = proto.applied_sequence();
  info.compactions = proto.compactions();
  info.last_compaction_unix = proto.last_compaction_unix();
  info.last_compaction_reclaimed = proto.last_compaction_reclaimed();
  info.index_stale_reason = proto.index_stale_reason();
  info.wal_recovery = proto.wal_recovery();
  if (proto.has_ingest()) info.ingest = IngestProfileFromProto(proto.ingest());
  return info;
}

// A response the server should never send (e.g. an unknown metric) is
// reported as INTERNAL, keeping the conversion's message.
absl::Status BadResponse(const absl::Status& status) {
  return absl::InternalError(
      absl::StrCat("malformed server response: ", status.message()));
}

// Sets the request's filter only when there is one: the server takes a
// present but empty filter message as a malformed filter.
template <typename Request>
void MaybeSetFilter(const std::optional<Filter>& filter, Request* request) {
  if (filter.has_value()) FilterToProto(*filter, request->mutable_filter());
}

// Moves the hits (and explain, when `explain`) out of `response`.
absl::StatusOr<std::vector<QueryResult>> ResultsFromProto(
    v1::QueryResponse* response, bool explain) {
  std::vector<QueryResult> results;
  results.reserve(response->results_size());
  for (int q = 0; q < response->results_size(); ++q) {
    v1::QueryResult* proto = response->mutable_results(q);
    QueryResult result;
    result.hits.reserve(proto->hits_size());
    for (int h = 0; h < proto->hits_size(); ++h) {
      v1::ScoredPoint* hit = proto->mutable_hits(h);
      auto point =
          PointFromProto(hit->mutable_point(),
                         absl::StrCat("results[", q, "].hits[", h, "].point"));
      if (!point.ok()) return BadResponse(point.status());
      result.hits.push_back({.point = *std::move(point),
                             .distance = hit->distance(),
                             .score = hit->score(),
                             .vector_rank = hit->vector_rank(),
                             .text_rank = hit->text_rank(),
                             .text_score = hit->text_score()});
    }
    if (explain) result.explain = ExplainFromProto(proto->explain());
    results.push_back(std::move(result));
  }
  return results;
}

v1::RetrieveMode RetrieveModeToProto(RetrieveMode mode) {
  switch (mode) {
    case RetrieveMode::kAuto:
      return v1::RETRIEVE_MODE_UNSPECIFIED;
    case RetrieveMode::kDense:
      return v1::RETRIEVE_MODE_DENSE;
    case RetrieveMode::kText:
      return v1::RETRIEVE_MODE_TEXT;
    case RetrieveMode::kHybrid:
      return v1::RETRIEVE_MODE_HYBRID;
  }
  // An out-of-range value is sent as is; the server names it.
  return static_cast<v1::RetrieveMode>(mode);
}

absl::StatusOr<RetrieveMode> RetrieveModeFromProto(v1::RetrieveMode mode) {
  switch (mode) {
    case v1::RETRIEVE_MODE_UNSPECIFIED:
      return RetrieveMode::kAuto;
    case v1::RETRIEVE_MODE_DENSE:
      return RetrieveMode::kDense;
    case v1::RETRIEVE_MODE_TEXT:
      return RetrieveMode::kText;
    case v1::RETRIEVE_MODE_HYBRID:
      return RetrieveMode::kHybrid;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("mode: unknown value ", static_cast<int>(mode)));
  }
}

template <typename Proto>
std::vector<std::string> Strings(const Proto& repeated) {
  return std::vector<std::string>(repeated.begin(), repeated.end());
}

absl::StatusOr<Citation> CitationFromProto(const v1::Citation& proto,
                                           int index) {
  Citation c;
  c.chunk_id = proto.chunk_id();
  c.doc_id = proto.doc_id();
  c.source = proto.source();
  c.title = proto.title();
  c.chunk_index = proto.chunk_index();
  c.char_start = proto.char_start();
  c.char_end = proto.char_end();
  c.section = Strings(proto.section());
  c.text = proto.text();
  c.rank = proto.rank();
  c.score = proto.score();
  c.distance = proto.distance();
  for (const auto& [key, value] : proto.metadata()) {
    VECDB_ASSIGN_OR_RETURN(
        c.metadata[key], MetadataValueFromProto(
                             value, absl::StrCat("chunks[", index,
                                                 "].metadata[\"", key, "\"]")));
  }
  c.passage = proto.passage();
  return c;
}

ContextPassage PassageFromProto(const v1::ContextPassage& proto) {
  ContextPassage p;
  p.number = proto.number();
  p.doc_id = proto.doc_id();
  p.source = proto.source();
  p.title = proto.title();
  p.section = Strings(proto.section());
  p.char_start = proto.char_start();
  p.char_end = proto.char_end();
  p.text = proto.text();
  p.chunk_ids = Strings(proto.chunk_ids());
  p.best_rank = proto.best_rank();
  return p;
}

absl::StatusOr<RetrieveResult> RetrieveResultFromProto(
    const v1::RetrieveResponse& proto) {
  RetrieveResult result;
  result.chunks.reserve(proto.chunks_size());
  for (int i = 0; i < proto.chunks_size(); ++i) {
    VECDB_ASSIGN_OR_RETURN(Citation c, CitationFromProto(proto.chunks(i), i));
    result.chunks.push_back(std::move(c));
  }
  result.passages.reserve(proto.passages_size());
  for (const v1::ContextPassage& p : proto.passages()) {
    result.passages.push_back(PassageFromProto(p));
  }
  result.context = proto.context();
  result.context_chars = proto.context_chars();
  result.context_tokens = proto.context_tokens();
  result.truncated = proto.truncated();
  VECDB_ASSIGN_OR_RETURN(result.mode, RetrieveModeFromProto(proto.mode()));
  result.embed_micros = proto.embed_micros();
  result.search_micros = proto.search_micros();
  return result;
}

static_assert(static_cast<int>(Fusion::kRrf) == v1::FUSION_RRF);
static_assert(static_cast<int>(Fusion::kRelativeScore) ==
              v1::FUSION_RELATIVE_SCORE);

void HybridToProto(const HybridOptions& hybrid, v1::HybridParams* proto) {
  proto->set_fusion(static_cast<v1::Fusion>(hybrid.fusion));
  proto->set_rrf_k(hybrid.rrf_k);
  proto->set_vector_weight(hybrid.vector_weight);
  proto->set_text_weight(hybrid.text_weight);
  proto->set_candidates(hybrid.candidates);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(
    std::string_view target, const ClientOptions& options) {
  if (target.empty()) {
    return absl::InvalidArgumentError("target: must not be empty");
  }
  if (options.deadline.count() <= 0) {
    return absl::InvalidArgumentError("deadline: must be positive");
  }
  if (options.max_message_bytes <= 0) {
    return absl::InvalidArgumentError("max_message_bytes: must be positive");
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  auto channel = grpc::CreateCustomChannel(
      std::string(target), grpc::InsecureChannelCredentials(), args);
  return std::unique_ptr<Client>(
      new Client(std::make_unique<Impl>(std::move(channel), options)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

absl::StatusOr<CollectionInfo> Client::CreateCollection(
    std::string_view name, uint32_t dimension, Metric metric,
    const HnswParams& hnsw) {
  return CreateCollection(name, dimension, metric, hnsw, IngestProfile());
}

absl::StatusOr<CollectionInfo> Client::CreateCollection(
    std::string_view name, uint32_t dimension, Metric metric,
    const HnswParams& hnsw, const IngestProfile& profile) {
  v1::CreateCollectionRequest request;
  request.set_name(std::string(name));
  request.set_dimension(dimension);
  request.set_metric(MetricToProto(metric));
  HnswParamsToProto(hnsw, request.mutable_hnsw());
  // Sent as given, even with an empty embedder name, so that the server
  // names the bad field.
  if (!(profile == IngestProfile())) {
    IngestProfileToProto(profile, request.mutable_ingest());
  }
  v1::CollectionInfo response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::CreateCollection, request, &response));
  auto info = InfoFromProto(response);
  if (!info.ok()) return BadResponse(info.status());
  return info;
}

absl::StatusOr<CollectionInfo> Client::GetCollection(std::string_view name) {
  v1::GetCollectionRequest request;
  request.set_collection(std::string(name));
  v1::CollectionInfo response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::GetCollection, request, &response));
  auto info = InfoFromProto(response);
  if (!info.ok()) return BadResponse(info.status());
  return info;
}

absl::StatusOr<std::vector<CollectionInfo>> Client::ListCollections() {
  v1::ListCollectionsRequest request;
  v1::ListCollectionsResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::ListCollections, request, &response));
  std::vector<CollectionInfo> infos;
  infos.reserve(response.collections_size());
  for (const v1::CollectionInfo& proto : response.collections()) {
    auto info = InfoFromProto(proto);
    if (!info.ok()) return BadResponse(info.status());
    infos.push_back(*std::move(info));
  }
  return infos;
}

absl::Status Client::DropCollection(std::string_view name) {
  v1::DropCollectionRequest request;
  request.set_collection(std::string(name));
  v1::DropCollectionResponse response;
  return impl_->Call(&v1::VectorDB::Stub::DropCollection, request, &response);
}

absl::StatusOr<UpsertResult> Client::Upsert(std::string_view collection,
                                            absl::Span<const Point> points) {
  v1::UpsertRequest request;
  request.set_collection(std::string(collection));
  request.mutable_points()->Reserve(static_cast<int>(points.size()));
  for (const Point& point : points) {
    PointToProto(point, request.add_points());
  }
  v1::UpsertResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Upsert, request, &response));
  return UpsertResult{.upserted = response.upserted(),
                      .sequence = response.sequence()};
}

absl::StatusOr<UpsertResult> Client::UpsertBatched(
    std::string_view collection, absl::Span<const Point> points,
    size_t batch_size, const UpsertProgress& progress) {
  if (batch_size == 0) {
    return absl::InvalidArgumentError("batch_size: must be positive");
  }
  UpsertResult total;
  for (size_t begin = 0; begin < points.size(); begin += batch_size) {
    const size_t size = std::min(batch_size, points.size() - begin);
    auto batch = Upsert(collection, points.subspan(begin, size));
    if (!batch.ok()) {
      // Server messages index the failed request ("points[3]..."); say
      // which slice of the whole upload that request was.
      return absl::Status(
          batch.status().code(),
          absl::StrCat("batch of points ", begin, "..", begin + size - 1, " (",
                       total.upserted,
                       " points upserted before): ", batch.status().message()));
    }
    total.upserted += batch->upserted;
    total.sequence = batch->sequence;
    if (progress) progress(begin + size, points.size());
  }
  return total;
}

absl::StatusOr<GetResult> Client::Get(std::string_view collection,
                                      absl::Span<const std::string> ids,
                                      const Include& include,
                                      const std::optional<Filter>& filter) {
  v1::GetRequest request;
  request.set_collection(std::string(collection));
  request.mutable_ids()->Add(ids.begin(), ids.end());
  IncludeToProto(include, request.mutable_include());
  MaybeSetFilter(filter, &request);
  v1::GetResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Get, request, &response));
  GetResult result;
  auto points = PointsFromProto(response.mutable_points(), "points");
  if (!points.ok()) return BadResponse(points.status());
  result.points = *std::move(points);
  result.missing_ids.assign(response.missing_ids().begin(),
                            response.missing_ids().end());
  return result;
}

absl::StatusOr<DeleteResult> Client::Delete(
    std::string_view collection, absl::Span<const std::string> ids,
    const std::optional<Filter>& filter) {
  v1::DeleteRequest request;
  request.set_collection(std::string(collection));
  request.mutable_ids()->Add(ids.begin(), ids.end());
  MaybeSetFilter(filter, &request);
  v1::DeleteResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Delete, request, &response));
  return DeleteResult{.deleted = response.deleted(),
                      .sequence = response.sequence()};
}

absl::StatusOr<uint64_t> Client::Count(std::string_view collection,
                                       const std::optional<Filter>& filter) {
  v1::CountRequest request;
  request.set_collection(std::string(collection));
  MaybeSetFilter(filter, &request);
  v1::CountResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Count, request, &response));
  return response.count();
}

absl::StatusOr<ScrollPage> Client::Scroll(std::string_view collection,
                                          std::string_view cursor,
                                          uint32_t limit,
                                          const Include& include,
                                          const std::optional<Filter>& filter) {
  v1::ScrollRequest request;
  request.set_collection(std::string(collection));
  request.set_cursor(std::string(cursor));
  request.set_limit(limit);
  IncludeToProto(include, request.mutable_include());
  MaybeSetFilter(filter, &request);
  v1::ScrollResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Scroll, request, &response));
  ScrollPage page;
  auto points = PointsFromProto(response.mutable_points(), "points");
  if (!points.ok()) return BadResponse(points.status());
  page.points = *std::move(points);
  page.next_cursor = std::move(*response.mutable_next_cursor());
  return page;
}

absl::StatusOr<std::vector<QueryHits>> Client::Query(
    std::string_view collection, const std::vector<std::vector<float>>& queries,
    uint32_t k, uint32_t ef, const Include& include) {
  VECDB_ASSIGN_OR_RETURN(
      std::vector<QueryResult> results,
      Query(collection, queries, {.k = k, .ef = ef, .include = include}));
  std::vector<QueryHits> hits;
  hits.reserve(results.size());
  for (QueryResult& result : results) hits.push_back(std::move(result.hits));
  return hits;
}

absl::StatusOr<std::vector<QueryResult>> Client::Query(
    std::string_view collection, const std::vector<std::vector<float>>& queries,
    const QueryOptions& options) {
  v1::QueryRequest request;
  request.set_collection(std::string(collection));
  request.mutable_queries()->Reserve(static_cast<int>(queries.size()));
  for (const std::vector<float>& query : queries) {
    request.add_queries()->mutable_values()->Add(query.begin(), query.end());
  }
  request.set_k(options.k);
  request.set_ef(options.ef);
  IncludeToProto(options.include, request.mutable_include());
  request.mutable_include()->set_distance(true);
  MaybeSetFilter(options.filter, &request);
  request.mutable_text_queries()->Add(options.text_queries.begin(),
                                      options.text_queries.end());
  HybridToProto(options.hybrid, request.mutable_hybrid());
  request.mutable_bm25()->set_k1(options.bm25.k1);
  request.mutable_bm25()->set_b(options.bm25.b);
  request.set_explain(options.explain);
  v1::QueryResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Query, request, &response));
  return ResultsFromProto(&response, options.explain);
}

absl::StatusOr<RetrieveResult> Client::Retrieve(
    std::string_view collection, std::string_view query,
    const RetrieveOptions& options) {
  v1::RetrieveRequest request;
  request.set_collection(std::string(collection));
  request.set_query(std::string(query));
  request.set_k(options.k);
  request.set_mode(RetrieveModeToProto(options.mode));
  MaybeSetFilter(options.filter, &request);
  HybridToProto(options.hybrid, request.mutable_hybrid());
  request.set_ef(options.ef);
  request.set_max_context_chars(options.max_context_chars);
  request.set_max_context_tokens(options.max_context_tokens);
  v1::RetrieveResponse response;
  VECDB_RETURN_IF_ERROR(
      impl_->Call(&v1::VectorDB::Stub::Retrieve, request, &response));
  auto result = RetrieveResultFromProto(response);
  if (!result.ok()) return BadResponse(result.status());
  return result;
}

}  // namespace vecdb::client
