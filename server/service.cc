#include "server/service.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "proto/convert.h"
#include "server/query_convert.h"
#include "server/status_mapping.h"

namespace vecdb {
namespace {

void InfoToProto(const CollectionInfo& info, v1::CollectionInfo* proto) {
  proto->set_name(info.record.name);
  proto->set_dimension(info.record.dimension);
  proto->set_metric(MetricToProto(info.record.metric));
  HnswParamsToProto(info.record.hnsw, proto->mutable_hnsw());
  proto->set_count(info.count);
  proto->set_created_unix_ms(info.record.created_unix_ms);
  proto->set_last_sequence(info.last_seq);
  proto->set_checkpoint_sequence(info.checkpoint_seq);
  proto->set_index_slots(info.index_slots);
  proto->set_index_deleted_slots(info.index_deleted_slots);
  proto->set_applied_sequence(info.applied_seq);
  proto->set_compactions(info.compactions);
  proto->set_last_compaction_unix(info.last_compaction_unix);
  proto->set_last_compaction_reclaimed(info.last_compaction_reclaimed);
  proto->set_index_stale_reason(info.index_stale_reason);
  proto->set_wal_recovery(info.wal_recovery);
  SetIngestProfile(info.record.ingest, proto);
}

std::vector<std::string> Ids(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return std::vector<std::string>(ids.begin(), ids.end());
}

}  // namespace

VectorDbService::VectorDbService(Engine* engine, const RequestLimits& limits,
                                 EmbedderKeyPolicy key_policy)
    : engine_(engine),
      limits_(limits),
      retriever_(engine, limits, std::move(key_policy)) {}

grpc::Status VectorDbService::CreateCollection(
    grpc::ServerContext*, const v1::CreateCollectionRequest* request,
    v1::CollectionInfo* response) {
  return ToGrpcStatus(DoCreateCollection(*request, response));
}

grpc::Status VectorDbService::GetCollection(
    grpc::ServerContext*, const v1::GetCollectionRequest* request,
    v1::CollectionInfo* response) {
  return ToGrpcStatus(DoGetCollection(*request, response));
}

grpc::Status VectorDbService::ListCollections(
    grpc::ServerContext*, const v1::ListCollectionsRequest*,
    v1::ListCollectionsResponse* response) {
  for (const auto& collection : engine_->ListCollections()) {
    InfoToProto(collection->Info(), response->add_collections());
  }
  return grpc::Status::OK;
}

grpc::Status VectorDbService::DropCollection(
    grpc::ServerContext*, const v1::DropCollectionRequest* request,
    v1::DropCollectionResponse*) {
  return ToGrpcStatus(DoDropCollection(*request));
}

grpc::Status VectorDbService::Upsert(grpc::ServerContext*,
                                     const v1::UpsertRequest* request,
                                     v1::UpsertResponse* response) {
  // gRPC owns the request object, which is not const itself and is not
  // read after this handler returns: moving its strings (ids, documents)
  // into the batch saves a copy of every one of them.
  return ToGrpcStatus(
      DoUpsert(const_cast<v1::UpsertRequest&>(*request), response));
}

grpc::Status VectorDbService::Get(grpc::ServerContext*,
                                  const v1::GetRequest* request,
                                  v1::GetResponse* response) {
  return ToGrpcStatus(DoGet(*request, response));
}

grpc::Status VectorDbService::Delete(grpc::ServerContext*,
                                     const v1::DeleteRequest* request,
                                     v1::DeleteResponse* response) {
  return ToGrpcStatus(DoDelete(*request, response));
}

grpc::Status VectorDbService::Count(grpc::ServerContext*,
                                    const v1::CountRequest* request,
                                    v1::CountResponse* response) {
  return ToGrpcStatus(DoCount(*request, response));
}

grpc::Status VectorDbService::Scroll(grpc::ServerContext*,
                                     const v1::ScrollRequest* request,
                                     v1::ScrollResponse* response) {
  return ToGrpcStatus(DoScroll(*request, response));
}

grpc::Status VectorDbService::Query(grpc::ServerContext*,
                                    const v1::QueryRequest* request,
                                    v1::QueryResponse* response) {
  return ToGrpcStatus(DoQuery(*request, response));
}

grpc::Status VectorDbService::Retrieve(grpc::ServerContext*,
                                       const v1::RetrieveRequest* request,
                                       v1::RetrieveResponse* response) {
  return ToGrpcStatus(retriever_.Retrieve(*request, response));
}

absl::Status VectorDbService::DoCreateCollection(
    const v1::CreateCollectionRequest& request, v1::CollectionInfo* response) {
  VECDB_ASSIGN_OR_RETURN(Metric metric, MetricFromProto(request.metric()));
  VECDB_ASSIGN_OR_RETURN(
      auto collection,
      engine_->CreateCollection({.name = request.name(),
                                 .dimension = request.dimension(),
                                 .metric = metric,
                                 .hnsw = HnswParamsFromProto(request.hnsw()),
                                 .ingest = IngestProfileFromProto(
                                     request.ingest())}));
  InfoToProto(collection->Info(), response);
  return absl::OkStatus();
}

absl::Status VectorDbService::DoGetCollection(
    const v1::GetCollectionRequest& request, v1::CollectionInfo* response) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  InfoToProto(collection->Info(), response);
  return absl::OkStatus();
}

absl::Status VectorDbService::DoDropCollection(
    const v1::DropCollectionRequest& request) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request));
  return engine_->DropCollection(request.collection());
}

absl::Status VectorDbService::DoUpsert(v1::UpsertRequest& request,
                                       v1::UpsertResponse* response) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request, limits_));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  VECDB_ASSIGN_OR_RETURN(std::vector<Point> points,
                         PointsFromProto(request.mutable_points(), "points"));
  VECDB_ASSIGN_OR_RETURN(WriteResult result,
                         collection->Upsert(std::move(points)));
  response->set_upserted(result.affected);
  response->set_sequence(result.seq);
  return absl::OkStatus();
}

absl::Status VectorDbService::DoGet(const v1::GetRequest& request,
                                    v1::GetResponse* response) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request, limits_));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  VECDB_ASSIGN_OR_RETURN(std::optional<Filter> filter,
                         OptionalFilter(request.has_filter(), request.filter()));
  std::vector<bool> exists;
  VECDB_ASSIGN_OR_RETURN(
      std::vector<std::optional<Point>> points,
      collection->Get(Ids(request.ids()), IncludeFromProto(request.include()),
                      filter.has_value() ? &*filter : nullptr, &exists));
  response->mutable_points()->Reserve(static_cast<int>(points.size()));
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].has_value()) {
      PointToProto(std::move(*points[i]), response->add_points());
    } else if (!exists[i]) {
      response->add_missing_ids(request.ids(static_cast<int>(i)));
    }
  }
  return absl::OkStatus();
}

absl::Status VectorDbService::DoDelete(const v1::DeleteRequest& request,
                                       v1::DeleteResponse* response) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request, limits_));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  VECDB_ASSIGN_OR_RETURN(std::optional<Filter> filter,
                         OptionalFilter(request.has_filter(), request.filter()));
  VECDB_ASSIGN_OR_RETURN(
      WriteResult result,
      collection->Delete(Ids(request.ids()),
                         filter.has_value() ? &*filter : nullptr));
  response->set_deleted(result.affected);
  response->set_sequence(result.seq);
  return absl::OkStatus();
}

absl::Status VectorDbService::DoCount(const v1::CountRequest& request,
                                      v1::CountResponse* response) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  VECDB_ASSIGN_OR_RETURN(std::optional<Filter> filter,
                         OptionalFilter(request.has_filter(), request.filter()));
  if (!filter.has_value()) {
    response->set_count(collection->Count());
    return absl::OkStatus();
  }
  VECDB_ASSIGN_OR_RETURN(uint64_t count, collection->Count(*filter));
  response->set_count(count);
  return absl::OkStatus();
}

absl::Status VectorDbService::DoScroll(const v1::ScrollRequest& request,
                                       v1::ScrollResponse* response) {
  VECDB_ASSIGN_OR_RETURN(size_t limit, ValidateScrollRequest(request));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  VECDB_ASSIGN_OR_RETURN(std::optional<Filter> filter,
                         OptionalFilter(request.has_filter(), request.filter()));
  VECDB_ASSIGN_OR_RETURN(
      ScrollPage page,
      collection->Scroll(request.cursor(), limit,
                         IncludeFromProto(request.include()),
                         filter.has_value() ? &*filter : nullptr));
  response->mutable_points()->Reserve(static_cast<int>(page.points.size()));
  for (Point& point : page.points) {
    PointToProto(std::move(point), response->add_points());
  }
  response->set_next_cursor(std::move(page.next_cursor));
  return absl::OkStatus();
}

absl::Status VectorDbService::DoQuery(const v1::QueryRequest& request,
                                      v1::QueryResponse* response) {
  VECDB_RETURN_IF_ERROR(ValidateRequest(request, limits_));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  const std::vector<std::vector<float>> queries =
      QueryVectorsFromProto(request.queries());
  const std::vector<std::string> texts(request.text_queries().begin(),
                                       request.text_queries().end());
  VECDB_ASSIGN_OR_RETURN(QueryOptions options, QueryOptionsFromProto(request));
  VECDB_ASSIGN_OR_RETURN(std::vector<QueryResult> results,
                         collection->Search(queries, texts, options));
  response->mutable_results()->Reserve(static_cast<int>(results.size()));
  for (QueryResult& r : results) {
    QueryResultToProto(std::move(r), response->add_results());
  }
  return absl::OkStatus();
}

}  // namespace vecdb
