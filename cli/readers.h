// Readers for the files `vecdb upsert` and `vecdb query` accept. Each reads
// a whole file into memory and returns InvalidArgument naming "file:line"
// (or, for binary fvecs, "file: vector N at byte B") at the first malformed
// record; NotFound if the file cannot be opened.
//
// Formats:
//   JSONL  one JSON object per line (blank lines skipped):
//            {"id": "a1", "vector": [0.1, 0.2], "metadata": {"k": "v"},
//             "document": "text"}
//          "id" and "vector" are required; "metadata" values are strings,
//          integers, floats, booleans or arrays of strings; other keys are
//          rejected (they are usually typos).
//   fvecs  per vector: little-endian int32 dimension d, then d float32.
//          Every vector must have the same dimension.
//   TSV    one vector per line, numbers separated by tabs (blank lines
//          skipped). With `dimension` > 0, each line must hold at least
//          that many numbers; the first `dimension` form the vector and any
//          further columns (such as the row labels of sift5k) are checked
//          to be numbers, then ignored. With `dimension` 0, every line must
//          hold as many numbers as the first.
//
// Thread safety: stateless free functions.
#ifndef VECDB_CLI_READERS_H_
#define VECDB_CLI_READERS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/types.h"

namespace vecdb::cli {

absl::StatusOr<std::vector<Point>> ReadJsonl(const std::string& path);

// Reads at most `limit` vectors (0 = all).
absl::StatusOr<std::vector<std::vector<float>>> ReadFvecs(
    const std::string& path, size_t limit = 0);

// Reads at most `limit` vectors (0 = all); see the TSV format above.
absl::StatusOr<std::vector<std::vector<float>>> ReadTsv(const std::string& path,
                                                        size_t dimension = 0,
                                                        size_t limit = 0);

// Parses "0.1, 0.2,-3" (comma-separated finite numbers) into a vector;
// InvalidArgument naming the bad element.
absl::StatusOr<std::vector<float>> ParseVectorText(absl::string_view text);

// Points with ids `id_prefix` + row number (0-based) and no metadata.
std::vector<Point> PointsFromVectors(std::vector<std::vector<float>> vectors,
                                     const std::string& id_prefix);

}  // namespace vecdb::cli

#endif  // VECDB_CLI_READERS_H_
