// PowerCutModel: the state a power-cut round expects, kept outside the
// database, and the check of a reopened collection against it.
//
// Every write of a round is logged before it is sent (Begin) and marked
// with its sequence number once acknowledged (Ack). After the cut and the
// reopen, Verify() takes the recovered points (id -> tag, the tag naming
// the write that put the point there) and the collection's last sequence
// number R, and checks:
//   * under sync: R covers every acknowledged write (none lost);
//   * every point equals the round's starting state with the acknowledged
//     writes up to R applied in sequence order — nothing of a write after
//     R, nothing missing of one up to R (so, under no sync too, what is
//     lost is a suffix of the writes, never half a batch);
//   * writes in flight at the cut (never acknowledged) are all or nothing:
//     among the ids no other write touched, an unacknowledged batch shows
//     everywhere or nowhere.
//
// Thread safety: Begin/Ack may be called from many threads.
#ifndef VECDB_TESTS_CRASH_POWER_CUT_MODEL_H_
#define VECDB_TESTS_CRASH_POWER_CUT_MODEL_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace vecdb::testing {

// id -> tag of the write that last upserted it (absent: deleted/never).
using PointTags = std::map<std::string, uint64_t>;

struct LoggedWrite {
  bool is_delete = false;
  std::vector<std::string> ids;
  uint64_t tag = 0;  // upserts: unique per write
  bool acked = false;
  uint64_t seq = 0;    // when acked
  uint64_t affected = 0;  // when acked
};

class PowerCutModel {
 public:
  // `start`: the verified state the round starts from, at `start_seq`.
  PowerCutModel(PointTags start, uint64_t start_seq)
      : start_(std::move(start)), start_seq_(start_seq) {}

  size_t Begin(LoggedWrite write);
  void Ack(size_t write, uint64_t seq, uint64_t affected);

  uint64_t acked() const;
  uint64_t unacked() const;
  uint64_t max_acked_seq() const;
  // Acknowledged writes with a sequence number above `seq`.
  uint64_t acked_after(uint64_t seq) const;

  // The problems found (empty = the recovered state is allowed; it is then
  // the next round's start).
  std::vector<std::string> Verify(const PointTags& recovered,
                                  uint64_t recovered_seq, bool synced) const;

 private:
  const PointTags start_;
  const uint64_t start_seq_;
  mutable std::mutex mu_;
  std::vector<LoggedWrite> writes_;  // guarded by mu_
};

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_CRASH_POWER_CUT_MODEL_H_
