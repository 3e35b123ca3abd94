// Test helpers for damaging a data directory's RocksDB write-ahead log.
#ifndef VECDB_TESTS_TESTING_WAL_FILES_H_
#define VECDB_TESTS_TESTING_WAL_FILES_H_

#include <cstdint>
#include <filesystem>

namespace vecdb::testing {

// The newest RocksDB WAL file (*.log) anywhere under `dir`; empty if none.
std::filesystem::path NewestWal(const std::filesystem::path& dir);

// Flips bit 6 of the byte at `offset` of `file`. False if it cannot.
bool FlipByte(const std::filesystem::path& file, uintmax_t offset);

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_TESTING_WAL_FILES_H_
