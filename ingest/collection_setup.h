// Setting up the collection a run writes into, before anything is written.
//
// The embedder and chunker are built from the requested specs; their
// spec() (defaults filled in) is the profile the collection records.
//   - No collection of that name: it is created (cosine, default HNSW
//     parameters) with that profile. An openai embedder without a dimension
//     embeds a probe text first to learn it.
//   - A collection with a profile: the recorded embedder must be the same
//     (embed::CheckSameEmbedder) and the recorded chunker spec equal to the
//     requested one; a requested dimension of 0 takes the recorded one.
//   - A collection without a profile holds vectors made elsewhere: refused.
// Every refusal is FailedPrecondition naming the collection and what
// differs, e.g. "collection 'docs' was built with chunker auto (target 512,
// overlap 32); this run asks for fixed (target 128, overlap 16)".
//
// Thread safety: free functions; the returned embedder and chunker are
// safe to share between threads (embed/embedder.h, chunkers/chunker.h).
#ifndef VECDB_INGEST_COLLECTION_SETUP_H_
#define VECDB_INGEST_COLLECTION_SETUP_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"
#include "common/ingest_profile.h"
#include "embed/embedder.h"
#include "ingest/chunkers/chunker.h"

namespace vecdb::ingest {

struct PreparedCollection {
  client::CollectionInfo info;
  std::unique_ptr<embed::Embedder> embedder;
  std::unique_ptr<Chunker> chunker;
  // True when this call created the collection.
  bool created = false;
};

// InvalidArgument for a bad spec (from MakeEmbedder / MakeChunker),
// FailedPrecondition for a collection that does not match, or the client's
// error (UNAVAILABLE for an unreachable server).
absl::StatusOr<PreparedCollection> PrepareCollection(
    Client& client, std::string_view name, const IngestProfile& requested);

// "auto (target 512, overlap 64)"; other parameters as "key=value".
std::string DescribeChunker(const ChunkerSpec& spec);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_COLLECTION_SETUP_H_
