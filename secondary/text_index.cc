// TextIndex keeps, per term, a hash map from label to term frequency, plus
// each document's length and the running sum of lengths, so N, avglen and
// n(t) are always those of the live documents. Search accumulates scores in
// a hash map and keeps the top k in a bounded heap.

#include "secondary/text_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <queue>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "common/string_view.h"

namespace vecdb {
namespace {

using PostingMap = absl::flat_hash_map<uint64_t, uint32_t>;

// Higher score first, then smaller label: the order of Search's results.
bool Better(const TextHit& a, const TextHit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.label < b.label;
}

template <typename Map>
size_t HashMapBytes(const Map& map) {
  // One control byte per slot besides the slot itself.
  return map.capacity() * (sizeof(typename Map::value_type) + 1);
}

}  // namespace

struct TextIndex::Impl {
  absl::flat_hash_map<std::string, PostingMap> terms;
  absl::flat_hash_map<uint64_t, uint32_t> lengths;
  uint64_t total_length = 0;
  LabelSet documents;

  const PostingMap* Find(std::string_view term) const {
    auto it = terms.find(AsAbsl(term));
    return it == terms.end() ? nullptr : &it->second;
  }
};

TextIndex::TextIndex() : impl_(std::make_unique<Impl>()) {}
TextIndex::~TextIndex() = default;
TextIndex::TextIndex(TextIndex&&) noexcept = default;
TextIndex& TextIndex::operator=(TextIndex&&) noexcept = default;

void TextIndex::Insert(const TermEntry& entry) {
  impl_->terms[entry.term][entry.label] = entry.frequency;
}

void TextIndex::Erase(const TermEntry& entry) {
  auto term_it = impl_->terms.find(entry.term);
  if (term_it == impl_->terms.end()) return;
  PostingMap& postings = term_it->second;
  auto it = postings.find(entry.label);
  // Only the entry as inserted: a different frequency is another entry.
  if (it == postings.end() || it->second != entry.frequency) return;
  postings.erase(it);
  if (postings.empty()) impl_->terms.erase(term_it);
}

void TextIndex::SetLength(uint64_t label, uint32_t length) {
  auto [it, inserted] = impl_->lengths.try_emplace(label, length);
  if (!inserted) {
    impl_->total_length -= it->second;
    it->second = length;
  }
  impl_->total_length += length;
  impl_->documents.add(label);
}

void TextIndex::EraseLength(uint64_t label) {
  auto it = impl_->lengths.find(label);
  if (it == impl_->lengths.end()) return;
  impl_->total_length -= it->second;
  impl_->lengths.erase(it);
  impl_->documents.remove(label);
}

const LabelSet& TextIndex::documents() const { return impl_->documents; }

LabelSet TextIndex::Postings(std::string_view term) const {
  const auto* postings = impl_->Find(term);
  if (postings == nullptr) return LabelSet();
  std::vector<uint64_t> labels;
  labels.reserve(postings->size());
  for (const auto& [label, tf] : *postings) labels.push_back(label);
  std::sort(labels.begin(), labels.end());
  return LabelSetFromSorted(labels);
}

uint64_t TextIndex::DocumentFrequency(std::string_view term) const {
  const auto* postings = impl_->Find(term);
  return postings == nullptr ? 0 : postings->size();
}

std::vector<TextHit> TextIndex::Search(
    absl::Span<const std::string> query_terms, size_t k,
    const LabelSet* allowed, const Bm25Params& params,
    TextSearchStats* stats) const {
  const uint64_t n_docs = impl_->lengths.size();
  if (k == 0 || n_docs == 0) return {};
  const double avglen =
      static_cast<double>(impl_->total_length) / static_cast<double>(n_docs);
  const double k1 = params.k1;
  const double b = params.b;

  absl::flat_hash_set<absl::string_view> seen;
  absl::flat_hash_map<uint64_t, double> scores;
  uint64_t scored = 0;
  for (const std::string& term : query_terms) {
    if (!seen.insert(term).second) continue;
    const auto* postings = impl_->Find(term);
    if (postings == nullptr) continue;
    const double df = static_cast<double>(postings->size());
    // A posting of a document without a length (mid-load) must not make
    // N - n(t) negative.
    const double n = std::max(static_cast<double>(n_docs), df);
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    auto score_one = [&](uint64_t label, uint32_t tf) {
      if (tf == 0) return;
      auto length_it = impl_->lengths.find(label);
      // Without a known length the document counts as average.
      const double length =
          length_it == impl_->lengths.end() ? avglen : length_it->second;
      const double norm = avglen > 0 ? (1.0 - b + b * length / avglen) : 1.0;
      scores[label] += idf * tf * (k1 + 1.0) / (tf + k1 * norm);
      ++scored;
    };
    if (allowed == nullptr) {
      for (const auto& [label, tf] : *postings) score_one(label, tf);
    } else if (allowed->cardinality() < postings->size()) {
      for (uint64_t label : *allowed) {
        auto it = postings->find(label);
        if (it != postings->end()) score_one(label, it->second);
      }
    } else {
      for (const auto& [label, tf] : *postings) {
        if (allowed->contains(label)) score_one(label, tf);
      }
    }
  }
  if (stats != nullptr) stats->postings_scored += scored;

  // Max-heap under Better: the top is the worst hit kept so far.
  std::priority_queue<TextHit, std::vector<TextHit>, decltype(&Better)> heap(
      &Better);
  for (const auto& [label, score] : scores) {
    TextHit hit{label, static_cast<float>(score)};
    if (!(hit.score > 0)) continue;
    if (heap.size() < k) {
      heap.push(hit);
    } else if (Better(hit, heap.top())) {
      heap.pop();
      heap.push(hit);
    }
  }
  std::vector<TextHit> hits;
  hits.reserve(heap.size());
  while (!heap.empty()) {
    hits.push_back(heap.top());
    heap.pop();
  }
  std::reverse(hits.begin(), hits.end());
  return hits;
}

size_t TextIndex::MemoryBytes() const {
  size_t bytes = sizeof(Impl) + HashMapBytes(impl_->terms) +
                 HashMapBytes(impl_->lengths) +
                 impl_->documents.getSizeInBytes(false);
  for (const auto& [term, postings] : impl_->terms) {
    if (term.capacity() > sizeof(std::string)) bytes += term.capacity();
    bytes += HashMapBytes(postings);
  }
  return bytes;
}

// Layout (little-endian):
//   u64 document count, then per document: u64 label, u32 length;
//   u64 term count, then per term: the term (u32 length + bytes), u64
//   posting count, then per posting: u64 label, u32 frequency.
// Documents and postings come in hash order; N, the total length and the
// document set are derived again on Parse().
absl::Status TextIndex::Serialize(ByteWriter& out) const {
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(impl_->lengths.size()));
  for (const auto& [label, length] : impl_->lengths) {
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(label));
    VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(length));
  }
  VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(impl_->terms.size()));
  for (const auto& [term, postings] : impl_->terms) {
    VECDB_RETURN_IF_ERROR(out.PutString(term));
    VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(postings.size()));
    for (const auto& [label, tf] : postings) {
      VECDB_RETURN_IF_ERROR(out.Put<uint64_t>(label));
      VECDB_RETURN_IF_ERROR(out.Put<uint32_t>(tf));
    }
  }
  return absl::OkStatus();
}

namespace {

constexpr size_t kPairBytes = 8 + 4;  // u64 label, u32 value
constexpr size_t kMinTermBytes = 4 + 8;

absl::Status BadText(absl::string_view problem) {
  return absl::DataLossError(absl::StrCat("text index: ", problem));
}

// The (label, value) pairs of `count` entries, from `in`.
bool GetPairs(ByteReader& in, uint64_t count, std::string_view* block) {
  return count <= in.remaining() / kPairBytes &&
         in.GetBytes(count * kPairBytes, block);
}

template <typename Fn>
void ForEachPair(std::string_view block, Fn&& fn) {
  for (const char* p = block.data(); p < block.data() + block.size();
       p += kPairBytes) {
    uint64_t label;
    uint32_t value;
    std::memcpy(&label, p, sizeof(label));
    std::memcpy(&value, p + sizeof(label), sizeof(value));
    fn(label, value);
  }
}

}  // namespace

absl::StatusOr<TextIndex> TextIndex::Parse(std::string_view bytes,
                                           const LabelSet& drop) {
  ByteReader in(bytes);
  TextIndex index;
  Impl& impl = *index.impl_;
  const bool dropping = !drop.isEmpty();
  uint64_t documents = 0;
  std::string_view block;
  if (!in.Get(&documents) || !GetPairs(in, documents, &block)) {
    return BadText("bad document table");
  }
  impl.lengths.reserve(documents);
  std::vector<uint64_t> labels;
  labels.reserve(documents);
  bool duplicate = false;
  ForEachPair(block, [&](uint64_t label, uint32_t length) {
    if (dropping && drop.contains(label)) return;
    duplicate |= !impl.lengths.emplace(label, length).second;
    impl.total_length += length;
    labels.push_back(label);
  });
  if (duplicate) return BadText("document listed twice");
  std::sort(labels.begin(), labels.end());
  impl.documents = LabelSetFromSorted(labels);

  uint64_t terms = 0;
  if (!in.Get(&terms) || terms > in.remaining() / kMinTermBytes) {
    return BadText("bad term count");
  }
  impl.terms.reserve(terms);
  for (uint64_t i = 0; i < terms; ++i) {
    std::string_view term;
    uint64_t count = 0;
    if (!in.GetString(&term) || !in.Get(&count) ||
        !GetPairs(in, count, &block)) {
      return BadText("bad posting list");
    }
    PostingMap postings;
    postings.reserve(count);
    ForEachPair(block, [&](uint64_t label, uint32_t tf) {
      if (dropping && drop.contains(label)) return;
      postings.emplace(label, tf);
    });
    if (postings.empty()) continue;
    if (!impl.terms.emplace(std::string(term), std::move(postings)).second) {
      return BadText("term listed twice");
    }
  }
  if (in.remaining() != 0) return BadText("trailing bytes");
  return index;
}

}  // namespace vecdb
