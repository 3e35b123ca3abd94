// WriterState: what one writer of a crash test expects the database to hold
// for its ids, kept outside the database.
//
// Each writer owns a disjoint id space ("w<writer>-k<key>"), so its
// operations are sequential. It records every acknowledged operation and
// the one operation in flight when the server died (sent, no answer). After
// a restart the in-flight operation is resolved by looking at the server:
// all of its points show the old state or all the new one, never a mix.
//
// Versions only grow (a version number is never reused, even for an
// operation that was lost), so a point's content identifies its version.
//
// Thread safety: not thread-safe; one writer thread uses it during a round,
// the test thread between rounds.
#ifndef VECDB_TESTS_CRASH_WRITER_STATE_H_
#define VECDB_TESTS_CRASH_WRITER_STATE_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace vecdb::testing {

struct WriteOp {
  enum class Kind { kUpsert, kDelete };
  Kind kind = Kind::kUpsert;
  // Distinct keys of this writer.
  std::vector<uint32_t> keys;
  // Upserts: the new version of each key (same order). Deletes: empty.
  std::vector<uint32_t> versions;
};

// The version `op` leaves on op.keys[i]: its new version for an upsert, 0
// (no point) for a delete.
inline uint32_t VersionAfter(const WriteOp& op, size_t i) {
  return op.kind == WriteOp::Kind::kUpsert ? op.versions[i] : 0;
}

// What a resolved in-flight operation turned out to be.
enum class InFlightOutcome {
  kNone,        // nothing was in flight
  kApplied,     // every point shows the new state
  kNotApplied,  // every point shows the old state
  kEither,      // old and new states look the same (e.g. deleting absent ids)
};

class WriterState {
 public:
  // Keys are 0..keyspace-1.
  WriterState(uint32_t writer, uint32_t keyspace);

  uint32_t writer() const { return writer_; }
  uint32_t keyspace() const { return keyspace_; }
  std::string Id(uint32_t key) const;

  // A random next operation: an upsert of 1..max_upsert distinct keys with
  // fresh versions, or a delete of 1..max_delete distinct keys.
  WriteOp NextOp(std::mt19937_64& rng, uint32_t max_upsert,
                 uint32_t max_delete);

  // Records `op` as acknowledged.
  void Ack(const WriteOp& op);
  // Records `op` as sent without an answer. At most one per round.
  void SetInFlight(WriteOp op) { in_flight_ = std::move(op); }
  const std::optional<WriteOp>& in_flight() const { return in_flight_; }

  // Version the last acknowledged operation left on `key`; 0 = no point.
  uint32_t AckedVersion(uint32_t key) const { return acked_[key]; }
  // Ends the in-flight operation: applied or not, as seen on the server.
  void ResolveInFlight(bool applied);

  size_t LiveCount() const;

 private:
  uint32_t writer_;
  uint32_t keyspace_;
  std::vector<uint32_t> acked_;         // per key; 0 = absent
  std::vector<uint32_t> last_version_;  // per key; highest version ever sent
  std::optional<WriteOp> in_flight_;
};

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_WRITER_STATE_H_
