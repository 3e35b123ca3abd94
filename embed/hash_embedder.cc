// Signed feature hashing. Word and bigram counts are gathered first so that
// their weights are sublinear in term frequency; a word's character n-grams
// are added once per distinct word, scaled by that word's weight.

#include "embed/hash_embedder.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/types.h"
#include "embed/spec_params.h"
#include "embed/token_list.h"

namespace vecdb::embed {
namespace {

constexpr uint32_t kDefaultDimension = 768;
constexpr uint64_t kDefaultNgramMin = 3;
constexpr uint64_t kDefaultNgramMax = 5;
constexpr uint64_t kMaxNgram = 16;

// Feature weights, chosen on MED and ADI (exact cosine nDCG@10; see
// hash_embedder.h). Each character n-gram weighs kNgramWeight; a word with
// more than kMaxFullNgrams n-grams has them scaled down so that their joint
// L2 norm stays kNgramWeight * sqrt(kMaxFullNgrams) (about 3.2 words'
// worth), which keeps a long junk token (a URL, a hash) from swamping a
// chunk.
constexpr float kUnigramWeight = 1.0f;
constexpr float kBigramWeight = 0.5f;
constexpr float kNgramWeight = 0.5f;
constexpr float kMaxFullNgrams = 40;

// Feature groups, mixed into each hash so that the word "abc" and the
// n-gram "abc" land in unrelated buckets.
enum FeatureGroup : uint64_t { kUnigram = 1, kBigram = 2, kCharNgram = 3 };

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t Fnv(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// murmur3's 64-bit finaliser: spreads FNV's weak low-byte mixing over all
// bits.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

class HashEmbedder : public Embedder {
 public:
  HashEmbedder(EmbedderSpec spec, uint32_t ngram_min, uint32_t ngram_max,
               uint64_t seed)
      : spec_(std::move(spec)), ngram_min_(ngram_min), ngram_max_(ngram_max) {
    for (uint64_t group : {kUnigram, kBigram, kCharNgram}) {
      start_[group] = kFnvOffset ^ Mix(seed * 0x9e3779b97f4a7c15ull + group);
    }
  }

  const EmbedderSpec& spec() const override { return spec_; }

  absl::StatusOr<std::vector<std::vector<float>>> Embed(
      absl::Span<const std::string> texts) override {
    std::vector<std::vector<float>> vectors;
    vectors.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      std::vector<float> vector = EmbedOne(texts[i]);
      if (vector.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "texts[", i, "]: no features (empty or punctuation only)"));
      }
      vectors.push_back(std::move(vector));
    }
    return vectors;
  }

 private:
  // The normalised vector of `text`; empty when it has no features.
  std::vector<float> EmbedOne(const std::string& text) const {
    TokenList tokens;
    tokens.Assign(text);
    if (tokens.empty()) return {};
    // Counts in order of first occurrence: the hash maps only index them,
    // so the order of the float additions (and so every bit of the result)
    // does not depend on the maps' per-process hash seeds.
    std::vector<std::pair<std::string_view, uint32_t>> words;
    std::vector<std::pair<uint64_t, uint32_t>> bigrams;
    absl::flat_hash_map<std::string_view, size_t> word_index;
    absl::flat_hash_map<uint64_t, size_t> bigram_index;
    words.reserve(tokens.size());
    bigrams.reserve(tokens.size());
    word_index.reserve(tokens.size());
    bigram_index.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
      Count(tokens[i], word_index, words);
      if (i > 0) {
        uint64_t h = Fnv(start_[kBigram], tokens[i - 1]);
        h = Fnv(h, " ");
        Count(Fnv(h, tokens[i]), bigram_index, bigrams);
      }
    }
    std::vector<float> vector(spec_.dimension, 0.0f);
    std::string padded;
    std::vector<uint32_t> starts;
    for (const auto& [word, tf] : words) {
      float weight = Sublinear(tf);
      Add(Fnv(start_[kUnigram], word), kUnigramWeight * weight, vector);
      AddCharNgrams(word, weight, padded, starts, vector);
    }
    for (const auto& [h, tf] : bigrams) {
      Add(h, kBigramWeight * Sublinear(tf), vector);
    }
    double norm = 0;
    for (float x : vector) norm += static_cast<double>(x) * x;
    if (norm == 0) return {};  // Every feature cancelled out.
    const float scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : vector) x *= scale;
    return vector;
  }

  template <typename Key>
  static void Count(Key key, absl::flat_hash_map<Key, size_t>& index,
                    std::vector<std::pair<Key, uint32_t>>& counts) {
    auto [it, inserted] = index.try_emplace(key, counts.size());
    if (inserted) {
      counts.emplace_back(key, 1);
    } else {
      ++counts[it->second].second;
    }
  }

  static float Sublinear(uint32_t tf) {
    return 1.0f + std::log(static_cast<float>(tf));
  }

  // Adds the n-grams of "<word>", each kNgramWeight * `weight` (less for
  // very long words). `padded` and `starts` are scratch buffers.
  void AddCharNgrams(std::string_view word, float weight, std::string& padded,
                     std::vector<uint32_t>& starts,
                     std::vector<float>& vector) const {
    padded.assign("<");
    padded.append(word);
    padded.push_back('>');
    starts.clear();  // Byte offset of each code point, then the end.
    for (uint32_t i = 0; i < padded.size(); ++i) {
      if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) {
        starts.push_back(i);
      }
    }
    const uint32_t code_points = starts.size();
    starts.push_back(padded.size());
    uint32_t count = 0;
    for (uint32_t n = ngram_min_; n <= ngram_max_ && n <= code_points; ++n) {
      count += code_points - n + 1;
    }
    if (count == 0) return;
    const float each =
        kNgramWeight * weight *
        std::min(1.0f, std::sqrt(kMaxFullNgrams / static_cast<float>(count)));
    // FNV is incremental: the hash of the n-gram at `first` extends the
    // hash of the (n-1)-gram there by one code point.
    std::string_view bytes(padded);
    for (uint32_t first = 0; first < code_points; ++first) {
      uint64_t h = start_[kCharNgram];
      for (uint32_t n = 1; n <= ngram_max_ && first + n <= code_points; ++n) {
        h = Fnv(h, bytes.substr(starts[first + n - 1],
                                starts[first + n] - starts[first + n - 1]));
        if (n >= ngram_min_) Add(h, each, vector);
      }
    }
  }

  // Adds +-`weight` at the bucket of the feature whose running FNV hash is
  // `h`.
  void Add(uint64_t h, float weight, std::vector<float>& vector) const {
    uint64_t mixed = Mix(h);
    // Multiply-shift maps the low 32 bits onto [0, dimension) without a
    // division.
    size_t bucket = ((mixed & 0xffffffffull) * vector.size()) >> 32;
    // The top bit flips the weight's sign bit: no branch to mispredict.
    uint32_t sign = static_cast<uint32_t>(mixed >> 63) << 31;
    vector[bucket] +=
        std::bit_cast<float>(std::bit_cast<uint32_t>(weight) ^ sign);
  }

  const EmbedderSpec spec_;
  const uint32_t ngram_min_;
  const uint32_t ngram_max_;
  uint64_t start_[4] = {};
};

// The checked settings of a hash spec.
struct HashSettings {
  EmbedderSpec canonical;
  uint32_t ngram_min = 0;
  uint32_t ngram_max = 0;
  uint64_t seed = 0;
};

absl::StatusOr<HashSettings> ParseHashSpec(const EmbedderSpec& spec) {
  if (!spec.model.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("hash: takes no model, got \"", spec.model, "\""));
  }
  HashSettings settings;
  EmbedderSpec& canonical = settings.canonical;
  canonical.name = "hash";
  canonical.dimension =
      spec.dimension == 0 ? kDefaultDimension : spec.dimension;
  if (canonical.dimension > kMaxDimension) {
    return absl::InvalidArgumentError(
        absl::StrCat("hash: dimension must be at most ", kMaxDimension,
                     ", got ", canonical.dimension));
  }
  SpecParamReader reader("hash", spec.parameters);
  VECDB_ASSIGN_OR_RETURN(
      settings.ngram_min,
      reader.Uint("ngram_min", kDefaultNgramMin, 1, kMaxNgram));
  VECDB_ASSIGN_OR_RETURN(
      settings.ngram_max,
      reader.Uint("ngram_max", kDefaultNgramMax, 1, kMaxNgram));
  VECDB_ASSIGN_OR_RETURN(
      settings.seed,
      reader.Uint("seed", 0, 0, std::numeric_limits<uint64_t>::max()));
  VECDB_RETURN_IF_ERROR(reader.CheckAllRead());
  if (settings.ngram_min > settings.ngram_max) {
    return absl::InvalidArgumentError(
        absl::StrCat("hash: ngram_min (", settings.ngram_min,
                     ") must not exceed ngram_max (", settings.ngram_max, ")"));
  }
  canonical.parameters = {{"ngram_min", absl::StrCat(settings.ngram_min)},
                          {"ngram_max", absl::StrCat(settings.ngram_max)},
                          {"seed", absl::StrCat(settings.seed)}};
  return settings;
}

}  // namespace

absl::StatusOr<EmbedderSpec> CanonicalHashSpec(const EmbedderSpec& spec) {
  VECDB_ASSIGN_OR_RETURN(HashSettings settings, ParseHashSpec(spec));
  return std::move(settings.canonical);
}

absl::StatusOr<std::unique_ptr<Embedder>> NewHashEmbedder(
    const EmbedderSpec& spec) {
  VECDB_ASSIGN_OR_RETURN(HashSettings settings, ParseHashSpec(spec));
  return std::unique_ptr<Embedder>(
      new HashEmbedder(std::move(settings.canonical), settings.ngram_min,
                       settings.ngram_max, settings.seed));
}

}  // namespace vecdb::embed
