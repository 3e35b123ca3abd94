// Helpers of the vecdb-ingest end-to-end tests: run the real binary (and
// kill it), read a collection back, and compute the chunks a collection
// must hold from the files themselves with the same reader and chunker
// libraries (the expected state lives outside the database).
#ifndef VECDB_TESTS_INGEST_INGEST_TEST_UTIL_H_
#define VECDB_TESTS_INGEST_INGEST_TEST_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "clients/cpp/vecdb_client.h"
#include "common/ingest_profile.h"
#include "common/types.h"

namespace vecdb::ingest::testing {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

// Runs vecdb-ingest with `args` to completion.
ProcessResult RunIngest(const std::vector<std::string>& args);

// Starts vecdb-ingest with stdout and stderr going to `out_path` and
// `err_path`; returns its pid.
pid_t StartIngest(const std::vector<std::string>& args,
                  const std::string& out_path, const std::string& err_path);
// Waits for `pid`: its exit code, or -1 when a signal ended it.
int WaitIngest(pid_t pid);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

// A chunk as stored (or as expected): the fields the tests compare.
struct ChunkState {
  std::string doc_id;
  std::string doc_hash;
  std::string text;
  std::string chunk_hash;
  int64_t chunk_index = -1;
  int64_t chunk_count = -1;
  int64_t char_start = -1;
  int64_t char_end = -1;
  std::vector<std::string> section;

  bool operator==(const ChunkState&) const = default;
};
using ChunkSet = std::map<std::string, ChunkState>;  // by point id

// Every point of the collection (metadata and document), by id.
ChunkSet ScrollChunks(Client& client, const std::string& collection);
// The full metadata of every point, by id.
std::map<std::string, Metadata> ScrollMetadata(Client& client,
                                               const std::string& collection);

// What a sync of `inputs` with `chunker` must leave: for every record that
// reads, all of its chunks (the first record of a duplicated id wins).
ChunkSet ExpectedChunks(const std::vector<std::string>& inputs,
                        const ChunkerSpec& chunker);

// "--json" output lines parsed: outcome per doc_id, and the summary object
// as text of its fields ("documents" -> "6").
struct JsonRun {
  // (doc_id, outcome) in output order.
  std::vector<std::pair<std::string, std::string>> results;
  std::map<std::string, std::string> outcomes;
  std::map<std::string, std::string> errors;
  std::map<std::string, int64_t> removed;
  std::map<std::string, int64_t> summary;
  std::string error;
};
JsonRun ParseJsonRun(const std::string& out);

// Describes the first difference between two chunk sets ("" when equal).
std::string Difference(const ChunkSet& expected, const ChunkSet& actual);

}  // namespace vecdb::ingest::testing

#endif  // VECDB_TESTS_INGEST_INGEST_TEST_UTIL_H_
