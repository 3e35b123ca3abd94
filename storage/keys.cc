#include "storage/keys.h"

namespace vecdb::storage_keys {
namespace {

constexpr size_t kCidBytes = 4;

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

}  // namespace

std::string CollectionPrefix(uint32_t cid) {
  std::string key;
  AppendBigEndian(cid, kCidBytes, &key);
  return key;
}

std::string IndexEntriesCompleteKey(uint32_t cid) {
  std::string key = "index_entries_complete/";
  AppendBigEndian(cid, kCidBytes, &key);
  return key;
}

std::string CollectionEnd(uint32_t cid) { return CollectionPrefix(cid + 1); }

std::string PointKey(uint32_t cid, std::string_view id) {
  std::string key;
  key.reserve(kCidBytes + id.size());
  AppendBigEndian(cid, kCidBytes, &key);
  key.append(id);
  return key;
}

std::string_view PointIdFromKey(std::string_view key) {
  return key.substr(kCidBytes);
}

std::string OpKey(uint32_t cid, uint64_t seq) {
  std::string key;
  key.reserve(kCidBytes + 8);
  AppendBigEndian(cid, kCidBytes, &key);
  AppendBigEndian(seq, 8, &key);
  return key;
}

namespace {

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

}  // namespace

std::optional<uint64_t> SeqFromOpKey(std::string_view key) {
  if (key.size() != kCidBytes + 8) return std::nullopt;
  return ReadBigEndian(key.substr(kCidBytes));
}

std::optional<uint32_t> CidFromKey(std::string_view key) {
  if (key.size() < kCidBytes) return std::nullopt;
  return static_cast<uint32_t>(ReadBigEndian(key.substr(0, kCidBytes)));
}

}  // namespace vecdb::storage_keys
