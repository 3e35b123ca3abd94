#include "server/retrieve_convert.h"

#include <map>
#include <string>
#include <utility>

#include "common/chunk_fields.h"
#include "proto/convert.h"
#include "text/utf8.h"

namespace vecdb {
namespace {

// A point that was not written by vecdb-ingest, cited whole.
retrieval::RetrievedChunk PlainChunk(Point&& point) {
  retrieval::RetrievedChunk chunk;
  chunk.chunk_id = point.id;
  chunk.doc_id = std::move(point.id);
  chunk.text = point.document.value_or("");
  chunk.char_end = text::CodePointCount(chunk.text);
  if (auto it = point.metadata.find(chunk_fields::kTitle);
      it != point.metadata.end()) {
    if (const auto* title = std::get_if<std::string>(&it->second)) {
      chunk.title = *title;
    }
  }
  chunk.metadata = std::move(point.metadata);
  return chunk;
}

void SetMetadata(const Metadata& metadata,
                 google::protobuf::Map<std::string, v1::MetadataValue>* proto) {
  for (const auto& [key, value] : metadata) {
    MetadataValueToProto(value, &(*proto)[key]);
  }
}

}  // namespace

std::vector<retrieval::RetrievedChunk> ChunksFromHits(std::vector<Hit>&& hits) {
  std::vector<retrieval::RetrievedChunk> chunks;
  chunks.reserve(hits.size());
  for (size_t i = 0; i < hits.size(); ++i) {
    Hit& hit = hits[i];
    absl::StatusOr<retrieval::RetrievedChunk> chunk =
        retrieval::ChunkFromPoint(hit.point);
    chunks.push_back(chunk.ok() ? *std::move(chunk)
                                : PlainChunk(std::move(hit.point)));
    chunks.back().rank = static_cast<uint32_t>(i + 1);
    chunks.back().score = hit.score;
    chunks.back().distance = hit.distance;
  }
  return chunks;
}

void RetrievedToProto(const std::vector<retrieval::RetrievedChunk>& chunks,
                      const retrieval::AssembledContext& context,
                      v1::RetrieveResponse* response) {
  std::map<std::string_view, uint32_t> passage_of;
  for (const retrieval::Passage& passage : context.passages) {
    for (const std::string& id : passage.chunk_ids) {
      passage_of.emplace(id, passage.number);
    }
  }
  response->mutable_chunks()->Reserve(static_cast<int>(chunks.size()));
  for (const retrieval::RetrievedChunk& chunk : chunks) {
    v1::Citation* c = response->add_chunks();
    c->set_chunk_id(chunk.chunk_id);
    c->set_doc_id(chunk.doc_id);
    c->set_source(chunk.source);
    c->set_title(chunk.title);
    c->set_chunk_index(chunk.chunk_index);
    c->set_char_start(chunk.char_start);
    c->set_char_end(chunk.char_end);
    c->mutable_section()->Add(chunk.section.begin(), chunk.section.end());
    c->set_text(chunk.text);
    c->set_rank(chunk.rank);
    c->set_score(chunk.score);
    c->set_distance(chunk.distance);
    SetMetadata(chunk.metadata, c->mutable_metadata());
    auto it = passage_of.find(chunk.chunk_id);
    c->set_passage(it == passage_of.end() ? 0 : it->second);
  }
  response->mutable_passages()->Reserve(
      static_cast<int>(context.passages.size()));
  for (const retrieval::Passage& passage : context.passages) {
    v1::ContextPassage* p = response->add_passages();
    p->set_number(passage.number);
    p->set_doc_id(passage.doc_id);
    p->set_source(passage.source);
    p->set_title(passage.title);
    p->mutable_section()->Add(passage.section.begin(), passage.section.end());
    p->set_char_start(passage.char_start);
    p->set_char_end(passage.char_end);
    p->set_text(passage.text);
    p->mutable_chunk_ids()->Add(passage.chunk_ids.begin(),
                                passage.chunk_ids.end());
    p->set_best_rank(passage.best_rank);
  }
  response->set_context(context.context);
  response->set_context_chars(static_cast<uint32_t>(context.chars));
  response->set_context_tokens(static_cast<uint32_t>(context.tokens));
  response->set_truncated(context.truncated);
}

}  // namespace vecdb
