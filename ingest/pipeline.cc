#include "ingest/pipeline.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/chunk_fields.h"
#include "common/filter.h"

namespace vecdb::ingest {
namespace {

absl::string_view Abs(std::string_view s) { return {s.data(), s.size()}; }

// A server error that one document's content causes; anything else stops
// the run.
bool IsDocumentError(const absl::Status& status) {
  return absl::IsInvalidArgument(status);
}

int WorkerCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

struct Pipeline::DocState {
  PendingDocument doc;
  uint32_t chunk_count = 0;
  // Chunks not yet acknowledged or dropped; upsert thread only.
  size_t unacked = 0;

  bool failed() {
    std::lock_guard lock(mu);
    return !error.empty();
  }
  void Fail(std::string message) {
    std::lock_guard lock(mu);
    if (error.empty()) error = std::move(message);
  }
  std::string TakeError() {
    std::lock_guard lock(mu);
    return error;
  }

  std::mutex mu;
  std::string error;  // guarded by mu; non-empty once failed
};

Pipeline::Pipeline(Client& client, std::string collection,
                   embed::Embedder& embedder, const PipelineOptions& options,
                   ResultCallback on_result)
    : client_(client),
      collection_(std::move(collection)),
      embedder_(embedder),
      options_(options),
      on_result_(std::move(on_result)),
      threads_(WorkerCount(options.embed_threads)),
      // Enough queued batches to keep every worker and the upsert thread
      // busy, few enough to bound memory.
      embed_queue_(2 * threads_),
      upsert_queue_(2 * threads_) {
  for (int i = 0; i < threads_; ++i) {
    embed_threads_.emplace_back([this] { EmbedWorker(); });
  }
  upsert_thread_ = std::thread([this] { UpsertLoop(); });
}

Pipeline::~Pipeline() { (void)Finish(); }

absl::Status Pipeline::Add(PendingDocument document) {
  if (stopped()) return status();
  auto doc = std::make_shared<DocState>();
  doc->chunk_count = static_cast<uint32_t>(document.points.size());
  doc->unacked = document.points.size();
  doc->doc = std::move(document);
  if (doc->chunk_count == 0) {
    on_result_(doc->doc.sequence,
               {.doc_id = doc->doc.doc_id,
                .source = doc->doc.source,
                .outcome = Outcome::kFailed,
                .error = absl::StrCat(Abs(doc->doc.doc_id), ": no chunks"),
                .warnings = doc->doc.warnings});
    return absl::OkStatus();
  }
  for (size_t i = 0; i < doc->chunk_count; ++i) {
    open_batch_.push_back({doc, i});
    if (open_batch_.size() >= options_.embed_batch) Flush();
  }
  return absl::OkStatus();
}

void Pipeline::Flush() {
  if (open_batch_.empty()) return;
  Batch batch = std::move(open_batch_);
  open_batch_.clear();
  (void)embed_queue_.Push(std::move(batch));  // false: stopped, dropped
}

absl::Status Pipeline::Finish() {
  if (!finished_) {
    finished_ = true;
    Flush();
    embed_queue_.Close();
    for (std::thread& thread : embed_threads_) thread.join();
    upsert_queue_.Close();
    upsert_thread_.join();
  }
  return status();
}

absl::Status Pipeline::status() const {
  std::lock_guard lock(run_mu_);
  return run_status_;
}

void Pipeline::FailRun(absl::Status status) {
  {
    std::lock_guard lock(run_mu_);
    if (run_status_.ok()) run_status_ = std::move(status);
  }
  stopped_.store(true, std::memory_order_release);
  embed_queue_.Close();
  upsert_queue_.Close();
}

void Pipeline::EmbedWorker() {
  while (std::optional<Batch> batch = embed_queue_.Pop()) {
    if (stopped()) continue;  // drain without work
    EmbedBatch(*batch);
    (void)upsert_queue_.Push(std::move(*batch));
  }
}

void Pipeline::EmbedBatch(Batch& batch) {
  // Embeds refs [begin, end); false with the error when it failed.
  auto embed = [&](size_t begin, size_t end) -> absl::Status {
    std::vector<std::string> texts;
    texts.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      const ChunkRef& ref = batch[i];
      texts.push_back(ref.doc->doc.points[ref.index].document.value_or(""));
    }
    auto vectors = embedder_.Embed(texts);
    if (!vectors.ok()) return vectors.status();
    if (vectors->size() != texts.size()) {
      return absl::InternalError(absl::StrCat("embedder returned ",
                                              vectors->size(), " vectors for ",
                                              texts.size(), " texts"));
    }
    for (size_t i = begin; i < end; ++i) {
      batch[i].doc->doc.points[batch[i].index].vector =
          std::move((*vectors)[i - begin]);
    }
    return absl::OkStatus();
  };
  absl::Status status = embed(0, batch.size());
  if (status.ok()) return;
  // Find the documents at fault: the refs of one document are adjacent.
  const bool one_document = batch.front().doc == batch.back().doc;
  for (size_t begin = 0; begin < batch.size();) {
    size_t end = begin + 1;
    while (end < batch.size() && batch[end].doc == batch[begin].doc) ++end;
    absl::Status doc_status = one_document ? status : embed(begin, end);
    if (!doc_status.ok()) {
      DocState& doc = *batch[begin].doc;
      doc.Fail(absl::StrCat(Abs(doc.doc.doc_id), ": embed: ",
                            doc_status.message()));
    }
    begin = end;
  }
}

void Pipeline::UpsertLoop() {
  Batch pending;
  while (!stopped()) {
    std::optional<Batch> batch = pending.empty()
                                     ? upsert_queue_.Pop()
                                     : upsert_queue_.PopFor(options_.upsert_linger);
    if (batch.has_value()) {
      for (ChunkRef& ref : *batch) {
        if (ref.doc->failed()) {
          Acknowledge(ref);
        } else {
          pending.push_back(std::move(ref));
        }
      }
      SendUpserts(pending, /*all=*/false);
    } else if (pending.empty()) {
      break;  // closed and drained
    } else {
      SendUpserts(pending, /*all=*/true);  // lingered long enough
    }
  }
}

void Pipeline::SendUpserts(Batch& pending, bool all) {
  const size_t limit = options_.upsert_batch > 0 ? options_.upsert_batch : 1;
  while (!stopped() && !pending.empty() &&
         (all || pending.size() >= limit)) {
    const size_t n = std::min(limit, pending.size());
    Batch batch(std::make_move_iterator(pending.begin()),
                std::make_move_iterator(pending.begin() + n));
    pending.erase(pending.begin(), pending.begin() + n);
    // Documents that failed since their chunks were queued are dropped.
    Batch live;
    for (ChunkRef& ref : batch) {
      if (ref.doc->failed()) {
        Acknowledge(ref);
      } else {
        live.push_back(std::move(ref));
      }
    }
    if (!live.empty()) {
      absl::Status status = UpsertBatch(live);
      if (!status.ok()) FailRun(std::move(status));
    }
  }
}

absl::Status Pipeline::UpsertBatch(Batch& batch) {
  std::vector<Point> points;
  points.reserve(batch.size());
  for (const ChunkRef& ref : batch) {
    points.push_back(std::move(ref.doc->doc.points[ref.index]));
  }
  absl::StatusOr<client::UpsertResult> result =
      client_.Upsert(collection_, points);
  if (result.ok()) {
    for (const ChunkRef& ref : batch) Acknowledge(ref);
    return absl::OkStatus();
  }
  if (!IsDocumentError(result.status())) {
    return absl::Status(result.status().code(),
                        absl::StrCat("upsert into '", collection_,
                                     "': ", result.status().message()));
  }
  // One document at a time, to fail only the one at fault.
  std::map<DocState*, std::vector<size_t>> by_doc;
  for (size_t i = 0; i < batch.size(); ++i) {
    by_doc[batch[i].doc.get()].push_back(i);
  }
  for (const auto& [doc, positions] : by_doc) {
    absl::Status status = result.status();
    if (by_doc.size() > 1) {
      std::vector<Point> subset;
      for (size_t i : positions) subset.push_back(points[i]);
      status = client_.Upsert(collection_, subset).status();
    }
    if (!status.ok()) {
      if (!IsDocumentError(status)) return status;
      doc->Fail(absl::StrCat(Abs(doc->doc.doc_id), ": upsert: ",
                             status.message()));
    }
    for (size_t i : positions) Acknowledge(batch[i]);
    if (stopped()) break;
  }
  return absl::OkStatus();
}

void Pipeline::Acknowledge(const ChunkRef& ref) {
  if (--ref.doc->unacked == 0) Complete(*ref.doc);
}

void Pipeline::Complete(DocState& doc) {
  DocumentResult result{.doc_id = doc.doc.doc_id,
                        .source = doc.doc.source,
                        .outcome = Outcome::kIndexed,
                        .chunks = doc.chunk_count,
                        .warnings = doc.doc.warnings};
  std::string error = doc.TakeError();
  if (error.empty() && doc.doc.delete_stale) {
    namespace f = chunk_fields;
    Filter stale = AndFilter(
        {FieldFilter(std::string(f::kDocId), FieldOp::kEq, {doc.doc.doc_id}),
         FieldFilter(std::string(f::kDocHash), FieldOp::kNe,
                     {doc.doc.doc_hash})});
    absl::StatusOr<client::DeleteResult> deleted =
        client_.Delete(collection_, {}, stale);
    if (deleted.ok()) {
      result.removed = static_cast<uint32_t>(deleted->deleted);
    } else if (IsDocumentError(deleted.status())) {
      error = absl::StrCat(Abs(doc.doc.doc_id), ": delete stale chunks: ",
                           deleted.status().message());
    } else {
      FailRun(absl::Status(deleted.status().code(),
                           absl::StrCat("delete from '", collection_,
                                        "': ", deleted.status().message())));
      return;
    }
  }
  if (!error.empty()) {
    result.outcome = Outcome::kFailed;
    result.chunks = 0;
    result.error = std::move(error);
  }
  on_result_(doc.doc.sequence, std::move(result));
}

}  // namespace vecdb::ingest
