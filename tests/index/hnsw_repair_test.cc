// Every live vector stays reachable by search: slots that lose every link
// pointing at them are linked again.
#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <random>
#include <string>

#include "index/vector_index.h"
#include "tests/index/index_test_util.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::Flatten;
using testing::Labels;
using testing::MustHnsw;
using testing::RandomVectors;

template <typename T>
T Read(const std::string& bytes, size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

template <typename T>
void Write(std::string& bytes, size_t offset, T value) {
  std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

// Removes `target` from the link list at `offset` (u32 count, then links).
void Unlink(std::string& bytes, size_t offset, uint32_t target) {
  const uint32_t word = Read<uint32_t>(bytes, offset);
  uint32_t count = word & 0xffff;
  for (uint32_t i = 0; i < count; ++i) {
    if (Read<uint32_t>(bytes, offset + 4 + 4 * i) != target) continue;
    const uint32_t last = Read<uint32_t>(bytes, offset + 4 + 4 * (count - 1));
    Write<uint32_t>(bytes, offset + 4 + 4 * i, last);
    --count;
    Write<uint32_t>(bytes, offset, (word & ~0xffffu) | count);
    return;
  }
}

// Rewrites serialised index bytes (docs/on_disk_format.md, VHNSW001) so that
// no list of any level links to `target`: the slot becomes unreachable.
void Orphan(std::string& bytes, uint32_t target) {
  const uint64_t slots = Read<uint64_t>(bytes, 48);
  const uint64_t per_slot = Read<uint64_t>(bytes, 64);
  const uint64_t per_upper = Read<uint64_t>(bytes, 72);
  for (uint64_t s = 0; s < slots; ++s) Unlink(bytes, 80 + s * per_slot, target);
  size_t offset = 80 + slots * per_slot;
  for (uint64_t s = 0; s < slots; ++s) {
    const uint32_t levels = Read<uint32_t>(bytes, offset);
    offset += 4;
    for (uint32_t l = 0; l < levels; ++l, offset += per_upper) {
      Unlink(bytes, offset, target);
    }
  }
}

TEST_CASE("a slot that nothing links to is relinked by the first "
          "maintenance after load",
          "[hnsw]") {
  const IndexOptions options{.dimension = 8, .metric = Metric::kL2};
  auto vectors = RandomVectors(400, 8, 31);
  auto index = MustHnsw(options);
  REQUIRE(index->Add(Labels(0, 400), Flatten(vectors)).ok());
  std::string bytes;
  REQUIRE(index
              ->Serialize([&](std::string_view piece) {
                bytes.append(piece);
                return absl::OkStatus();
              })
              .ok());
  const uint32_t entry = Read<uint32_t>(bytes, 36);
  // Orphan several slots that are not the entry point.
  std::vector<uint32_t> orphans;
  for (uint32_t slot = 7; orphans.size() < 5; slot += 61) {
    if (slot != entry) orphans.push_back(slot);
  }
  for (uint32_t slot : orphans) Orphan(bytes, slot);

  auto loaded = LoadHnswIndex(options, bytes);
  REQUIRE(loaded.ok());
  REQUIRE((*loaded)->MaintenanceDue(/*compact_fraction=*/1.0));
  REQUIRE((*loaded)->Maintain(1.0).ok());
  CHECK_FALSE((*loaded)->MaintenanceDue(1.0));
  const uint64_t per_slot = Read<uint64_t>(bytes, 64);
  for (uint32_t slot : orphans) {
    const uint64_t label = Read<uint64_t>(bytes, 80 + (slot + 1) * per_slot - 8);
    auto hits = (*loaded)->Search(vectors[label], 1, 16);
    REQUIRE(hits.ok());
    REQUIRE(hits->size() == 1);
    CHECK((*hits)[0].label == label);
  }
}

TEST_CASE("replacements and slot reuse keep every point findable", "[hnsw]") {
  // Many small batches that move points and reuse deleted slots, as a
  // busy collection does; every live point must stay findable by a query
  // for its own vector.
  const size_t dim = 16;
  auto index = MustHnsw({.dimension = dim, .metric = Metric::kL2,
                         .insert_threads = 1});
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<float> uniform(-1, 1);
  auto random_vector = [&] {
    std::vector<float> v(dim);
    for (float& x : v) x = uniform(rng);
    return v;
  };
  std::map<uint64_t, std::vector<float>> live;
  uint64_t next = 1;
  for (int round = 0; round < 600; ++round) {
    std::vector<uint64_t> labels;
    std::vector<float> flat;
    const size_t batch = 1 + rng() % 30;
    for (size_t i = 0; i < batch; ++i) {
      uint64_t label = next++;
      if (live.size() > 300 && rng() % 4 != 0) {
        label = std::next(live.begin(), rng() % live.size())->first;
        if (std::find(labels.begin(), labels.end(), label) != labels.end()) {
          continue;
        }
      }
      live[label] = random_vector();
      labels.push_back(label);
      flat.insert(flat.end(), live[label].begin(), live[label].end());
    }
    REQUIRE(index->Add(labels, flat).ok());
    std::vector<uint64_t> removed;
    for (size_t i = rng() % (live.size() > 400 ? 20 : 5); i > 0; --i) {
      auto it = std::next(live.begin(), rng() % live.size());
      removed.push_back(it->first);
      live.erase(it);
    }
    index->Remove(removed);
  }
  CHECK(index->Size() == live.size());
  size_t missing = 0;
  for (const auto& [label, v] : live) {
    auto hits = index->Search(v, 10, 64);
    REQUIRE(hits.ok());
    bool found = false;
    for (const SearchHit& hit : *hits) found = found || hit.label == label;
    if (!found) ++missing;
  }
  CHECK(missing == 0);
}

}  // namespace
}  // namespace vecdb
