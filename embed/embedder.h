// Embedders turn text into vectors: the same interface for the built-in
// offline `hash` embedder and for any OpenAI-compatible HTTP endpoint.
// vecdb-ingest embeds chunks with one; vecdb-server's Retrieve embeds query
// text with the one the collection recorded (common/ingest_profile.h).
//
//   VECDB_ASSIGN_OR_RETURN(auto embedder,
//                          MakeEmbedder({.name = "hash", .dimension = 768}));
//   VECDB_ASSIGN_OR_RETURN(auto vectors, embedder->Embed({"some text"}));
//
// Embedders:
//   hash    signed feature hashing of word unigrams and bigrams and
//           character n-grams, sublinear term frequency (1 + ln tf),
//           L2-normalised. Offline, deterministic across runs and machines.
//           Parameters (all optional): "ngram_min" / "ngram_max" (character
//           n-gram lengths, default 3 / 5), "seed" (default 0). Default
//           dimension 768. Text without any feature embeds as a zero
//           vector, which a cosine collection refuses: Embed returns
//           InvalidArgument "text[i]: no features" instead.
//   openai  POST {base_url}/embeddings (OpenAI, Ollama, vLLM, llama.cpp
//           server, text-embeddings-inference). `model` required.
//           Parameters: "base_url" (default https://api.openai.com/v1),
//           "api_key_env" (name of the environment variable with the key,
//           default OPENAI_API_KEY; a missing variable means no
//           Authorization header, as local servers want), "batch_size"
//           (inputs per request, default 64), "timeout_ms" (per request,
//           default 30000), "max_retries" (default 5; 429 and 5xx and
//           connection failures are retried with exponential backoff from
//           "backoff_ms", default 500, honouring Retry-After), "dimensions"
//           ("true" sends the dimension in the request, for models that
//           can shorten their vectors). `dimension` 0 = learn it from the
//           first reply; a reply of another length is an error.
//
// Errors: InvalidArgument for a bad spec (unknown name, bad parameter,
// missing model) naming the parameter; Unavailable after the retries ran
// out (the message has the last HTTP status and the endpoint);
// DeadlineExceeded on timeout; Internal for a malformed reply (not JSON,
// missing data, wrong count or length), naming what was wrong. Errors
// never include the API key.
//
// Thread safety: Embed may be called from several threads at once.
#ifndef VECDB_EMBED_EMBEDDER_H_
#define VECDB_EMBED_EMBEDDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/ingest_profile.h"

namespace vecdb::embed {

class Embedder {
 public:
  virtual ~Embedder() = default;

  // The spec with every default filled in: what a collection records.
  virtual const EmbedderSpec& spec() const = 0;
  uint32_t dimension() const { return spec().dimension; }

  // One vector per text, in order, each of length dimension(). Splits into
  // requests of the embedder's batch size itself.
  virtual absl::StatusOr<std::vector<std::vector<float>>> Embed(
      absl::Span<const std::string> texts) = 0;
};

// Builds the embedder `spec` names, filling defaults. Does not contact any
// server (an openai embedder with dimension 0 learns it on first Embed).
absl::StatusOr<std::unique_ptr<Embedder>> MakeEmbedder(
    const EmbedderSpec& spec);

// OK when vectors from `requested` can go into a collection recorded with
// `recorded`: same name, model, dimension and every parameter that changes
// vectors (transport settings such as base_url, api_key_env, timeouts,
// retries and batch size may differ). Otherwise FailedPrecondition naming
// both, e.g. "collection was built with embedder hash (dimension 768,
// ngram 3-5, seed 0); this run uses openai model nomic-embed-text
// (dimension 768)". `recorded` empty (no profile) is FailedPrecondition
// too.
absl::Status CheckSameEmbedder(const EmbedderSpec& recorded,
                               const EmbedderSpec& requested);

// One line describing a spec, for messages and logs (no secrets).
std::string DescribeEmbedder(const EmbedderSpec& spec);

}  // namespace vecdb::embed

#endif  // VECDB_EMBED_EMBEDDER_H_
