// Helpers shared by the chunker tests.
#ifndef VECDB_TESTS_INGEST_CHUNKERS_CHUNKER_TEST_UTIL_H_
#define VECDB_TESTS_INGEST_CHUNKERS_CHUNKER_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/ingest_profile.h"
#include "ingest/chunkers/chunker.h"
#include "ingest/document.h"

namespace vecdb::ingest::testing {

// The chunker for `name` with the given parameters; fails the test when
// the spec is refused.
inline std::unique_ptr<Chunker> MustMake(const std::string& name,
                                         SpecParameters parameters = {}) {
  auto chunker = MakeChunker(ChunkerSpec{name, std::move(parameters)});
  REQUIRE(chunker.ok());
  return std::move(chunker).value();
}

inline Document Doc(std::string text, Format format = Format::kText) {
  Document document;
  document.id = "doc";
  document.format = format;
  document.text = std::move(text);
  return document;
}

inline std::vector<std::string> Texts(const std::vector<Chunk>& chunks) {
  std::vector<std::string> texts;
  for (const Chunk& chunk : chunks) texts.push_back(chunk.text);
  return texts;
}

// [char_start, char_end) of every chunk.
inline std::vector<std::pair<size_t, size_t>> Offsets(
    const std::vector<Chunk>& chunks) {
  std::vector<std::pair<size_t, size_t>> offsets;
  for (const Chunk& chunk : chunks) {
    offsets.emplace_back(chunk.char_start, chunk.char_end);
  }
  return offsets;
}

// "w1 w2 ... wN": N one-token words.
inline std::string NumberedWords(int n) {
  std::string text;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) text += ' ';
    text += "w" + std::to_string(i);
  }
  return text;
}

}  // namespace vecdb::ingest::testing

#endif  // VECDB_TESTS_INGEST_CHUNKERS_CHUNKER_TEST_UTIL_H_
