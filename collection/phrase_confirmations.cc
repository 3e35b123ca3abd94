#include "collection/phrase_confirmations.h"

#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "filter/matcher.h"
#include "text/tokenizer.h"

namespace vecdb {

PhraseChecker PhraseConfirmations::Checker(const LabelMap& ids,
                                           RocksStore* store, uint32_t cid) {
  pending_.clear();
  return [this, &ids, store, cid](const LabelSet& candidates,
                                  absl::Span<const std::string> tokens)
             -> absl::StatusOr<LabelSet> {
    // Tokens never hold a NUL, so the join is unambiguous.
    std::string key = absl::StrJoin(tokens, absl::string_view("\0", 1));
    Phrase& phrase = phrases_[key];
    if (phrase.tokens.empty()) {
      phrase.tokens.assign(tokens.begin(), tokens.end());
    }
    LabelSet unseen = candidates;
    unseen -= phrase.seen;
    Pending pending{.key = key, .labels = {}, .ids = {}};
    for (uint64_t label : unseen) {
      if (auto it = ids.find(label); it != ids.end()) {
        pending.labels.push_back(label);
        pending.ids.push_back(it->second);
      } else {
        // Not live at this snapshot: never confirmed.
        phrase.seen.add(label);
      }
    }
    if (!pending.labels.empty()) {
      if (store != nullptr) {
        VECDB_RETURN_IF_ERROR(Confirm(*store, cid, pending, phrase));
      } else {
        pending_.push_back(std::move(pending));
      }
    }
    LabelSet confirmed = phrase.confirmed;
    confirmed &= candidates;
    return confirmed;
  };
}

absl::Status PhraseConfirmations::Confirm(RocksStore& store, uint32_t cid,
                                          const Pending& pending,
                                          Phrase& phrase) {
  VECDB_ASSIGN_OR_RETURN(
      auto docs, store.MultiGet(cid, pending.ids,
                                {.vector = false, .metadata = false,
                                 .document = true}));
  for (size_t i = 0; i < docs.size(); ++i) {
    const uint64_t label = pending.labels[i];
    phrase.seen.add(label);
    // The record must still be this label's (a point re-created since has
    // another label).
    if (!docs[i].has_value() || docs[i]->label != label ||
        !docs[i]->document.has_value()) {
      continue;
    }
    if (ContainsPhrase(text::Tokenize(*docs[i]->document), phrase.tokens)) {
      phrase.confirmed.add(label);
    }
  }
  return absl::OkStatus();
}

absl::Status PhraseConfirmations::Resolve(RocksStore& store, uint32_t cid) {
  for (const Pending& pending : pending_) {
    VECDB_RETURN_IF_ERROR(
        Confirm(store, cid, pending, phrases_[pending.key]));
  }
  pending_.clear();
  return absl::OkStatus();
}

}  // namespace vecdb
