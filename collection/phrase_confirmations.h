// PhraseConfirmations: phrase conditions of a filter confirmed against the
// documents in RocksDB without holding the index-state lock while reading.
//
// A filter evaluates under IndexState::Read(); a phrase's candidates (the
// documents holding all its words, from the postings) are known only
// there, but confirming word order needs their documents. So evaluation
// goes in passes:
//   1. under the lock, Checker() answers each phrase from what is already
//      confirmed and records the candidates it has not seen (with their
//      point ids, read from the id map there);
//   2. outside the lock, Resolve() reads those documents and confirms them;
//   3. the next pass under the lock finds every candidate known and the
//      evaluation complete. Writes between passes can add candidates; they
//      are resolved by another pass.
// A pass answers unknown candidates as "not confirmed", so its result is
// only used once complete() holds.
//
// Thread safety: none; one per evaluation.
#ifndef VECDB_COLLECTION_PHRASE_CONFIRMATIONS_H_
#define VECDB_COLLECTION_PHRASE_CONFIRMATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "collection/checkpoint.h"
#include "secondary/filter_eval.h"
#include "secondary/label_set.h"
#include "storage/rocks_store.h"

namespace vecdb {

class PhraseConfirmations {
 public:
  // For EvaluateFilter under the index-state lock; `ids` is the id map
  // read there. Starts a new pass. With `store`, unknown candidates are
  // read at once instead (under the lock: the last resort of a filter
  // whose candidates keep changing). Valid while `ids` is and this object
  // lives.
  PhraseChecker Checker(const LabelMap& ids, RocksStore* store = nullptr,
                        uint32_t cid = 0);
  // Whether the last pass met no candidate that is not resolved.
  bool complete() const { return pending_.empty(); }
  // Reads the documents of the candidates the last pass recorded and
  // confirms them. Call without any lock held.
  absl::Status Resolve(RocksStore& store, uint32_t cid);

 private:
  struct Phrase {
    std::vector<std::string> tokens;
    LabelSet seen;       // candidates whose document was read
    LabelSet confirmed;  // those holding the phrase
  };
  struct Pending {
    std::string key;
    std::vector<uint64_t> labels;
    std::vector<std::string> ids;
  };
  absl::Status Confirm(RocksStore& store, uint32_t cid,
                       const Pending& pending, Phrase& phrase);

  absl::flat_hash_map<std::string, Phrase> phrases_;
  std::vector<Pending> pending_;
};

}  // namespace vecdb

#endif  // VECDB_COLLECTION_PHRASE_CONFIRMATIONS_H_
