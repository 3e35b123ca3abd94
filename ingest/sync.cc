#include "ingest/sync.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/chunk_fields.h"
#include "common/filter.h"
#include "common/status_macros.h"
#include "ingest/chunk_points.h"
#include "ingest/collection_setup.h"
#include "ingest/content_hash.h"
#include "ingest/manifest.h"
#include "ingest/readers/reader.h"

namespace vecdb::ingest {
namespace {

constexpr size_t kPruneIdsPerCall = 1000;

absl::string_view Abs(std::string_view s) { return {s.data(), s.size()}; }

DocumentResult Failed(std::string doc_id, std::string source,
                      std::string error) {
  return {.doc_id = std::move(doc_id),
          .source = std::move(source),
          .outcome = Outcome::kFailed,
          .error = std::move(error)};
}

// The reading side of a run: decides per record and feeds the pipeline.
class Reader {
 public:
  Reader(const Manifest& manifest, const Chunker& chunker, Pipeline& pipeline,
         ProgressReporter& reporter)
      : manifest_(manifest),
        chunker_(chunker),
        pipeline_(pipeline),
        reporter_(reporter) {}

  // Run-level errors only. `id_known` false: the record stands for a whole
  // file of many documents that could not be read.
  absl::Status Process(ReadRecord record, bool id_known) {
    ++documents_;
    if (!id_known || record.doc_id.empty()) {
      unknown_ids_.push_back(record.source);
    } else {
      seen_.insert(record.doc_id);
    }
    if (!record.status.ok() || !record.document.has_value()) {
      std::string error(record.status.message());
      if (error.empty()) error = "no document";
      reporter_.Report(Failed(record.doc_id, record.source, std::move(error)));
      return absl::OkStatus();
    }
    Document& document = *record.document;
    auto [first, inserted] = first_source_.emplace(document.id, document.source);
    if (!inserted) {
      reporter_.Report(Failed(
          document.id, document.source,
          absl::StrCat("duplicate document id '", document.id,
                       "' (first read from ", first->second, ")")));
      return absl::OkStatus();
    }
    const std::string doc_hash = DocumentHash(document);
    const StoredState stored = manifest_.Lookup(document.id, doc_hash);
    if (stored.unchanged()) {
      reporter_.Report({.doc_id = document.id,
                        .source = document.source,
                        .outcome = Outcome::kUnchanged,
                        .chunks = static_cast<uint32_t>(stored.total),
                        .warnings = document.warnings});
      return absl::OkStatus();
    }
    std::vector<Chunk> chunks = chunker_.Split(document);
    if (chunks.empty()) {
      DocumentResult result =
          Failed(document.id, document.source,
                 absl::StrCat(Abs(document.source), ": no text to index"));
      result.warnings = document.warnings;
      reporter_.Report(result);
      return absl::OkStatus();
    }
    PendingDocument pending{
        .sequence = documents_,
        .doc_id = document.id,
        .source = document.source,
        .doc_hash = doc_hash,
        .points = BuildChunkPoints(document, doc_hash, chunks),
        .delete_stale = stored.has_stale(),
        .warnings = std::move(document.warnings)};
    return pipeline_.Add(std::move(pending));
  }

  uint64_t documents() const { return documents_; }
  const std::set<std::string, std::less<>>& seen() const { return seen_; }
  // Sources of failed records whose document ids are unknown.
  const std::vector<std::string>& unknown_ids() const { return unknown_ids_; }

 private:
  const Manifest& manifest_;
  const Chunker& chunker_;
  Pipeline& pipeline_;
  ProgressReporter& reporter_;
  uint64_t documents_ = 0;
  std::set<std::string, std::less<>> seen_;
  std::vector<std::string> unknown_ids_;
  std::map<std::string, std::string, std::less<>> first_source_;
};

absl::Status Prune(Client& client, const std::string& collection,
                   const Manifest& manifest,
                   const std::set<std::string, std::less<>>& seen,
                   RunSummary& summary) {
  std::vector<FilterValue> ids;
  auto flush = [&]() -> absl::Status {
    if (ids.empty()) return absl::OkStatus();
    const size_t count = ids.size();
    VECDB_ASSIGN_OR_RETURN(
        client::DeleteResult deleted,
        client.Delete(collection, {},
                      FieldFilter(std::string(chunk_fields::kDocId),
                                  FieldOp::kIn, std::move(ids))));
    ids.clear();
    summary.pruned_documents += count;
    summary.pruned_chunks += deleted.deleted;
    return absl::OkStatus();
  };
  for (std::string& doc_id : manifest.DocIds()) {
    if (seen.count(doc_id) > 0) continue;
    ids.push_back(std::move(doc_id));
    if (ids.size() == kPruneIdsPerCall) VECDB_RETURN_IF_ERROR(flush());
  }
  return flush();
}

}  // namespace

absl::StatusOr<RunSummary> RunSync(Client& client, const SyncOptions& options,
                                   ProgressReporter& reporter) {
  VECDB_ASSIGN_OR_RETURN(std::vector<SourceFile> files,
                         ExpandSources(options.inputs, options.format));
  VECDB_ASSIGN_OR_RETURN(
      PreparedCollection prepared,
      PrepareCollection(client, options.collection, options.profile));
  VECDB_ASSIGN_OR_RETURN(Manifest manifest,
                         LoadManifest(client, options.collection));

  Pipeline pipeline(client, options.collection, *prepared.embedder,
                    options.pipeline,
                    [&reporter](uint64_t, DocumentResult result) {
                      reporter.Report(result);
                    });
  Reader reader(manifest, *prepared.chunker, pipeline, reporter);
  absl::Status status;
  uint64_t records = 0;
  for (const SourceFile& file : files) {
    std::vector<ReadRecord> read = ReadSource(file);
    // A file of many documents that could not be read at all is one record
    // carrying the file's path: the ids of its documents are unknown.
    const bool many = file.format == Format::kJsonl ||
                      file.format == Format::kSmart;
    const bool file_failed = many && read.size() == 1 &&
                             !read.front().document.has_value() &&
                             read.front().source == file.path;
    records += read.size();
    reporter.SetTotal(records, /*final=*/false);
    for (ReadRecord& record : read) {
      status = reader.Process(std::move(record), /*id_known=*/!file_failed);
      if (!status.ok()) break;
    }
    if (!status.ok()) break;
  }
  if (status.ok()) reporter.SetTotal(reader.documents(), /*final=*/true);
  absl::Status finished = pipeline.Finish();
  if (!finished.ok()) return finished;
  VECDB_RETURN_IF_ERROR(status);

  RunSummary summary = reporter.summary();
  if (options.prune) {
    if (!reader.unknown_ids().empty()) {
      // Pruning now could delete the very documents that failed to read.
      return absl::FailedPreconditionError(absl::StrCat(
          "--prune skipped: ", reader.unknown_ids().size(),
          " record(s) failed before their document id was known (first: ",
          reader.unknown_ids().front(),
          "); fix them, or run without --prune"));
    }
    VECDB_RETURN_IF_ERROR(Prune(client, options.collection, manifest,
                                reader.seen(), summary));
    summary.seconds = reporter.summary().seconds;
  }
  return summary;
}

}  // namespace vecdb::ingest
