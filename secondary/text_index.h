// TextIndex: the in-memory BM25 index over document text of one collection,
// loaded from the RocksDB term entries at open and kept in step with every
// write (like MetadataIndex, under the collection's index lock).
//
// Scoring (Okapi BM25, Lucene's idf):
//   idf(t)      = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))
//   score(d, q) = sum over distinct query terms t of
//                 idf(t) * tf(t,d) * (k1 + 1) /
//                 (tf(t,d) + k1 * (1 - b + b * len(d) / avglen))
// where N is the number of points with a document, n(t) the number of them
// holding t, len(d) the token count of d.
//
// Thread safety: none; the caller serialises mutations against reads.
#ifndef VECDB_SECONDARY_TEXT_INDEX_H_
#define VECDB_SECONDARY_TEXT_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/byte_io.h"
#include "common/index_entries.h"
#include "secondary/label_set.h"

namespace vecdb {

struct Bm25Params {
  float k1 = 1.2f;
  float b = 0.75f;
};

struct TextHit {
  uint64_t label = 0;
  float score = 0;
};

struct TextSearchStats {
  // (term, document) pairs scored.
  uint64_t postings_scored = 0;
};

class TextIndex {
 public:
  TextIndex();
  ~TextIndex();
  TextIndex(TextIndex&&) noexcept;
  TextIndex& operator=(TextIndex&&) noexcept;

  void Insert(const TermEntry& entry);
  // Removes an entry added by Insert; an absent one is ignored.
  void Erase(const TermEntry& entry);
  void SetLength(uint64_t label, uint32_t length);
  void EraseLength(uint64_t label);

  // Labels of points that have a document.
  const LabelSet& documents() const;
  // Labels whose document holds `term` (a token, text/tokenizer.h).
  LabelSet Postings(std::string_view term) const;
  // Number of documents holding `term`.
  uint64_t DocumentFrequency(std::string_view term) const;

  // The k best-scoring documents for `query_terms` (tokens; duplicates
  // count once), highest score first, ties by smaller label. Only labels in
  // `allowed` when it is not null. Documents with score 0 (no query term)
  // are never returned.
  std::vector<TextHit> Search(absl::Span<const std::string> query_terms,
                              size_t k, const LabelSet* allowed,
                              const Bm25Params& params,
                              TextSearchStats* stats = nullptr) const;

  // Approximate heap bytes held.
  size_t MemoryBytes() const;

  // The whole index, for a checkpoint (docs/on_disk_format.md,
  // "Secondary-index checkpoints").
  absl::Status Serialize(ByteWriter& out) const;
  // The index Serialize() wrote, without the labels in `drop`. DataLoss if
  // the bytes are not such an index.
  static absl::StatusOr<TextIndex> Parse(std::string_view bytes,
                                         const LabelSet& drop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vecdb

#endif  // VECDB_SECONDARY_TEXT_INDEX_H_
