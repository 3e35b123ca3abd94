#include "ingest/chunk_points.h"

#include <cstdint>
#include <string>

#include "common/chunk_fields.h"
#include "ingest/content_hash.h"

namespace vecdb::ingest {

std::vector<Point> BuildChunkPoints(const Document& document,
                                    std::string_view doc_hash,
                                    const std::vector<Chunk>& chunks) {
  namespace f = chunk_fields;
  std::vector<Point> points;
  points.reserve(chunks.size());
  for (const Chunk& chunk : chunks) {
    Point point;
    point.id = f::ChunkId(document.id, chunk.index);
    point.document = chunk.text;
    point.metadata = document.metadata;
    Metadata& m = point.metadata;
    m.insert_or_assign(std::string(f::kDocId), document.id);
    m.insert_or_assign(std::string(f::kSource), document.source);
    m.insert_or_assign(std::string(f::kDocHash), std::string(doc_hash));
    m.insert_or_assign(std::string(f::kChunkCount),
                       static_cast<int64_t>(chunks.size()));
    m.insert_or_assign(std::string(f::kChunkIndex),
                       static_cast<int64_t>(chunk.index));
    m.insert_or_assign(std::string(f::kCharStart),
                       static_cast<int64_t>(chunk.char_start));
    m.insert_or_assign(std::string(f::kCharEnd),
                       static_cast<int64_t>(chunk.char_end));
    if (chunk.section.empty()) {
      m.erase(std::string(f::kSection));
    } else {
      m.insert_or_assign(std::string(f::kSection), chunk.section);
    }
    m.insert_or_assign(std::string(f::kChunkHash), ChunkHash(chunk.text));
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace vecdb::ingest
