// What a collection already holds, per document: the basis of the
// unchanged / changed / new decision of a sync run.
//
// A document is UNCHANGED iff every chunk stored under its doc_id carries
// the new content hash and their number equals the chunk_count they
// declare. Chunk ids are deterministic (doc_id#index), so this is exact
// even after a run that was killed at any moment: a half-written new
// version lacks chunks, a half-deleted old one still has chunks of another
// hash.
//
// Batch mode builds a Manifest from one Scroll over the whole collection
// (metadata only). The streaming service asks two Counts per document
// instead (doc_id == D AND doc_hash == H; doc_id == D) and compares with
// the chunk count of its fresh split (StoredState).
//
// Thread safety: a Manifest is immutable once loaded; const methods may run
// concurrently.
#ifndef VECDB_INGEST_MANIFEST_H_
#define VECDB_INGEST_MANIFEST_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cpp/vecdb_client.h"

namespace vecdb::ingest {

// The stored chunks of one document as seen against a new content hash.
struct StoredState {
  // Chunks with doc_id == D and doc_hash == H.
  uint64_t with_hash = 0;
  // Chunks with doc_id == D.
  uint64_t total = 0;
  // chunk_count declared by the chunks of hash H; -1 when unknown or when
  // they disagree.
  int64_t declared = -1;

  // Nothing stored under the id.
  bool absent() const { return total == 0; }
  // Every stored chunk is of version H and that version is complete.
  bool unchanged() const {
    return total > 0 && with_hash == total &&
           declared == static_cast<int64_t>(total);
  }
  // Chunks of other versions exist: they are deleted after the new version
  // is written.
  bool has_stale() const { return total > with_hash; }
};

class Manifest {
 public:
  // Records one stored chunk. `chunk_count` -1 when the chunk has none.
  void Add(std::string_view doc_id, std::string_view doc_hash,
           int64_t chunk_count);

  StoredState Lookup(std::string_view doc_id, std::string_view doc_hash) const;

  bool Contains(std::string_view doc_id) const;
  // Every document id, sorted.
  std::vector<std::string> DocIds() const;
  // Stored chunks, and chunks without a doc_id (not written by ingest).
  uint64_t chunks() const { return chunks_; }
  uint64_t foreign_chunks() const { return foreign_chunks_; }
  size_t documents() const { return docs_.size(); }

  // Counts a point without a string doc_id or doc_hash.
  void AddForeign() { ++foreign_chunks_; }

 private:
  struct Version {
    uint64_t chunks = 0;
    int64_t declared = -1;
  };
  using Versions = std::map<std::string, Version, std::less<>>;

  std::map<std::string, Versions, std::less<>> docs_;
  uint64_t chunks_ = 0;
  uint64_t foreign_chunks_ = 0;
};

// Scrolls `collection` in pages of 1000 points, metadata only.
absl::StatusOr<Manifest> LoadManifest(Client& client,
                                      std::string_view collection);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_MANIFEST_H_
