#include "ingest/progress.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"

namespace vecdb::ingest {
namespace {

constexpr int kBarWidth = 20;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

}  // namespace

ProgressReporter::ProgressReporter(const ReportOptions& options,
                                   std::ostream& out, std::ostream& err)
    : options_(options),
      out_(out),
      err_(err),
      start_(std::chrono::steady_clock::now()) {}

void ProgressReporter::Report(const DocumentResult& result) {
  std::lock_guard lock(mu_);
  summary_.Add(result);
  if (options_.json) {
    ClearLocked();
    out_ << ResultJson(result) << "\n";
  } else if (result.outcome == Outcome::kFailed) {
    ClearLocked();
    err_ << ResultLine(result) << "\n";
  } else if (options_.verbose) {
    ClearLocked();
    out_ << ResultLine(result) << "\n";
  }
  DrawLocked(/*force=*/false);
}

void ProgressReporter::SetTotal(uint64_t documents, bool final) {
  std::lock_guard lock(mu_);
  total_ = documents;
  total_final_ = final;
  DrawLocked(/*force=*/final);
}

RunSummary ProgressReporter::summary() const {
  std::lock_guard lock(mu_);
  RunSummary summary = summary_;
  summary.seconds = SecondsLocked();
  return summary;
}

void ProgressReporter::Finish() {
  std::lock_guard lock(mu_);
  ClearLocked();
}

double ProgressReporter::SecondsLocked() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start_)
      .count();
}

void ProgressReporter::ClearLocked() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void ProgressReporter::DrawLocked(bool force) {
  if (!options_.bar) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  const double seconds = SecondsLocked();
  const double rate =
      seconds > 0 ? static_cast<double>(summary_.chunks_written) / seconds : 0;
  std::string line = "\r";
  if (total_.has_value() && !total_final_) {
    line += absl::StrFormat("%d/%d+ documents", summary_.documents, *total_);
  } else if (total_.has_value() && *total_ > 0) {
    const int filled = static_cast<int>(
        kBarWidth * std::min<double>(1.0, static_cast<double>(summary_.documents) /
                                              static_cast<double>(*total_)));
    line += "[" + std::string(filled, '=') +
            (filled < kBarWidth ? ">" : "") +
            std::string(std::max(0, kBarWidth - filled - 1), ' ') + "] ";
    line += absl::StrFormat("%d/%d documents", summary_.documents, *total_);
  } else {
    line += absl::StrFormat("%d documents", summary_.documents);
  }
  line += absl::StrFormat("  %d chunks  %.1f chunks/s\033[K",
                          summary_.chunks_written, rate);
  err_ << line << std::flush;
  drawn_ = true;
}

}  // namespace vecdb::ingest
