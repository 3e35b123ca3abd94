// A small ingested corpus for Retrieve tests: two documents cut into
// overlapping chunks, each chunk a point with the lineage fields of
// common/chunk_fields.h and a vector from the hash embedder, as
// vecdb-ingest would write them. Shared by the server, client and CLI
// tests.
#ifndef VECDB_TESTS_SERVER_RETRIEVE_CORPUS_H_
#define VECDB_TESTS_SERVER_RETRIEVE_CORPUS_H_

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/chunk_fields.h"
#include "common/ingest_profile.h"
#include "common/types.h"
#include "embed/embedder.h"

namespace vecdb::testing {

inline constexpr uint32_t kCorpusDimension = 64;

struct CorpusDocument {
  std::string doc_id;
  std::string title;
  std::vector<std::string> section;
  std::string text;
  // [start, end) of each chunk, in code points (ASCII text: bytes).
  std::vector<std::pair<size_t, size_t>> chunks;
};

inline const std::string& TomatoText() {
  static const std::string text =
      "Tomato plants need deep watering twice a week. Water the soil at the "
      "base of each tomato plant, not the leaves. Mulch keeps the soil moist "
      "and cool in summer. Stake or cage every tomato plant so the fruit "
      "stays off the ground. Prune the suckers of indeterminate tomato "
      "varieties for larger fruit.";
  return text;
}

inline const std::string& RocketText() {
  static const std::string text =
      "A rocket reaches orbit by accelerating sideways fast enough to keep "
      "falling around the Earth. Orbital velocity in low Earth orbit is "
      "about eight kilometres per second. Multistage rockets drop empty "
      "tanks to save mass. The rocket equation links fuel mass, exhaust "
      "velocity and the change in velocity.";
  return text;
}

// Tomatoes: three chunks, the first two overlapping by 20 characters, the
// last two by 20. Rockets: two chunks overlapping by 10.
inline std::vector<CorpusDocument> CorpusDocuments() {
  const size_t t = TomatoText().size();
  const size_t r = RocketText().size();
  return {
      {"garden/tomatoes.md",
       "Growing tomatoes",
       {"Care", "Watering"},
       TomatoText(),
       {{0, 120}, {100, 220}, {200, t}}},
      {"space/rockets.md",
       "Rocket basics",
       {},
       RocketText(),
       {{0, 140}, {130, r}}},
  };
}

inline IngestProfile CorpusProfile() {
  IngestProfile profile;
  profile.embedder = {"hash", "", kCorpusDimension, {}};
  profile.chunker = {"recursive", {{"target_tokens", "32"}}};
  return profile;
}

// The chunk points of CorpusDocuments(), vectors embedded with `spec`.
inline std::vector<Point> CorpusPoints(
    const EmbedderSpec& spec = CorpusProfile().embedder) {
  namespace fields = chunk_fields;
  auto embedder = embed::MakeEmbedder(spec);
  REQUIRE(embedder.ok());
  std::vector<Point> points;
  std::vector<std::string> texts;
  for (const CorpusDocument& doc : CorpusDocuments()) {
    for (size_t i = 0; i < doc.chunks.size(); ++i) {
      const auto [start, end] = doc.chunks[i];
      Point p;
      p.id = fields::ChunkId(doc.doc_id, static_cast<uint32_t>(i));
      p.document = doc.text.substr(start, end - start);
      Metadata& m = p.metadata;
      m[std::string(fields::kDocId)] = doc.doc_id;
      m[std::string(fields::kSource)] = "/corpus/" + doc.doc_id;
      m[std::string(fields::kDocHash)] = "hash-of-" + doc.doc_id;
      m[std::string(fields::kChunkCount)] =
          static_cast<int64_t>(doc.chunks.size());
      m[std::string(fields::kChunkIndex)] = static_cast<int64_t>(i);
      m[std::string(fields::kCharStart)] = static_cast<int64_t>(start);
      m[std::string(fields::kCharEnd)] = static_cast<int64_t>(end);
      if (!doc.section.empty()) m[std::string(fields::kSection)] = doc.section;
      m[std::string(fields::kChunkHash)] = "chunk-" + p.id;
      m[std::string(fields::kTitle)] = doc.title;
      m["lang"] = std::string("en");
      texts.push_back(*p.document);
      points.push_back(std::move(p));
    }
  }
  auto vectors = (*embedder)->Embed(texts);
  REQUIRE(vectors.ok());
  for (size_t i = 0; i < points.size(); ++i) {
    points[i].vector = std::move((*vectors)[i]);
  }
  return points;
}

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_SERVER_RETRIEVE_CORPUS_H_
