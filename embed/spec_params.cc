#include "embed/spec_params.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace vecdb::embed {

absl::StatusOr<uint64_t> SpecParamReader::Uint(const std::string& name,
                                               uint64_t default_value,
                                               uint64_t min, uint64_t max) {
  read_.insert(name);
  auto it = parameters_.find(name);
  if (it == parameters_.end()) return default_value;
  uint64_t value = 0;
  // SimpleAtoi accepts a leading '+' and surrounding spaces; digits only
  // keeps the recorded form unambiguous.
  const std::string& text = it->second;
  bool digits = !text.empty() &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || !absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(embedder_, ": parameter ", name,
                     " must be a number, got \"", text, "\""));
  }
  if (value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(embedder_, ": parameter ", name, " must be in [", min,
                     ", ", max, "], got ", value));
  }
  return value;
}

absl::StatusOr<bool> SpecParamReader::Bool(const std::string& name,
                                           bool default_value) {
  read_.insert(name);
  auto it = parameters_.find(name);
  if (it == parameters_.end()) return default_value;
  std::string text = absl::AsciiStrToLower(it->second);
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return absl::InvalidArgumentError(
      absl::StrCat(embedder_, ": parameter ", name,
                   " must be true or false, got \"", it->second, "\""));
}

std::string SpecParamReader::String(const std::string& name,
                                    const std::string& default_value) {
  read_.insert(name);
  auto it = parameters_.find(name);
  return it == parameters_.end() ? default_value : it->second;
}

absl::Status SpecParamReader::CheckAllRead() const {
  for (const auto& [name, value] : parameters_) {
    if (!read_.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(embedder_, ": unknown parameter \"", name, "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace vecdb::embed
