// MakeEmbedder dispatches on the spec's name; CheckSameEmbedder and
// DescribeEmbedder work on specs with their defaults filled in, so that a
// spec given with defaults left out matches the full one a collection
// recorded.

#include "embed/embedder.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "embed/hash_embedder.h"
#include "embed/openai_embedder.h"

namespace vecdb::embed {
namespace {

// `spec` with defaults filled in, for the embedders this build knows.
absl::StatusOr<EmbedderSpec> Canonical(const EmbedderSpec& spec) {
  if (spec.name == "hash") return CanonicalHashSpec(spec);
  if (spec.name == "openai") return CanonicalOpenAiSpec(spec);
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown embedder \"", spec.name, "\" (known: hash, openai)"));
}

// Whether a difference in parameter `name` leaves the vectors the same.
bool IsTransport(const EmbedderSpec& spec, const std::string& name) {
  if (spec.name != "openai") return false;
  return std::find(std::begin(kOpenAiTransportParameters),
                   std::end(kOpenAiTransportParameters),
                   name) != std::end(kOpenAiTransportParameters);
}

// The parameters of `spec` that change its vectors.
SpecParameters VectorParameters(const EmbedderSpec& spec) {
  SpecParameters kept;
  for (const auto& [name, value] : spec.parameters) {
    if (!IsTransport(spec, name)) kept.emplace(name, value);
  }
  return kept;
}

std::string DescribeCanonical(const EmbedderSpec& spec) {
  std::string text = spec.name;
  if (!spec.model.empty()) absl::StrAppend(&text, " model ", spec.model);
  std::vector<std::string> details;
  details.push_back(spec.dimension == 0
                        ? "dimension from the first reply"
                        : absl::StrCat("dimension ", spec.dimension));
  SpecParameters rest = VectorParameters(spec);
  if (spec.name == "hash" && rest.contains("ngram_min") &&
      rest.contains("ngram_max")) {
    details.push_back(
        absl::StrCat("ngram ", rest["ngram_min"], "-", rest["ngram_max"]));
    rest.erase("ngram_min");
    rest.erase("ngram_max");
  }
  if (spec.name == "openai" && rest.contains("dimensions")) {
    if (rest["dimensions"] == "true") details.push_back("dimensions sent");
    rest.erase("dimensions");
  }
  for (const auto& [name, value] : rest) {
    details.push_back(absl::StrCat(name, " ", value));
  }
  absl::StrAppend(&text, " (", absl::StrJoin(details, ", "), ")");
  return text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Embedder>> MakeEmbedder(
    const EmbedderSpec& spec) {
  if (spec.name == "hash") return NewHashEmbedder(spec);
  if (spec.name == "openai") return NewOpenAiEmbedder(spec);
  return Canonical(spec).status();
}

absl::Status CheckSameEmbedder(const EmbedderSpec& recorded,
                               const EmbedderSpec& requested) {
  if (recorded.name.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection records no embedder (its vectors were not made by "
        "vecdb-ingest); this run uses ",
        DescribeEmbedder(requested)));
  }
  // A recorded spec this build cannot read is compared as it is.
  EmbedderSpec old_spec = Canonical(recorded).value_or(recorded);
  EmbedderSpec new_spec = Canonical(requested).value_or(requested);
  // A requested dimension of 0 (openai: learn it) matches any.
  bool same =
      old_spec.name == new_spec.name && old_spec.model == new_spec.model &&
      (new_spec.dimension == 0 || old_spec.dimension == new_spec.dimension) &&
      VectorParameters(old_spec) == VectorParameters(new_spec);
  if (same) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "collection was built with embedder ", DescribeEmbedder(recorded),
      "; this run uses ", DescribeEmbedder(requested)));
}

std::string DescribeEmbedder(const EmbedderSpec& spec) {
  if (spec.name.empty()) return "(none)";
  return DescribeCanonical(Canonical(spec).value_or(spec));
}

}  // namespace vecdb::embed
