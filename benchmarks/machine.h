// What a benchmark ran on, for its JSON and its printed header.
//
// Thread safety: free functions reading /proc; safe to call concurrently.
#ifndef VECDB_BENCHMARKS_MACHINE_H_
#define VECDB_BENCHMARKS_MACHINE_H_

#include <string>

#include "nlohmann/json.hpp"

namespace vecdb::bench {

// {"cpu", "hardware_threads", "mem_total_mb", "kernel"}.
nlohmann::json MachineInfo();

// The machine's load average ("1min 5min 15min"), from /proc/loadavg.
std::string LoadAverage();

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_MACHINE_H_
