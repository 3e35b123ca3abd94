// The built-in `hash` embedder (embed/embedder.h): signed feature hashing,
// offline and deterministic across runs, machines and compilers.
//
// Features of a text, after TokenList (text::Tokenize's NFKC, case-folded
// words):
//   - word unigrams, weight 1.0 x (1 + ln tf);
//   - word bigrams ("a b"), weight 0.5 x (1 + ln tf);
//   - character n-grams (ngram_min..ngram_max code points) of each
//     distinct word padded as "<word>", each weighing 0.5 x (1 + ln tf of
//     the word). They are not split across the word: a long word then
//     weighs more than a short one, which stands in for the IDF that a
//     corpus-free embedder lacks ("the" has 6 n-grams, "myocardial" 27),
//     and lets "cell" and "cells" meet. Only words with over 40 n-grams
//     (about 15 letters) have theirs scaled down to a joint L2 norm of
//     0.5 x sqrt(40), so a long junk token cannot swamp a chunk.
//     Measured by exact cosine nDCG@10 (tests/embed/hash_quality_test.cc):
//     MED 0.655 and ADI 0.336 this way, against 0.440 and 0.298 with the
//     n-grams' weight split across the word (BM25 on MED: 0.686).
// Each feature is hashed with 64-bit FNV-1a finished by a murmur3 mix, the
// feature group and the seed mixed into its start; the low 32 bits pick
// the bucket (multiply-shift onto [0, dimension)), the top bit the sign.
// The vector is then L2-normalised. Features are summed in order of first
// occurrence (never in hash-map order), so the same text gives the same
// vector in every run and on every machine.
//
// Speed: about 20,000 200-word chunks of MED per second on one core of a
// 2.5 GHz Xeon, a tenth of it in tokenising (the throughput test prints
// it).
#ifndef VECDB_EMBED_HASH_EMBEDDER_H_
#define VECDB_EMBED_HASH_EMBEDDER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/ingest_profile.h"
#include "embed/embedder.h"

namespace vecdb::embed {

// `spec` (name "hash") with every default filled in and its parameters in
// canonical form: dimension (default 768), "ngram_min" (3), "ngram_max"
// (5), "seed" (0). InvalidArgument naming a bad or unknown parameter, or a
// model (hash has none).
absl::StatusOr<EmbedderSpec> CanonicalHashSpec(const EmbedderSpec& spec);

// A hash embedder for `spec` (checked by CanonicalHashSpec).
absl::StatusOr<std::unique_ptr<Embedder>> NewHashEmbedder(
    const EmbedderSpec& spec);

}  // namespace vecdb::embed

#endif  // VECDB_EMBED_HASH_EMBEDDER_H_
