// `vecdb-ingest sync`: makes a collection hold exactly the current version
// of every document read from the inputs.
//
//   1. ExpandSources (an input that matches nothing stops the run).
//   2. PrepareCollection: create it, or check its recorded profile
//      (ingest/collection_setup.h). Nothing is written before this passes.
//   3. LoadManifest: what the collection holds (ingest/manifest.h).
//   4. On this thread, for every record of every file: read, hash, decide
//      (manifest), chunk, build points; changed and new documents go to the
//      Pipeline (embed workers, upsert thread). Failed reads, duplicates
//      ("duplicate document id 'x' (first read from ...)") and unchanged
//      documents are reported at once.
//   5. --prune: every document id of the manifest that this run did not see
//      (seen includes records that failed to read: their id is known) is
//      deleted, by filter doc_id in [...], at most 1000 ids per call. When
//      a record failed before its id was known (a JSONL line that is not
//      JSON, a JSONL or SMART file that could not be read), nothing is
//      pruned and the run fails (FailedPrecondition) after the writes.
//
// Returns the run's summary, or the run-level error (bad input argument,
// profile mismatch, server unreachable); per-document failures are in the
// summary and were reported to `reporter`.
#ifndef VECDB_INGEST_SYNC_H_
#define VECDB_INGEST_SYNC_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "common/ingest_profile.h"
#include "ingest/document.h"
#include "ingest/pipeline.h"
#include "ingest/progress.h"
#include "ingest/summary.h"

namespace vecdb::ingest {

struct SyncOptions {
  std::string collection;
  // Files, directories and glob patterns (ingest/readers/reader.h).
  std::vector<std::string> inputs;
  // Overrides detection by extension. Default: none.
  std::optional<Format> format;
  // What to build the embedder and chunker from.
  IngestProfile profile;
  PipelineOptions pipeline;
  // Delete documents not seen in this run. Default: false.
  bool prune = false;
};

absl::StatusOr<RunSummary> RunSync(Client& client, const SyncOptions& options,
                                   ProgressReporter& reporter);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_SYNC_H_
