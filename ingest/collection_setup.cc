#include "ingest/collection_setup.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace vecdb::ingest {
namespace {

absl::string_view Abs(std::string_view s) { return {s.data(), s.size()}; }

// Learns an openai embedder's dimension from one reply, and returns an
// embedder whose spec records it.
absl::StatusOr<std::unique_ptr<embed::Embedder>> ProbeDimension(
    std::unique_ptr<embed::Embedder> embedder) {
  VECDB_ASSIGN_OR_RETURN(auto vectors,
                         embedder->Embed({std::string("dimension probe")}));
  if (vectors.size() != 1 || vectors[0].empty()) {
    return absl::InternalError("embedder: empty reply to the dimension probe");
  }
  if (embedder->dimension() != 0) return embedder;
  EmbedderSpec spec = embedder->spec();
  spec.dimension = static_cast<uint32_t>(vectors[0].size());
  return embed::MakeEmbedder(spec);
}

absl::Status CheckProfile(std::string_view name,
                          const client::CollectionInfo& info,
                          const embed::Embedder& embedder,
                          const Chunker& chunker) {
  if (info.ingest.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection '", Abs(name),
        "' has no ingest profile: its vectors were not made by vecdb-ingest; "
        "ingest into another collection"));
  }
  absl::Status same = embed::CheckSameEmbedder(info.ingest.embedder,
                                               embedder.spec());
  if (!same.ok()) {
    // "collection was built with ..." -> "collection 'docs' was built ..."
    absl::string_view message = same.message();
    if (absl::ConsumePrefix(&message, "collection ")) {
      return absl::FailedPreconditionError(
          absl::StrCat("collection '", Abs(name), "' ", message));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("collection '", Abs(name), "': ", message));
  }
  if (!(info.ingest.chunker == chunker.spec())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection '", Abs(name), "' was built with chunker ",
        DescribeChunker(info.ingest.chunker), "; this run asks for ",
        DescribeChunker(chunker.spec())));
  }
  return absl::OkStatus();
}

}  // namespace

std::string DescribeChunker(const ChunkerSpec& spec) {
  std::vector<std::string> parts;
  for (const auto& [key, value] : spec.parameters) {
    if (key == "target_tokens") {
      parts.insert(parts.begin(), absl::StrCat("target ", value));
    } else if (key == "overlap_tokens") {
      parts.push_back(absl::StrCat("overlap ", value));
    } else {
      parts.push_back(absl::StrCat(key, "=", value));
    }
  }
  if (parts.empty()) return spec.name;
  return absl::StrCat(spec.name, " (", absl::StrJoin(parts, ", "), ")");
}

absl::StatusOr<PreparedCollection> PrepareCollection(
    Client& client, std::string_view name, const IngestProfile& requested) {
  PreparedCollection prepared;
  VECDB_ASSIGN_OR_RETURN(prepared.chunker, MakeChunker(requested.chunker));
  VECDB_ASSIGN_OR_RETURN(prepared.embedder, embed::MakeEmbedder(requested.embedder));

  absl::StatusOr<client::CollectionInfo> info = client.GetCollection(name);
  if (absl::IsNotFound(info.status())) {
    if (prepared.embedder->dimension() == 0) {
      VECDB_ASSIGN_OR_RETURN(prepared.embedder,
                             ProbeDimension(std::move(prepared.embedder)));
    }
    const IngestProfile profile{prepared.embedder->spec(),
                                prepared.chunker->spec()};
    info = client.CreateCollection(name, prepared.embedder->dimension(),
                                   Metric::kCosine, {}, profile);
    if (info.ok()) {
      prepared.info = *std::move(info);
      prepared.created = true;
      return prepared;
    }
    // Created by someone else meanwhile: check it like any existing one.
    if (!absl::IsAlreadyExists(info.status())) return info.status();
    info = client.GetCollection(name);
  }
  if (!info.ok()) return info.status();
  // Dimension 0 asks for the recorded one (the hash embedder's own default
  // is only for new collections).
  if (requested.embedder.dimension == 0 && !info->ingest.empty()) {
    EmbedderSpec spec = prepared.embedder->spec();
    spec.dimension = info->ingest.embedder.dimension;
    VECDB_ASSIGN_OR_RETURN(prepared.embedder, embed::MakeEmbedder(spec));
  }
  VECDB_RETURN_IF_ERROR(
      CheckProfile(name, *info, *prepared.embedder, *prepared.chunker));
  prepared.info = *std::move(info);
  return prepared;
}

}  // namespace vecdb::ingest
