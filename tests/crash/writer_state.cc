#include "tests/crash/writer_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace vecdb::testing {

WriterState::WriterState(uint32_t writer, uint32_t keyspace)
    : writer_(writer),
      keyspace_(keyspace),
      acked_(keyspace, 0),
      last_version_(keyspace, 0) {}

std::string WriterState::Id(uint32_t key) const {
  return absl::StrCat("w", writer_, "-k", key);
}

WriteOp WriterState::NextOp(std::mt19937_64& rng, uint32_t max_upsert,
                            uint32_t max_delete) {
  WriteOp op;
  // Three upserts for each delete keeps most of the key space live.
  op.kind = std::uniform_int_distribution<int>(0, 3)(rng) == 0
                ? WriteOp::Kind::kDelete
                : WriteOp::Kind::kUpsert;
  const uint32_t max = std::min(
      keyspace_, op.kind == WriteOp::Kind::kUpsert ? max_upsert : max_delete);
  const uint32_t n = std::uniform_int_distribution<uint32_t>(1, max)(rng);
  // Partial Fisher-Yates over the key space: n distinct keys.
  std::vector<uint32_t> keys(keyspace_);
  for (uint32_t i = 0; i < keyspace_; ++i) keys[i] = i;
  for (uint32_t i = 0; i < n; ++i) {
    std::swap(
        keys[i],
        keys[std::uniform_int_distribution<uint32_t>(i, keyspace_ - 1)(rng)]);
  }
  op.keys.assign(keys.begin(), keys.begin() + n);
  if (op.kind == WriteOp::Kind::kUpsert) {
    for (uint32_t key : op.keys) op.versions.push_back(++last_version_[key]);
  }
  return op;
}

void WriterState::Ack(const WriteOp& op) {
  for (size_t i = 0; i < op.keys.size(); ++i) {
    acked_[op.keys[i]] = VersionAfter(op, i);
  }
}

void WriterState::ResolveInFlight(bool applied) {
  if (in_flight_.has_value() && applied) Ack(*in_flight_);
  in_flight_.reset();
}

size_t WriterState::LiveCount() const {
  return std::count_if(acked_.begin(), acked_.end(),
                       [](uint32_t v) { return v != 0; });
}

}  // namespace vecdb::testing
