#include "benchmarks/load/load_flags.h"

#include <functional>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace vecdb::bench::load {
namespace {

absl::string_view View(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool ParseU32(const std::string& value, uint32_t& out, uint32_t min) {
  return absl::SimpleAtoi(value, &out) && out >= min;
}

bool ParsePositive(const std::string& value, size_t& out) {
  return absl::SimpleAtoi(value, &out) && out > 0;
}

// Finite and within (0, 1e9]: larger values (or inf) would overflow the
// clock arithmetic of a run.
bool ParsePositiveDouble(const std::string& value, double& out) {
  return absl::SimpleAtod(value, &out) && out > 0 && out <= 1e9;
}

using Handler = std::function<bool(const std::string& value, LoadFlags& f)>;

// Flag name -> how it sets LoadFlags; false for a bad value.
const std::map<std::string, Handler, std::less<>>& Handlers() {
  static const auto* handlers = new std::map<std::string, Handler, std::less<>>{
      {"--server", [](auto& v, auto& f) { f.server = v; return !v.empty(); }},
      {"--spawn-server",
       [](auto& v, auto& f) { f.spawn_server = v; return !v.empty(); }},
      {"--spawn-flag",
       [](auto& v, auto& f) { f.spawn_flags.push_back(v); return !v.empty(); }},
      {"--server-pid",
       [](auto& v, auto& f) {
         int pid = 0;
         if (!absl::SimpleAtoi(v, &pid) || pid <= 0) return false;
         f.server_pid = pid;
         return true;
       }},
      {"--dataset", [](auto& v, auto& f) { f.dataset = v; return !v.empty(); }},
      {"--queries",
       [](auto& v, auto& f) { return ParsePositive(v, f.num_queries); }},
      {"--collection",
       [](auto& v, auto& f) { f.collection = v; return !v.empty(); }},
      {"--M", [](auto& v, auto& f) { return ParseU32(v, f.m, 2); }},
      {"--efc",
       [](auto& v, auto& f) { return ParseU32(v, f.ef_construction, 1); }},
      {"--reuse", [](auto& v, auto& f) { f.reuse = true; return v.empty(); }},
      {"--drop-existing",
       [](auto& v, auto& f) { f.drop_existing = true; return v.empty(); }},
      {"--setup-batch",
       [](auto& v, auto& f) { return ParsePositive(v, f.setup_batch); }},
      {"--clients",
       [](auto& v, auto& f) {
         auto list = ParseCountList(v);
         if (list) f.clients = *list;
         return list.has_value();
       }},
      {"--mode",
       [](auto& v, auto& f) {
         f.mode = v == "rate" ? LoadMode::kRate : LoadMode::kClosed;
         return v == "rate" || v == "closed";
       }},
      {"--rate", [](auto& v, auto& f) { return ParsePositiveDouble(v, f.rate); }},
      {"--mix",
       [](auto& v, auto& f) {
         auto mix = ParseMix(v);
         if (mix.ok()) f.mix = *mix;
         return mix.ok();
       }},
      {"--upsert-batch",
       [](auto& v, auto& f) { return ParsePositive(v, f.upsert_batch); }},
      {"--upsert-vectors",
       [](auto& v, auto& f) {
         f.upsert_vectors =
             v == "new" ? UpsertVectors::kNew : UpsertVectors::kSame;
         return v == "new" || v == "same";
       }},
      {"--upsert-noise",
       [](auto& v, auto& f) {
         double noise = 0;
         if (!absl::SimpleAtod(v, &noise) || !(noise > 0) || noise > 1) {
           return false;
         }
         f.upsert_noise = noise;
         return true;
       }},
      {"--query-batch",
       [](auto& v, auto& f) { return ParsePositive(v, f.query_batch); }},
      {"--duration",
       [](auto& v, auto& f) {
         f.duration_seconds = ParseDurationSeconds(v);
         return f.duration_seconds.has_value();
       }},
      {"--requests",
       [](auto& v, auto& f) {
         size_t n = 0;
         if (!ParsePositive(v, n)) return false;
         f.requests = n;
         return true;
       }},
      {"--warmup",
       [](auto& v, auto& f) {
         if (v == "0" || v == "0s") {
           f.warmup_seconds = 0;
           return true;
         }
         auto s = ParseDurationSeconds(v);
         if (s) f.warmup_seconds = *s;
         return s.has_value();
       }},
      {"--ef", [](auto& v, auto& f) { return ParseU32(v, f.ef, 0); }},
      {"--k",
       [](auto& v, auto& f) { return ParseU32(v, f.k, 1) && f.k <= 1000; }},
      {"--deadline",
       [](auto& v, auto& f) {
         auto s = ParseDurationSeconds(v);
         if (s) f.deadline_seconds = *s;
         return s.has_value();
       }},
      {"--late-ms",
       [](auto& v, auto& f) { return ParsePositiveDouble(v, f.late_ms); }},
      {"--soak", [](auto& v, auto& f) { f.soak = true; return v.empty(); }},
      {"--sample-every",
       [](auto& v, auto& f) {
         auto s = ParseDurationSeconds(v);
         if (s) f.sample_every_seconds = *s;
         return s.has_value();
       }},
      {"--grow-percent-per-hour",
       [](auto& v, auto& f) {
         return ParsePositiveDouble(v, f.grow_percent_per_hour);
       }},
      {"--json-out",
       [](auto& v, auto& f) { f.json_out = v; return !v.empty(); }},
      {"--max-error-rate",
       [](auto& v, auto& f) {
         double rate = 0;
         if (!absl::SimpleAtod(v, &rate) || rate < 0 || rate > 1) return false;
         f.max_error_rate = rate;
         return true;
       }},
      {"--data-dir",
       [](auto& v, auto& f) { f.data_dir = v; return !v.empty(); }},
      {"--cache-dir",
       [](auto& v, auto& f) { f.cache_dir = v; return !v.empty(); }},
  };
  return *handlers;
}

// Checks between flags, after all are parsed.
absl::Status CheckCombination(const LoadFlags& f) {
  if (f.server.empty() == f.spawn_server.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of --server=host:port and --spawn-server=PATH");
  }
  if (!f.spawn_flags.empty() && f.spawn_server.empty()) {
    return absl::InvalidArgumentError("--spawn-flag needs --spawn-server");
  }
  if (f.server_pid && !f.spawn_server.empty()) {
    return absl::InvalidArgumentError(
        "--server-pid is for an external --server; a spawned server's pid "
        "is known");
  }
  if (f.mode == LoadMode::kRate && f.rate < 1e-3) {
    return absl::InvalidArgumentError(
        "--mode=rate needs --rate=R (R >= 0.001 requests/s)");
  }
  if (f.mode == LoadMode::kClosed && f.rate > 0) {
    return absl::InvalidArgumentError("--rate needs --mode=rate");
  }
  if (f.soak && f.spawn_server.empty() && !f.server_pid) {
    return absl::InvalidArgumentError(
        "--soak samples the server process: use --spawn-server or give "
        "--server-pid");
  }
  if (f.soak && f.clients.size() > 1) {
    return absl::InvalidArgumentError(
        "--soak judges growth over one run: give one --clients value");
  }
  if (f.upsert_noise && f.upsert_vectors != UpsertVectors::kNew) {
    return absl::InvalidArgumentError(
        "--upsert-noise needs --upsert-vectors=new");
  }
  if (f.reuse && f.drop_existing) {
    return absl::InvalidArgumentError(
        "--reuse and --drop-existing contradict each other");
  }
  return absl::OkStatus();
}

}  // namespace

const char* UpsertVectorsName(UpsertVectors v) {
  return v == UpsertVectors::kNew ? "new" : "same";
}

std::optional<double> ParseDurationSeconds(std::string_view text) {
  absl::string_view rest = View(text);
  double scale = 1;
  if (absl::ConsumeSuffix(&rest, "ms")) {
    scale = 1e-3;
  } else if (absl::ConsumeSuffix(&rest, "s")) {
    scale = 1;
  } else if (absl::ConsumeSuffix(&rest, "m")) {
    scale = 60;
  } else if (absl::ConsumeSuffix(&rest, "h")) {
    scale = 3600;
  }
  double value = 0;
  if (!absl::SimpleAtod(rest, &value) || !(value > 0)) return std::nullopt;
  // At most a year, at least a millisecond: clock arithmetic stays in
  // range and a sampling loop never spins.
  const double seconds = value * scale;
  if (!(seconds <= 365.0 * 24 * 3600) || seconds < 1e-3) return std::nullopt;
  return seconds;
}

std::optional<std::vector<size_t>> ParseCountList(std::string_view text) {
  std::vector<size_t> counts;
  for (absl::string_view part : absl::StrSplit(View(text), ',')) {
    size_t n = 0;
    if (!absl::SimpleAtoi(part, &n) || n == 0) return std::nullopt;
    counts.push_back(n);
  }
  return counts;
}

absl::StatusOr<LoadFlags> ParseLoadFlags(const std::vector<std::string>& args,
                                         LoadFlags defaults) {
  LoadFlags flags = std::move(defaults);
  flags.mix = *ParseMix("query:100");
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value =
        eq == std::string::npos ? "" : arg.substr(eq + 1);
    auto it = Handlers().find(name);
    if (it == Handlers().end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    }
    if (!it->second(value, flags)) {
      if (name == "--mix") {
        auto mix = ParseMix(value);
        return absl::InvalidArgumentError(
            absl::StrCat("--mix: ", mix.status().message()));
      }
      return absl::InvalidArgumentError(absl::StrCat("bad value: ", arg));
    }
  }
  if (!flags.duration_seconds && !flags.requests) flags.duration_seconds = 10;
  if (absl::Status s = CheckCombination(flags); !s.ok()) return s;
  if (flags.upsert_vectors == UpsertVectors::kNew && !flags.upsert_noise) {
    flags.upsert_noise = 0.01;
  }
  return flags;
}

}  // namespace vecdb::bench::load
