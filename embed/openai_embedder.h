// The `openai` embedder (embed/embedder.h): any server with an
// OpenAI-compatible POST {base_url}/embeddings.
//
// Request: {"model": ..., "input": [texts...]} plus "dimensions" when the
// "dimensions" parameter is true; "Authorization: Bearer <key>" when the
// environment variable named by "api_key_env" is set (read once, when the
// embedder is made). Reply: {"data": [{"index": i, "embedding": [...]}]},
// put in input order by "index".
//
// Retries: 429, 5xx and failed connections are retried up to max_retries
// times, waiting backoff_ms x 2^attempt (at most 30 s) with jitter (a
// random half of it taken off), or the reply's Retry-After seconds (at most
// 60 s) when it has one. Other statuses fail at once with the server's
// message: 401/403 as FailedPrecondition (check the key), other 4xx as
// InvalidArgument. A timed-out request is not retried (DeadlineExceeded):
// timeout_ms bounds each request, and a server that slow is unlikely to
// answer the next one sooner.
#ifndef VECDB_EMBED_OPENAI_EMBEDDER_H_
#define VECDB_EMBED_OPENAI_EMBEDDER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/ingest_profile.h"
#include "embed/embedder.h"

namespace vecdb::embed {

// Parameter names an openai spec may differ in and still give the same
// vectors (CheckSameEmbedder ignores them).
inline constexpr const char* kOpenAiTransportParameters[] = {
    "base_url",   "api_key_env", "batch_size",
    "timeout_ms", "max_retries", "backoff_ms"};

// `spec` (name "openai") with every default filled in and its parameters
// in canonical form: "base_url" (https://api.openai.com/v1, trailing '/'
// removed), "api_key_env" (OPENAI_API_KEY), "batch_size" (64),
// "timeout_ms" (30000), "max_retries" (5), "backoff_ms" (500),
// "dimensions" (false). Dimension 0 stays 0 (learnt from the first
// reply). InvalidArgument for a missing model or a bad or unknown
// parameter.
absl::StatusOr<EmbedderSpec> CanonicalOpenAiSpec(const EmbedderSpec& spec);

// An openai embedder for `spec` (checked by CanonicalOpenAiSpec). Contacts
// no server.
absl::StatusOr<std::unique_ptr<Embedder>> NewOpenAiEmbedder(
    const EmbedderSpec& spec);

}  // namespace vecdb::embed

#endif  // VECDB_EMBED_OPENAI_EMBEDDER_H_
