// ProgressReporter: where document results go during a batch run. It adds
// them up (RunSummary), prints them (--json: every result as a JSON line on
// `out`; text: failures on `err` always, every result on `out` with
// --verbose) and, when `bar` is set (stderr is a terminal), redraws a
// progress line on `err` at most ten times a second:
//   [=========>          ] 120/300 documents  3400 chunks  850.2 chunks/s
// The total shows as read so far ("120/300+ documents", no bar) until it is
// final (SetTotal).
//
// Thread safety: every method may be called from any thread.
#ifndef VECDB_INGEST_PROGRESS_H_
#define VECDB_INGEST_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>

#include "ingest/summary.h"

namespace vecdb::ingest {

struct ReportOptions {
  bool json = false;
  bool verbose = false;
  // Draw the progress line (only sensible on a terminal).
  bool bar = false;
};

class ProgressReporter {
 public:
  ProgressReporter(const ReportOptions& options, std::ostream& out,
                   std::ostream& err);

  void Report(const DocumentResult& result);
  // Documents read so far; `final` once every input was read.
  void SetTotal(uint64_t documents, bool final);
  // The counts so far, with seconds since construction.
  RunSummary summary() const;
  // Erases the progress line.
  void Finish();

 private:
  void DrawLocked(bool force);
  void ClearLocked();
  double SecondsLocked() const;

  const ReportOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  const std::chrono::steady_clock::time_point start_;

  mutable std::mutex mu_;
  RunSummary summary_;                       // guarded by mu_
  std::optional<uint64_t> total_;            // guarded by mu_
  bool total_final_ = false;                 // guarded by mu_
  std::chrono::steady_clock::time_point last_draw_;  // guarded by mu_
  bool drawn_ = false;                       // guarded by mu_
};

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_PROGRESS_H_
