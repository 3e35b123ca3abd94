// Reading the string parameters of an EmbedderSpec (common/ingest_profile.h)
// as typed values with defaults, and writing them back in one canonical
// form, so that a spec recorded with a collection compares equal to the
// same settings given another way ("05" and "5", "1" and "true").
//
//   SpecParamReader reader("hash", spec.parameters);
//   VECDB_ASSIGN_OR_RETURN(uint64_t seed, reader.Uint("seed", 0, 0, kMax));
//   VECDB_RETURN_IF_ERROR(reader.CheckAllRead());
//
// Not thread-safe; use one reader per spec.
#ifndef VECDB_EMBED_SPEC_PARAMS_H_
#define VECDB_EMBED_SPEC_PARAMS_H_

#include <cstdint>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ingest_profile.h"

namespace vecdb::embed {

class SpecParamReader {
 public:
  // `embedder` names the embedder in messages ("hash: parameter ...").
  SpecParamReader(std::string embedder, const SpecParameters& parameters)
      : embedder_(std::move(embedder)), parameters_(parameters) {}

  // The parameter `name` as an unsigned integer in [min, max], or
  // `default_value` when absent. InvalidArgument naming the parameter when
  // it is not a decimal number or out of range.
  absl::StatusOr<uint64_t> Uint(const std::string& name, uint64_t default_value,
                                uint64_t min, uint64_t max);

  // The parameter `name` as a boolean ("true"/"false", "1"/"0",
  // "yes"/"no", any case), or `default_value` when absent.
  absl::StatusOr<bool> Bool(const std::string& name, bool default_value);

  // The parameter `name` as given, or `default_value` when absent.
  std::string String(const std::string& name, const std::string& default_value);

  // InvalidArgument naming the first parameter that no call above asked
  // for (a misspelt name would otherwise be silently ignored).
  absl::Status CheckAllRead() const;

 private:
  std::string embedder_;
  const SpecParameters& parameters_;
  std::set<std::string, std::less<>> read_;
};

// Canonical text of a boolean parameter: "true" or "false".
inline std::string BoolParam(bool value) { return value ? "true" : "false"; }

}  // namespace vecdb::embed

#endif  // VECDB_EMBED_SPEC_PARAMS_H_
