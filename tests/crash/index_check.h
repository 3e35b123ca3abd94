// Checks of the metadata and text indexes for the crash test.
//
// CheckIndexEntries opens a data directory (no server running on it) and
// compares the secondary-index entries stored in RocksDB with the entries
// every stored point should have (secondary/entries.h): no entry missing,
// none left over from an old version or a deleted point.
//
// CheckFilteredCounts asks a running server to count (and query) with a
// fixed set of filters covering every operator and value kind, and
// compares with the state the writers expect, evaluated by the reference
// matcher (filter/matcher.h) on the model points.
#ifndef VECDB_TESTS_CRASH_INDEX_CHECK_H_
#define VECDB_TESTS_CRASH_INDEX_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/crash/writer_state.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::testing {

// DataLoss listing (up to 20) differences.
absl::Status CheckIndexEntries(const std::string& data_dir);

// DataLoss listing the filters whose count or query results differ.
absl::Status CheckFilteredCounts(vecdb::v1::VectorDB::Stub& stub,
                                 const std::string& collection, uint32_t dim,
                                 const std::vector<WriterState>& writers);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_INDEX_CHECK_H_
