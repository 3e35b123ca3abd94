#include "ingest/service.h"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/chunk_fields.h"
#include "common/filter.h"
#include "common/status_macros.h"
#include "ingest/chunk_points.h"
#include "ingest/collection_setup.h"
#include "ingest/content_hash.h"
#include "ingest/manifest.h"
#include "ingest/readers/reader.h"
#include "proto/convert.h"

namespace vecdb::ingest {
namespace {

using Stream = grpc::ServerReaderWriter<v1::DocumentResult, v1::IngestRequest>;

absl::string_view Abs(std::string_view s) { return {s.data(), s.size()}; }

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

v1::DocumentOutcome OutcomeToProto(Outcome outcome) {
  switch (outcome) {
    case Outcome::kIndexed:
      return v1::DOCUMENT_OUTCOME_INDEXED;
    case Outcome::kUnchanged:
      return v1::DOCUMENT_OUTCOME_UNCHANGED;
    case Outcome::kFailed:
      return v1::DOCUMENT_OUTCOME_FAILED;
  }
  return v1::DOCUMENT_OUTCOME_UNSPECIFIED;
}

// Writes results in request order however they complete, and tracks which
// document ids are in the pipeline.
// Thread safety: every method may be called from any thread.
class OrderedWriter {
 public:
  explicit OrderedWriter(Stream* stream) : stream_(stream) {}

  // `from_pipeline`: the document was marked in flight.
  void Deliver(uint64_t sequence, DocumentResult result,
               bool from_pipeline = false) {
    std::lock_guard lock(mu_);
    if (from_pipeline) {
      auto it = in_flight_.find(result.doc_id);
      if (it != in_flight_.end()) in_flight_.erase(it);
    }
    ready_.emplace(sequence, std::move(result));
    while (!ready_.empty() && ready_.begin()->first == next_) {
      const DocumentResult& r = ready_.begin()->second;
      v1::DocumentResult proto;
      proto.set_doc_id(r.doc_id);
      proto.set_outcome(OutcomeToProto(r.outcome));
      proto.set_chunks(r.chunks);
      proto.set_removed(r.removed);
      proto.set_error(r.error);
      for (const std::string& warning : r.warnings) proto.add_warnings(warning);
      (void)stream_->Write(proto);  // false: the client is gone
      ready_.erase(ready_.begin());
      ++next_;
    }
    changed_.notify_all();
  }

  void MarkInFlight(const std::string& doc_id) {
    std::lock_guard lock(mu_);
    in_flight_.insert(doc_id);
  }

  // Waits while `doc_id` is in the pipeline, checking `give_up` now and
  // then (a failed run never finishes its documents).
  template <typename GiveUp>
  void WaitNotInFlight(const std::string& doc_id, GiveUp give_up) {
    std::unique_lock lock(mu_);
    while (in_flight_.count(doc_id) > 0 && !give_up()) {
      changed_.wait_for(lock, std::chrono::milliseconds(50));
    }
  }

 private:
  Stream* const stream_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::map<uint64_t, DocumentResult> ready_;  // guarded by mu_
  uint64_t next_ = 1;                         // guarded by mu_
  std::multiset<std::string> in_flight_;      // guarded by mu_
};

// One IngestDocuments call.
class IngestStream {
 public:
  IngestStream(Client& client, std::string collection,
               PreparedCollection prepared, const PipelineOptions& options,
               grpc::ServerContext* context, Stream* stream)
      : client_(client),
        collection_(std::move(collection)),
        prepared_(std::move(prepared)),
        context_(context),
        writer_(stream),
        pipeline_(client, collection_, *prepared_.embedder, options,
                  [this](uint64_t sequence, DocumentResult result) {
                    writer_.Deliver(sequence, std::move(result),
                                    /*from_pipeline=*/true);
                  }) {}

  // Run-level errors only; a bad document is a FAILED result.
  absl::Status Handle(const v1::IngestDocument& request) {
    const uint64_t sequence = ++sequence_;
    absl::StatusOr<PendingDocument> pending = Prepare(request, sequence);
    if (!pending.ok()) {
      if (!absl::IsInvalidArgument(pending.status())) return pending.status();
      writer_.Deliver(sequence, {.doc_id = request.id(),
                                 .source = request.source(),
                                 .outcome = Outcome::kFailed,
                                 .error = std::string(pending.status().message())});
      return absl::OkStatus();
    }
    if (pending->points.empty()) return absl::OkStatus();  // delivered
    writer_.MarkInFlight(pending->doc_id);
    VECDB_RETURN_IF_ERROR(pipeline_.Add(*std::move(pending)));
    pipeline_.Flush();
    return absl::OkStatus();
  }

  absl::Status Finish() { return pipeline_.Finish(); }

 private:
  // InvalidArgument: the document's fault. A PendingDocument without points
  // means the result (unchanged) was already delivered.
  absl::StatusOr<PendingDocument> Prepare(const v1::IngestDocument& request,
                                          uint64_t sequence) {
    const std::string& id = request.id();
    const std::string source = request.source().empty() ? id : request.source();
    Format format = Format::kText;
    if (!request.format().empty()) {
      VECDB_ASSIGN_OR_RETURN(format, ParseFormat(request.format()));
    }
    Metadata metadata;
    for (const auto& [key, value] : request.metadata()) {
      if (chunk_fields::IsReserved(key)) {
        return absl::InvalidArgumentError(absl::StrCat(
            id, ": metadata field '", key, "' is reserved for chunk lineage"));
      }
      VECDB_ASSIGN_OR_RETURN(
          metadata[key],
          MetadataValueFromProto(value, absl::StrCat("metadata[\"", key, "\"]")));
    }
    absl::StatusOr<Document> parsed =
        ParseDocument(request.content(), format, id, source);
    if (!parsed.ok()) {  // whatever the code, the document's fault
      return absl::InvalidArgumentError(parsed.status().message());
    }
    Document document = *std::move(parsed);
    for (auto& [key, value] : metadata) document.metadata[key] = std::move(value);

    writer_.WaitNotInFlight(id, [this] {
      return !pipeline_.status().ok() || context_->IsCancelled();
    });
    const std::string doc_hash = DocumentHash(document);
    std::vector<Chunk> chunks = prepared_.chunker->Split(document);
    if (chunks.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Abs(source), ": no text to index"));
    }
    VECDB_ASSIGN_OR_RETURN(StoredState stored, Stored(id, doc_hash));
    stored.declared = static_cast<int64_t>(chunks.size());
    if (stored.unchanged()) {
      writer_.Deliver(sequence, {.doc_id = id,
                                 .source = source,
                                 .outcome = Outcome::kUnchanged,
                                 .chunks = static_cast<uint32_t>(stored.total),
                                 .warnings = document.warnings});
      return PendingDocument{};
    }
    return PendingDocument{
        .sequence = sequence,
        .doc_id = id,
        .source = source,
        .doc_hash = doc_hash,
        .points = BuildChunkPoints(document, doc_hash, chunks),
        .delete_stale = stored.has_stale(),
        .warnings = std::move(document.warnings)};
  }

  // Errors here are the server's, not the document's: never InvalidArgument.
  absl::StatusOr<StoredState> Stored(const std::string& doc_id,
                                     const std::string& doc_hash) {
    namespace f = chunk_fields;
    Filter by_id =
        FieldFilter(std::string(f::kDocId), FieldOp::kEq, {doc_id});
    Filter by_version = AndFilter(
        {by_id, FieldFilter(std::string(f::kDocHash), FieldOp::kEq, {doc_hash})});
    StoredState stored;
    absl::StatusOr<uint64_t> with_hash = client_.Count(collection_, by_version);
    absl::StatusOr<uint64_t> total =
        with_hash.ok() ? client_.Count(collection_, by_id) : with_hash;
    if (!total.ok()) {
      return absl::Status(absl::IsInvalidArgument(total.status())
                              ? absl::StatusCode::kInternal
                              : total.status().code(),
                          absl::StrCat("count in '", collection_,
                                       "': ", total.status().message()));
    }
    stored.with_hash = *with_hash;
    stored.total = *total;
    return stored;
  }

  Client& client_;
  const std::string collection_;
  PreparedCollection prepared_;
  grpc::ServerContext* const context_;
  OrderedWriter writer_;
  Pipeline pipeline_;
  uint64_t sequence_ = 0;
};

}  // namespace

IngestService::IngestService(Client& client, IngestServiceOptions options)
    : client_(client), options_(std::move(options)) {}

grpc::Status IngestService::IngestDocuments(grpc::ServerContext* context,
                                            Stream* stream) {
  v1::IngestRequest request;
  if (!stream->Read(&request)) return grpc::Status::OK;
  const std::string collection = request.collection();
  if (collection.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "collection: required in the first message");
  }
  absl::StatusOr<PreparedCollection> prepared =
      PrepareCollection(client_, collection, options_.profile);
  if (!prepared.ok()) return ToGrpc(prepared.status());

  IngestStream ingest(client_, collection, *std::move(prepared),
                      options_.pipeline, context, stream);
  absl::Status status;
  do {
    if (!request.collection().empty() && request.collection() != collection) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "collection: this stream writes '", collection, "', not '",
          request.collection(), "'"));
      break;
    }
    if (!request.has_document()) continue;
    status = ingest.Handle(request.document());
    if (!status.ok()) break;
  } while (stream->Read(&request));
  absl::Status finished = ingest.Finish();
  if (!status.ok()) return ToGrpc(status);
  return ToGrpc(finished);
}

RunningIngestServer::RunningIngestServer(
    std::unique_ptr<IngestService> service,
    std::unique_ptr<grpc::Server> server, int port)
    : service_(std::move(service)), server_(std::move(server)), port_(port) {}

RunningIngestServer::~RunningIngestServer() {
  Shutdown(std::chrono::milliseconds(0));
}

void RunningIngestServer::Shutdown(std::chrono::milliseconds grace) {
  server_->Shutdown(std::chrono::system_clock::now() + grace);
}

absl::StatusOr<std::unique_ptr<RunningIngestServer>> StartIngestServer(
    Client& client, IngestServiceOptions service_options,
    const IngestServerOptions& server_options) {
  auto service =
      std::make_unique<IngestService>(client, std::move(service_options));
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(server_options.listen_address,
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service.get());
  builder.SetMaxReceiveMessageSize(server_options.max_message_bytes);
  builder.SetMaxSendMessageSize(server_options.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat(
        "listen: cannot listen on ", server_options.listen_address));
  }
  return std::make_unique<RunningIngestServer>(std::move(service),
                                               std::move(server), port);
}

}  // namespace vecdb::ingest
