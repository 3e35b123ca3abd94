// Helpers for the reader tests: real files in a temporary directory.
#ifndef VECDB_TESTS_INGEST_READERS_TEST_FILES_H_
#define VECDB_TESTS_INGEST_READERS_TEST_FILES_H_

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/readers/reader.h"

namespace vecdb::ingest::testing {

// Writes `bytes` to `path`, creating its parent directories.
inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Reads the file at `path` as `format` with document id `id`.
inline std::vector<ReadRecord> ReadFile(const std::string& path, Format format,
                                        const std::string& id = "doc") {
  return ReadSource(SourceFile{path, id, format});
}

}  // namespace vecdb::ingest::testing

#endif  // VECDB_TESTS_INGEST_READERS_TEST_FILES_H_
