#include "ingest/manifest.h"

#include <string>
#include <variant>

#include "common/chunk_fields.h"
#include "common/status_macros.h"

namespace vecdb::ingest {
namespace {

constexpr uint32_t kPageSize = 1000;

const std::string* StringField(const Metadata& metadata,
                               std::string_view name) {
  auto it = metadata.find(name);
  if (it == metadata.end()) return nullptr;
  return std::get_if<std::string>(&it->second);
}

int64_t IntField(const Metadata& metadata, std::string_view name) {
  auto it = metadata.find(name);
  if (it == metadata.end()) return -1;
  const int64_t* value = std::get_if<int64_t>(&it->second);
  return value == nullptr ? -1 : *value;
}

}  // namespace

void Manifest::Add(std::string_view doc_id, std::string_view doc_hash,
                   int64_t chunk_count) {
  auto doc = docs_.find(doc_id);
  if (doc == docs_.end()) doc = docs_.emplace(std::string(doc_id), Versions{}).first;
  auto version = doc->second.find(doc_hash);
  if (version == doc->second.end()) {
    version = doc->second.emplace(std::string(doc_hash), Version{}).first;
    version->second.declared = chunk_count;
  } else if (version->second.declared != chunk_count) {
    version->second.declared = -1;  // chunks of one version disagree
  }
  ++version->second.chunks;
  ++chunks_;
}

StoredState Manifest::Lookup(std::string_view doc_id,
                             std::string_view doc_hash) const {
  StoredState state;
  auto doc = docs_.find(doc_id);
  if (doc == docs_.end()) return state;
  for (const auto& [hash, version] : doc->second) {
    state.total += version.chunks;
    if (hash == doc_hash) {
      state.with_hash = version.chunks;
      state.declared = version.declared;
    }
  }
  return state;
}

bool Manifest::Contains(std::string_view doc_id) const {
  return docs_.find(doc_id) != docs_.end();
}

std::vector<std::string> Manifest::DocIds() const {
  std::vector<std::string> ids;
  ids.reserve(docs_.size());
  for (const auto& entry : docs_) ids.push_back(entry.first);
  return ids;
}

absl::StatusOr<Manifest> LoadManifest(Client& client,
                                      std::string_view collection) {
  Manifest manifest;
  std::string cursor;
  do {
    VECDB_ASSIGN_OR_RETURN(
        client::ScrollPage page,
        client.Scroll(collection, cursor, kPageSize, {.metadata = true}));
    for (const Point& point : page.points) {
      const std::string* doc_id =
          StringField(point.metadata, chunk_fields::kDocId);
      const std::string* doc_hash =
          StringField(point.metadata, chunk_fields::kDocHash);
      if (doc_id == nullptr || doc_hash == nullptr) {
        manifest.AddForeign();
        continue;
      }
      manifest.Add(*doc_id, *doc_hash,
                   IntField(point.metadata, chunk_fields::kChunkCount));
    }
    cursor = std::move(page.next_cursor);
  } while (!cursor.empty());
  return manifest;
}

}  // namespace vecdb::ingest
