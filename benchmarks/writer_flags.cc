#include "benchmarks/writer_flags.h"

#include <functional>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace vecdb::bench {
namespace {

bool ParseInRange(const std::string& value, size_t min, size_t max,
                  size_t& out) {
  return absl::SimpleAtoi(value, &out) && out >= min && out <= max;
}

bool ParseSeconds(const std::string& value, double min, double max,
                  double& out) {
  return absl::SimpleAtod(value, &out) && out >= min && out <= max;
}

using Handler = std::function<bool(const std::string& value, WriterFlags& f)>;

// Flag name -> how it sets WriterFlags; false for a bad value.
const std::map<std::string, Handler, std::less<>>& Handlers() {
  static const auto* handlers = new std::map<std::string, Handler, std::less<>>{
      {"--server-binary",
       [](auto& v, auto& f) {
         f.server_binary = v;
         return !v.empty();
       }},
      {"--server-flag",
       [](auto& v, auto& f) {
         // The address and the data directory are the benchmark's own.
         f.server_flags.push_back(v);
         return v.rfind("--", 0) == 0 && v.rfind("--listen", 0) != 0 &&
                v.rfind("--data_dir", 0) != 0;
       }},
      {"--points",
       [](auto& v, auto& f) {
         return ParseInRange(v, 100, 1000000, f.points);
       }},
      {"--dim",
       [](auto& v, auto& f) { return ParseInRange(v, 1, 4096, f.dim); }},
      {"--phase-seconds",
       [](auto& v, auto& f) {
         return ParseSeconds(v, 0.1, 600, f.phase_seconds);
       }},
      {"--warmup-seconds",
       [](auto& v, auto& f) {
         return ParseSeconds(v, 0, 600, f.warmup_seconds);
       }},
      {"--seed", [](auto& v, auto& f) { return absl::SimpleAtoi(v, &f.seed); }},
      {"--json-out",
       [](auto& v, auto& f) {
         f.json_out = v;
         return !v.empty();
       }},
      {"--quick", [](auto& v, auto& f) { return v.empty(); }},
  };
  return *handlers;
}

}  // namespace

absl::StatusOr<WriterFlags> ParseWriterFlags(
    const std::vector<std::string>& args, WriterFlags defaults) {
  WriterFlags flags = std::move(defaults);
  for (const std::string& arg : args) {
    if (arg == "--quick") {
      flags.quick = true;
      flags.points = 2000;
      flags.dim = 16;
      flags.phase_seconds = 1;
      flags.warmup_seconds = 0.2;
    }
  }
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    auto it = Handlers().find(name);
    if (it == Handlers().end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    }
    if (!it->second(value, flags)) {
      return absl::InvalidArgumentError(absl::StrCat("bad value: ", arg));
    }
  }
  if (flags.server_binary.empty()) {
    return absl::InvalidArgumentError(
        "--server-binary: no vecdb-server binary known; give its path");
  }
  return flags;
}

}  // namespace vecdb::bench
