// Runs one benchmark system in a forked child process, so that its memory
// is measured from a clean baseline and nothing it allocates (threads,
// malloc arenas, RocksDB caches, gRPC) leaks into the next system.
//
// REQUIRES: the calling process has no threads but the main thread at the
// time of the call (fork() copies only the calling thread).
#ifndef VECDB_BENCHMARKS_CHILD_PROCESS_H_
#define VECDB_BENCHMARKS_CHILD_PROCESS_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace vecdb::bench {

// Runs `fn` in a child process and returns the text it produced. Internal
// if fork fails or the child dies without producing its text (the message
// gives the exit status or signal).
absl::StatusOr<std::string> RunInChild(const std::function<std::string()>& fn);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_CHILD_PROCESS_H_
