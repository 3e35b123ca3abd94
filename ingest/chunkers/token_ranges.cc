// The recursive chunker walks the text once: each chunk's end is chosen in
// a window of candidate cut points, so the result is what splitting at
// paragraphs, then lines, sentences and words, and packing the pieces up
// to the target would give, without building the intermediate pieces. The
// lower edge of the window (a quarter of the target) keeps a short heading
// or lead-in paragraph with the text after it instead of alone.

#include "ingest/chunkers/token_ranges.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "ingest/chunkers/token_layout.h"

namespace vecdb::ingest {
namespace {

// The cut in [lo, hi] with the strongest boundary before it; the latest
// among equals. Requires lo <= hi < layout.size().
size_t BestCut(const TokenLayout& layout, size_t lo, size_t hi) {
  size_t best = hi;
  for (size_t k = hi; k >= lo && k > 0; --k) {
    if (layout.before[k] > layout.before[best]) best = k;
    if (layout.before[best] == Boundary::kParagraph) break;
  }
  return best;
}

// Where the chunk after one spanning [previous_start, end) starts:
// `overlap` tokens before `end` (at most half of the previous chunk), moved
// to the nearest word boundary within overlap/2 tokens if there is one.
size_t OverlapStart(const TokenLayout& layout, size_t previous_start,
                    size_t end, size_t overlap) {
  const size_t back = std::min(overlap, (end - previous_start) / 2);
  if (back == 0) return end;
  const size_t want = end - back;
  const size_t reach = overlap / 2;
  for (size_t d = 0; d <= reach; ++d) {
    // The later candidate first: it keeps the chunk smaller.
    if (want + d < end && layout.before[want + d] >= Boundary::kWord) {
      return want + d;
    }
    if (d <= want && want - d > previous_start &&
        layout.before[want - d] >= Boundary::kWord) {
      return want - d;
    }
  }
  return want;
}

}  // namespace

std::vector<TokenRange> SplitRecursive(const TokenLayout& layout,
                                       TokenRange range,
                                       const ChunkSizes& sizes) {
  std::vector<TokenRange> ranges;
  if (range.size() == 0) return ranges;
  size_t start = range.first;
  size_t covered = range.first;  // Tokens before this are in some chunk.
  while (range.last - start > sizes.target) {
    const size_t lo = std::max(covered + 1, start + sizes.target / 4);
    const size_t hi = start + sizes.target;
    const size_t cut = BestCut(layout, lo, hi);
    ranges.push_back({start, cut});
    start = OverlapStart(layout, start, cut, sizes.overlap);
    covered = cut;
  }
  ranges.push_back({start, range.last});
  return ranges;
}

std::vector<TokenRange> SplitFixed(TokenRange range, const ChunkSizes& sizes) {
  std::vector<TokenRange> ranges;
  if (range.size() == 0) return ranges;
  const size_t step = sizes.target - sizes.overlap;
  for (size_t start = range.first;; start += step) {
    const size_t last = std::min(start + sizes.target, range.last);
    ranges.push_back({start, last});
    if (last == range.last) break;
  }
  return ranges;
}

}  // namespace vecdb::ingest
