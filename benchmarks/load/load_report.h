// What vecdb_load prints and writes: a table row per run and operation, a
// soak summary, and the same in JSON (schema in benchmarks/load/README.md).
//
// Thread safety: free functions only.
#ifndef VECDB_BENCHMARKS_LOAD_LOAD_REPORT_H_
#define VECDB_BENCHMARKS_LOAD_LOAD_REPORT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "benchmarks/load/load_run.h"
#include "benchmarks/load/process_sampler.h"
#include "benchmarks/load/trend.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench::load {

struct SoakSummary {
  std::vector<ProcessSample> samples;
  uint64_t failed_samples = 0;
  Trend rss_bytes;
  Trend fds;
  Trend threads;
};

// Applies the growth rule (trend.h): `grow_percent_per_hour` of the level,
// and a least rise of 1 MiB for memory and 1 for descriptors and threads.
SoakSummary SummarizeSoak(std::vector<ProcessSample> samples,
                          uint64_t failed_samples,
                          double grow_percent_per_hour);

void PrintRunHeader(std::FILE* out);
void PrintRun(const RunResult& run, std::FILE* out);
void PrintSample(const ProcessSample& sample, std::FILE* out);
void PrintSoak(const SoakSummary& soak, std::FILE* out);

nlohmann::json RunJson(const RunResult& run);
nlohmann::json SoakJson(const SoakSummary& soak);

}  // namespace vecdb::bench::load

#endif  // VECDB_BENCHMARKS_LOAD_LOAD_REPORT_H_
