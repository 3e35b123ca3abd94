// Retriever: the Retrieve RPC's work. Query text in; the text embedded with
// the collection's recorded embedder (common/ingest_profile.h), searched
// (dense, BM25 or hybrid), and the hits assembled into cited passages and a
// context block (retrieval/context.h).
//
// Steps:
//   1. Validate (ValidateRetrieveRequest): InvalidArgument naming the field.
//   2. The collection must have an ingest profile, else FailedPrecondition
//      "collection 'x' has no ingest profile: ...".
//   3. Resolve the mode: UNSPECIFIED is HYBRID when the query has words for
//      BM25 (text::Tokenize), else DENSE. TEXT and HYBRID need words.
//   4. Embed the query (not for TEXT). One embed::Embedder per collection,
//      cached under the collection's name and creation time, so a dropped
//      and recreated collection gets a new one (the id tells apart one
//      recreated within the same millisecond). An openai embedder's
//      transport settings are capped for the query (timeout_ms 30000,
//      max_retries 2, backoff_ms 1000): the ones recorded suit ingest
//      runs, not a call a user waits on. Embed errors keep their
//      code, except InvalidArgument (the hash embedder's "no features"),
//      which is reported as "query: ...".
//   5. Search with Collection::Search (k, ef, filter, hybrid parameters;
//      metadata and document included), validated there as Query is.
//      Hybrid fusion defaults to relative score fusion here (RRF for
//      Query): on the MED and ADI collections it was the one that stayed
//      at or above BM25 alone (docs/benchmarks.md).
//   6. Hits become chunks (retrieval::ChunkFromPoint); a point without the
//      lineage fields is cited as its own document (doc_id = point id,
//      text = its document). AssembleContext with the request's budget
//      (both 0: 6000 characters).
//
// Thread safety: Retrieve may be called concurrently; the embedder cache is
// guarded by a mutex and each embedder is thread-safe. The engine is not
// owned and must outlive the Retriever.
#ifndef VECDB_SERVER_RETRIEVE_H_
#define VECDB_SERVER_RETRIEVE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collection/engine.h"
#include "common/mutex.h"
#include "embed/embedder.h"
#include "server/request_validation.h"
#include "vecdb/v1/vecdb.pb.h"

namespace vecdb {

// Chunks retrieved when a request sets k = 0.
inline constexpr uint32_t kDefaultRetrieveK = 10;
// Longest query text, in bytes.
inline constexpr size_t kMaxRetrieveQueryBytes = 4096;
// Context budget when a request sets neither max_context_chars nor
// max_context_tokens, in code points.
inline constexpr uint32_t kDefaultContextChars = 6000;
// Largest budgets a request may set.
inline constexpr uint32_t kMaxContextChars = 1u << 20;
inline constexpr uint32_t kMaxContextTokens = 1u << 18;

// Request-level checks: collection set; query 1..4096 bytes of valid UTF-8;
// k 0 (default 10) or 1..1000; ef as Query; mode a known value; budgets
// within the limits above. InvalidArgument starting with the field, e.g.
// "query: must not be empty", "mode: unknown value 9".
absl::Status ValidateRetrieveRequest(const v1::RetrieveRequest& request,
                                     const RequestLimits& limits);

// Where the server may send secrets from its own environment. A collection's
// recorded openai embedder names an endpoint (base_url) and the NAME of an
// environment variable holding the key (api_key_env); both come from the
// client that created the collection. When that variable is set on the
// server, Retrieve sends it only to a base_url starting with one of these
// prefixes, and otherwise fails with FailedPrecondition before any request
// is made, so that no client can make the server hand its keys to another
// host. Endpoints used without a key (the variable unset here) are not
// restricted.
struct EmbedderKeyPolicy {
  std::vector<std::string> key_url_prefixes = {"https://api.openai.com/"};
};

class Retriever {
 public:
  Retriever(Engine* engine, const RequestLimits& limits,
            EmbedderKeyPolicy key_policy = {});

  // Validates, embeds, searches and assembles into `response`.
  absl::Status Retrieve(const v1::RetrieveRequest& request,
                        v1::RetrieveResponse* response);

 private:
  struct CachedEmbedder {
    uint32_t collection_id = 0;
    int64_t created_unix_ms = 0;
    std::shared_ptr<embed::Embedder> embedder;
  };

  // The embedder of the collection `record` describes, made on first use.
  absl::StatusOr<std::shared_ptr<embed::Embedder>> EmbedderFor(
      const CollectionRecord& record);

  Engine* const engine_;  // not owned
  const RequestLimits limits_;
  const EmbedderKeyPolicy key_policy_;
  Mutex mu_;
  // By collection name; an entry whose id or created_unix_ms differs from
  // the collection's belongs to a dropped collection of the same name and
  // is replaced (ids are never reused, so even a collection recreated within
  // the same millisecond is told apart).
  std::map<std::string, CachedEmbedder, std::less<>> embedders_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace vecdb

#endif  // VECDB_SERVER_RETRIEVE_H_
