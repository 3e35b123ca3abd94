#include "tests/crash/power_cut_model.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vecdb::testing {

size_t PowerCutModel::Begin(LoggedWrite write) {
  std::lock_guard<std::mutex> lock(mu_);
  writes_.push_back(std::move(write));
  return writes_.size() - 1;
}

void PowerCutModel::Ack(size_t write, uint64_t seq, uint64_t affected) {
  std::lock_guard<std::mutex> lock(mu_);
  writes_[write].acked = true;
  writes_[write].seq = seq;
  writes_[write].affected = affected;
}

uint64_t PowerCutModel::acked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::count_if(writes_.begin(), writes_.end(),
                       [](const LoggedWrite& w) { return w.acked; });
}

uint64_t PowerCutModel::unacked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::count_if(writes_.begin(), writes_.end(),
                       [](const LoggedWrite& w) { return !w.acked; });
}

uint64_t PowerCutModel::max_acked_seq() const {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t seq = start_seq_;
  for (const LoggedWrite& w : writes_) {
    if (w.acked && w.affected > 0) seq = std::max(seq, w.seq);
  }
  return seq;
}

uint64_t PowerCutModel::acked_after(uint64_t seq) const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::count_if(writes_.begin(), writes_.end(), [&](const LoggedWrite& w) {
    return w.acked && w.affected > 0 && w.seq > seq;
  });
}

std::vector<std::string> PowerCutModel::Verify(const PointTags& recovered,
                                               uint64_t recovered_seq,
                                               bool synced) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> problems;
  std::vector<const LoggedWrite*> acked;
  std::vector<const LoggedWrite*> unacked;
  for (const LoggedWrite& w : writes_) {
    if (!w.acked) {
      unacked.push_back(&w);
    } else if (w.affected > 0) {
      acked.push_back(&w);
    }
  }
  std::sort(acked.begin(), acked.end(),
            [](const LoggedWrite* a, const LoggedWrite* b) {
              return a->seq < b->seq;
            });
  if (recovered_seq < start_seq_) {
    problems.push_back(absl::StrCat("recovered sequence ", recovered_seq,
                                    " is before the round's start ",
                                    start_seq_));
  }
  uint64_t lost = 0;
  for (const LoggedWrite* w : acked) lost += w->seq > recovered_seq;
  if (synced && lost > 0) {
    problems.push_back(absl::StrCat(lost, " acknowledged synced writes lost (",
                                    "recovered up to write ", recovered_seq,
                                    ")"));
  }
  // The expected state at recovered_seq, and the values unacknowledged
  // writes may have left on top of it.
  PointTags expected = start_;
  for (const LoggedWrite* w : acked) {
    if (w->seq > recovered_seq) break;
    for (const std::string& id : w->ids) {
      if (w->is_delete) {
        expected.erase(id);
      } else {
        expected[id] = w->tag;
      }
    }
  }
  std::map<std::string, std::set<uint64_t>> maybe;  // 0 = deleted
  std::map<std::string, int> writers;  // writes of the round touching an id
  for (const LoggedWrite& w : writes_) {
    for (const std::string& id : w.ids) ++writers[id];
  }
  for (const LoggedWrite* w : unacked) {
    for (const std::string& id : w->ids) {
      maybe[id].insert(w->is_delete ? 0 : w->tag);
    }
  }
  std::set<std::string> ids;
  for (const auto& [id, tag] : expected) ids.insert(id);
  for (const auto& [id, tag] : recovered) ids.insert(id);
  for (const std::string& id : ids) {
    const auto e = expected.find(id);
    const auto r = recovered.find(id);
    const uint64_t want = e == expected.end() ? 0 : e->second;
    const uint64_t got = r == recovered.end() ? 0 : r->second;
    if (want == got) continue;
    const auto m = maybe.find(id);
    if (m != maybe.end() && m->second.count(got) > 0) continue;
    problems.push_back(absl::StrCat("point ", id, ": expected ",
                                    want == 0 ? "absent" : absl::StrCat("tag ", want),
                                    ", found ",
                                    got == 0 ? "absent" : absl::StrCat("tag ", got)));
    if (problems.size() > 20) return problems;
  }
  // In-flight batches: all or nothing where nothing else interferes.
  for (const LoggedWrite* w : unacked) {
    if (w->is_delete) continue;
    size_t shown = 0;
    size_t free = 0;
    for (const std::string& id : w->ids) {
      if (writers[id] != 1) continue;
      ++free;
      const auto r = recovered.find(id);
      shown += r != recovered.end() && r->second == w->tag;
    }
    if (shown != 0 && shown != free) {
      problems.push_back(absl::StrCat("half of unacknowledged write tag ",
                                      w->tag, " applied (", shown, " of ",
                                      free, " points)"));
    }
  }
  return problems;
}

}  // namespace vecdb::testing
