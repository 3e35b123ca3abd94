// Internal to the chunkers: where the recursive and fixed chunkers cut a
// run of tokens. Both work on token indexes of a TokenLayout and return
// ranges in reading order whose union is the input range.
#ifndef VECDB_INGEST_CHUNKERS_TOKEN_RANGES_H_
#define VECDB_INGEST_CHUNKERS_TOKEN_RANGES_H_

#include <cstddef>
#include <vector>

#include "ingest/chunkers/token_layout.h"

namespace vecdb::ingest {

// Tokens [first, last) of a layout.
struct TokenRange {
  size_t first = 0;
  size_t last = 0;

  size_t size() const { return last - first; }
  friend bool operator==(const TokenRange& a, const TokenRange& b) {
    return a.first == b.first && a.last == b.last;
  }
};

struct ChunkSizes {
  // At most this many tokens per range; >= 16 (ingest/chunkers/chunker.h).
  size_t target = 256;
  // Tokens each range after the first repeats from the one before;
  // < target / 2.
  size_t overlap = 32;
};

// The recursive chunker's ranges: a range that fits `target` is one chunk;
// otherwise each chunk ends at the coarsest boundary (paragraph, line,
// sentence, word, then any token) that leaves it between a quarter of the
// target and the target, the latest such boundary among equals. The next
// chunk starts about `overlap` tokens before that end, moved to the nearest
// word boundary within overlap/2 tokens when there is one.
std::vector<TokenRange> SplitRecursive(const TokenLayout& layout,
                                       TokenRange range,
                                       const ChunkSizes& sizes);

// The fixed chunker's ranges: windows of `target` tokens (the last may be
// shorter), each starting `target - overlap` after the previous.
std::vector<TokenRange> SplitFixed(TokenRange range, const ChunkSizes& sizes);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_CHUNKERS_TOKEN_RANGES_H_
