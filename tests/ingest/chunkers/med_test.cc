// MED abstracts (1,033 documents, median 257 tokens) with the default
// chunker: most fit one or two chunks of 256 tokens.

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/chunkers/chunker.h"
#include "ingest/document.h"
#include "tests/ingest/chunkers/chunker_test_util.h"
#include "tests/testing/test_data.h"
#include "text/token_count.h"

namespace vecdb::ingest {
namespace {

// The .W text of every document of a SMART file.
std::vector<std::string> ReadSmartTexts(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::vector<std::string> texts;
  bool in_text = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(".I", 0) == 0) {
      texts.emplace_back();
      in_text = false;
    } else if (line.rfind(".W", 0) == 0) {
      in_text = true;
    } else if (in_text && !texts.empty()) {
      texts.back() += line + "\n";
    }
  }
  return texts;
}

TEST_CASE("MED documents chunk to mostly one or two chunks of 256 tokens",
          "[chunkers][med]") {
  const auto texts =
      ReadSmartTexts(vecdb::testing::SharedDataDir() + "/med/MED.ALL");
  REQUIRE(texts.size() == 1033);
  const auto chunker = testing::MustMake("auto", {{"target_tokens", "256"}});
  std::map<size_t, size_t> documents_by_chunks;
  for (const std::string& text : texts) {
    const auto chunks = chunker->Split(testing::Doc(text, Format::kSmart));
    ++documents_by_chunks[chunks.size()];
    // One chunk exactly when the whole text fits.
    REQUIRE((chunks.size() == 1) == (text::CountTokens(text) <= 256));
    for (const Chunk& chunk : chunks) {
      REQUIRE(text::CountTokens(chunk.text) <= 256);
    }
  }
  std::ostringstream histogram;
  for (const auto& [chunks, documents] : documents_by_chunks) {
    histogram << chunks << " chunks: " << documents << " docs; ";
  }
  INFO(histogram.str());
  CHECK(documents_by_chunks.count(0) == 0);
  const size_t one_or_two = documents_by_chunks[1] + documents_by_chunks[2];
  // 921 documents have at most 256 + (256 - 32) tokens.
  CHECK(one_or_two >= 0.85 * texts.size());
  CHECK(documents_by_chunks[1] >= 0.45 * texts.size());
  // The longest document has 1,191 tokens.
  CHECK(documents_by_chunks.rbegin()->first <= 6);
}

}  // namespace
}  // namespace vecdb::ingest
