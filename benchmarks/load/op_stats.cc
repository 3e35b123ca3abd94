#include "benchmarks/load/op_stats.h"

#include "absl/status/status.h"

namespace vecdb::bench::load {

uint64_t OpStats::failed() const {
  uint64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

void OpStats::Merge(const OpStats& other) {
  latency.Merge(other.latency);
  ok += other.ok;
  for (const auto& [code, count] : other.errors) errors[code] += count;
}

std::string StatusCodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace vecdb::bench::load
