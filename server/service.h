// VectorDbService: the vecdb.v1.VectorDB gRPC service over an Engine.
//
// Each handler is thin: validate the request (request_validation.h),
// convert it (proto/convert.h), make one engine or collection call, convert
// the result, and map the status (status_mapping.h). Domain validation is
// left to the engine, so a request is checked exactly as an embedded call
// would be, and nothing is written unless the whole request is valid.
//
// Responses:
// - Get, Scroll and Query fill the point fields chosen by `include`; the id
//   is always set.
// - Query hits always carry their distance, whatever include.distance says:
//   it is computed anyway and costs 4 bytes on the wire.
// - Retrieve is delegated to a Retriever (server/retrieve.h), which caches
//   one embedder per collection.
//
// Uses the synchronous gRPC API: gRPC runs each call on a thread of the
// server's pool (bounded by ServerOptions::max_threads), so a slow call
// never blocks others beyond that bound.
//
// Thread safety: all handlers may run concurrently (Engine and Collection
// are thread-safe). The engine is not owned and must outlive the service.
#ifndef VECDB_SERVER_SERVICE_H_
#define VECDB_SERVER_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "collection/engine.h"
#include "server/request_validation.h"
#include "server/retrieve.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb {

class VectorDbService final : public v1::VectorDB::Service {
 public:
  VectorDbService(Engine* engine, const RequestLimits& limits,
                  EmbedderKeyPolicy key_policy = {});

  grpc::Status CreateCollection(grpc::ServerContext* context,
                                const v1::CreateCollectionRequest* request,
                                v1::CollectionInfo* response) override;
  grpc::Status GetCollection(grpc::ServerContext* context,
                             const v1::GetCollectionRequest* request,
                             v1::CollectionInfo* response) override;
  grpc::Status ListCollections(grpc::ServerContext* context,
                               const v1::ListCollectionsRequest* request,
                               v1::ListCollectionsResponse* response) override;
  grpc::Status DropCollection(grpc::ServerContext* context,
                              const v1::DropCollectionRequest* request,
                              v1::DropCollectionResponse* response) override;

  grpc::Status Upsert(grpc::ServerContext* context,
                      const v1::UpsertRequest* request,
                      v1::UpsertResponse* response) override;
  grpc::Status Get(grpc::ServerContext* context, const v1::GetRequest* request,
                   v1::GetResponse* response) override;
  grpc::Status Delete(grpc::ServerContext* context,
                      const v1::DeleteRequest* request,
                      v1::DeleteResponse* response) override;
  grpc::Status Count(grpc::ServerContext* context,
                     const v1::CountRequest* request,
                     v1::CountResponse* response) override;
  grpc::Status Scroll(grpc::ServerContext* context,
                      const v1::ScrollRequest* request,
                      v1::ScrollResponse* response) override;
  grpc::Status Query(grpc::ServerContext* context,
                     const v1::QueryRequest* request,
                     v1::QueryResponse* response) override;
  grpc::Status Retrieve(grpc::ServerContext* context,
                        const v1::RetrieveRequest* request,
                        v1::RetrieveResponse* response) override;

 private:
  absl::Status DoCreateCollection(const v1::CreateCollectionRequest& request,
                                  v1::CollectionInfo* response);
  absl::Status DoGetCollection(const v1::GetCollectionRequest& request,
                               v1::CollectionInfo* response);
  absl::Status DoDropCollection(const v1::DropCollectionRequest& request);
  absl::Status DoUpsert(v1::UpsertRequest& request,
                        v1::UpsertResponse* response);
  absl::Status DoGet(const v1::GetRequest& request, v1::GetResponse* response);
  absl::Status DoDelete(const v1::DeleteRequest& request,
                        v1::DeleteResponse* response);
  absl::Status DoCount(const v1::CountRequest& request,
                       v1::CountResponse* response);
  absl::Status DoScroll(const v1::ScrollRequest& request,
                        v1::ScrollResponse* response);
  absl::Status DoQuery(const v1::QueryRequest& request,
                       v1::QueryResponse* response);

  Engine* const engine_;  // not owned
  const RequestLimits limits_;
  Retriever retriever_;
};

}  // namespace vecdb

#endif  // VECDB_SERVER_SERVICE_H_
