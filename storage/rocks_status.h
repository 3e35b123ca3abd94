// FromRocks(): the one place that turns a rocksdb::Status (or IOStatus) into
// an absl::Status. Internal to the storage layer (pulls in RocksDB headers).
#ifndef VECDB_STORAGE_ROCKS_STATUS_H_
#define VECDB_STORAGE_ROCKS_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace vecdb {

// OK stays OK. Otherwise the message is "<context>: <RocksDB's message>" and
// the code: NotFound, DataLoss (corruption), ResourceExhausted (no space),
// FailedPrecondition (the directory is locked by another process),
// Internal (other I/O errors), Unavailable (busy, try again, shutting
// down), and the obvious ones for invalid argument, not supported,
// aborted and timed out.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view context);

}  // namespace vecdb

#endif  // VECDB_STORAGE_ROCKS_STATUS_H_
