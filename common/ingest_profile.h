// How a collection's points were made from documents: the embedder and the
// chunker that vecdb-ingest used. Recorded with the collection when it is
// created (CreateCollection), returned by GetCollection, and used by
// Retrieve to embed query text the same way the chunks were embedded.
//
// A collection created without a profile (empty embedder.name) holds
// vectors its users computed themselves: Retrieve refuses it, and
// vecdb-ingest refuses to write into it.
//
// Parameters are strings so that each embedder and chunker can define its
// own; the embed/ and ingest/ layers give their meaning and defaults.
// Header-only.
#ifndef VECDB_COMMON_INGEST_PROFILE_H_
#define VECDB_COMMON_INGEST_PROFILE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace vecdb {

using SpecParameters = std::map<std::string, std::string, std::less<>>;

struct EmbedderSpec {
  // "hash" or "openai" (embed/embedder.h). Empty: no embedder recorded.
  std::string name;
  // Model name ("text-embedding-3-small", "nomic-embed-text"); empty for
  // embedders without models (hash).
  std::string model;
  // Length of every vector; equals the collection's dimension.
  uint32_t dimension = 0;
  // Embedder-specific settings, e.g. hash: "ngram_min", "ngram_max";
  // openai: "base_url", "api_key_env" (the NAME of the environment
  // variable holding the key, never the key itself).
  SpecParameters parameters;
};

struct ChunkerSpec {
  // "auto", "recursive", "fixed" or "markdown" (ingest/chunker.h).
  std::string name;
  // e.g. "target_tokens", "overlap_tokens".
  SpecParameters parameters;
};

struct IngestProfile {
  EmbedderSpec embedder;
  ChunkerSpec chunker;

  bool empty() const { return embedder.name.empty(); }
};

inline bool operator==(const EmbedderSpec& a, const EmbedderSpec& b) {
  return a.name == b.name && a.model == b.model &&
         a.dimension == b.dimension && a.parameters == b.parameters;
}
inline bool operator==(const ChunkerSpec& a, const ChunkerSpec& b) {
  return a.name == b.name && a.parameters == b.parameters;
}
inline bool operator==(const IngestProfile& a, const IngestProfile& b) {
  return a.embedder == b.embedder && a.chunker == b.chunker;
}

}  // namespace vecdb

#endif  // VECDB_COMMON_INGEST_PROFILE_H_
