// Command-line flags of vecdb_writer_bench (benchmarks/README.md), parsed
// into one plain struct.
//
// Thread safety: free functions only.
#ifndef VECDB_BENCHMARKS_WRITER_FLAGS_H_
#define VECDB_BENCHMARKS_WRITER_FLAGS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace vecdb::bench {

struct WriterFlags {
  // The vecdb-server binary to start. Default: from the caller (the one of
  // the same build tree).
  std::string server_binary;
  // Extra flags for it, e.g. {"--sync=none"}; not --listen or --data_dir,
  // which the benchmark sets. Default: none (the server's defaults, fsync
  // included).
  std::vector<std::string> server_flags;
  // Points in the collection, 100..1,000,000 (batches of 100 take distinct
  // ids). Default: 20,000; --quick: 2,000.
  size_t points = 20000;
  // Vector dimension, 1..4096. Default: 64; --quick: 16.
  size_t dim = 64;
  // Measured length of each phase, 0.1..600 s. Default: 10; --quick: 1.
  double phase_seconds = 10;
  // Unmeasured queries before the first phase, 0..600 s. Default: 2;
  // --quick: 0.2.
  double warmup_seconds = 2;
  // Seed of the points, the queries and the writer's vectors. Default: 42.
  uint64_t seed = 42;
  // Where to write the JSON report. Default: none.
  std::string json_out;
  bool quick = false;
};

// Parses argv[1..] ("--name=value" or "--flag"). --quick sets the small
// sizes first; any size flag given as well wins, wherever it stands.
// InvalidArgument naming the flag for an unknown flag or a bad value.
absl::StatusOr<WriterFlags> ParseWriterFlags(
    const std::vector<std::string>& args, WriterFlags defaults);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_WRITER_FLAGS_H_
