#include "benchmarks/report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vecdb::bench {
namespace {

bool Usable(const SystemResult& r) { return r.error.empty() && r.points > 0; }

Ratio MakeRatio(std::string name, double num, double den, double target,
                bool at_least, std::string formula) {
  Ratio r;
  r.name = std::move(name);
  r.value = den > 0 ? num / den : 0;
  r.target = target;
  r.at_least = at_least;
  r.met = at_least ? r.value >= target : r.value <= target;
  r.formula = std::move(formula);
  return r;
}

std::string Row(const std::string& label, const SystemResult& r,
                const std::string& qps1, const std::string& qps2) {
  if (!r.error.empty()) {
    return absl::StrFormat("| %-34s | %s |\n", label, r.error);
  }
  return absl::StrFormat(
      "| %-34s | %9.0f | %9s | %9s | %7.3f | %7.3f | %6.4f | %7.3f | %7.1f |\n",
      label, r.insert_pts_per_s, qps1, qps2, r.p50_ms, r.p99_ms, r.recall,
      r.restart_s, r.rss_mb);
}

std::string Qps(double qps) { return absl::StrFormat("%.0f", qps); }

}  // namespace

std::vector<Ratio> ComputeRatios(const DatasetReport& rep) {
  std::vector<Ratio> out;
  const SystemResult& raw = rep.raw;
  const SystemResult& emb = rep.embedded;
  if (!Usable(raw)) return out;
  if (Usable(emb)) {
    out.push_back(MakeRatio("embedded QPS / raw QPS (1 thread)", emb.qps_1thr,
                            raw.qps_1thr, 0.9, true,
                            "embedded.qps_1thr / raw.qps_1thr, same ef"));
    out.push_back(MakeRatio(
        absl::StrCat("embedded QPS / raw QPS (", raw.multi_threads,
                     " threads)"),
        emb.qps_multi, raw.qps_multi, 0.9, true,
        "embedded.qps_multi / raw.qps_multi, same ef"));
    out.push_back(MakeRatio("engine durable insert / raw build",
                            emb.insert_pts_per_s, raw.insert_pts_per_s, 0.7,
                            true,
                            "embedded pts/s (sync upserts of 1000) / raw "
                            "addPoint pts/s, same threads"));
    out.push_back(MakeRatio("engine restart / hnswlib loadIndex",
                            emb.restart_s, raw.restart_s, 3, false,
                            "Engine::Open after Close / loadIndex"));
    out.push_back(MakeRatio("engine RSS / hnswlib RSS", emb.rss_mb,
                            raw.rss_mb, 1.5, false,
                            "RSS growth while building, each in its own "
                            "process"));
  }
  if (Usable(rep.grpc)) {
    double best = 0;
    for (const GrpcRun& run : rep.grpc.grpc_runs) {
      if (run.batch > 1 && run.failed_requests == 0) {
        best = std::max(best, run.qps);
      }
    }
    out.push_back(MakeRatio(
        absl::StrCat("gRPC QPS / raw QPS (", raw.multi_threads, " threads)"),
        best, raw.qps_multi, 0.5, true,
        "best batched gRPC run (query vectors/s) / raw.qps_multi"));
  }
  return out;
}

std::string FormatReport(const DatasetReport& rep) {
  const SystemResult& raw = rep.raw;
  std::string out = absl::StrFormat(
      "\n== %s: %d points x %d dims, %d queries, k=10, ef=%d "
      "(smallest swept ef with raw recall >= target) ==\n",
      rep.name, rep.points, rep.dim, rep.queries, raw.ef);
  absl::StrAppend(
      &out,
      "| system                             | insert/s  | QPS 1 thr | QPS 2 "
      "thr | p50 ms  | p99 ms  | rec@10 | restart | RSS MB  |\n"
      "|------------------------------------|-----------|-----------|--------"
      "---|---------|---------|--------|---------|---------|\n");
  absl::StrAppend(
      &out,
      Row(absl::StrFormat("raw hnswlib (build %d thr)", raw.insert_threads),
          raw, Qps(raw.qps_1thr), Qps(raw.qps_multi)));
  const SystemResult& emb = rep.embedded;
  absl::StrAppend(
      &out,
      Row(absl::StrFormat("vecdb embedded (insert %d thr)",
                          emb.insert_threads),
          emb, Qps(emb.qps_1thr), Qps(emb.qps_multi)));
  const SystemResult& grpc = rep.grpc;
  if (!grpc.error.empty()) {
    absl::StrAppend(&out, Row("vecdb gRPC", grpc, "", ""));
  } else {
    std::vector<size_t> batches;
    for (const GrpcRun& run : grpc.grpc_runs) {
      if (std::find(batches.begin(), batches.end(), run.batch) ==
          batches.end()) {
        batches.push_back(run.batch);
      }
    }
    for (size_t batch : batches) {
      std::string q1, q2;
      double p50 = 0, p99 = 0, recall = 0;
      for (const GrpcRun& run : grpc.grpc_runs) {
        if (run.batch != batch) continue;
        if (run.clients == 1) {
          q1 = Qps(run.qps);
          p50 = run.p50_ms;
          p99 = run.p99_ms;
          recall = run.recall;
        }
        if (run.clients == grpc.multi_threads) q2 = Qps(run.qps);
      }
      SystemResult row = grpc;
      row.p50_ms = p50;
      row.p99_ms = p99;
      row.recall = recall;
      absl::StrAppend(&out, Row(absl::StrFormat("vecdb gRPC %d q/req (clients)",
                                                batch),
                                row, q1, q2));
    }
  }
  absl::StrAppend(
      &out,
      "p50/p99: one call in the 1-thread run (gRPC: one request of the "
      "stated size). restart: raw loadIndex, engine Engine::Open after "
      "Close, gRPC engine open + server start + first reply.\n");
  absl::StrAppendFormat(
      &out,
      "close/save s: raw saveIndex %.3f, embedded Close %.3f, gRPC "
      "shutdown+Close %.3f; recall after restart: raw %.4f, embedded %.4f, "
      "gRPC %.4f\n",
      raw.save_s, emb.save_s, grpc.save_s, raw.recall_after_restart,
      emb.recall_after_restart, grpc.recall_after_restart);
  absl::StrAppendFormat(
      &out,
      "index memory (own accounting): hnswlib layout %.1f MB, engine index "
      "MemoryBytes %.1f MB\n",
      raw.index_model_mb, emb.index_model_mb);
  if (grpc.error.empty() && !grpc.grpc_runs.empty()) {
    absl::StrAppend(&out, "gRPC runs (QPS = query vectors/s; latency per "
                          "request):\n");
    for (const GrpcRun& run : grpc.grpc_runs) {
      absl::StrAppendFormat(&out,
                            "  %d clients x %2d q/req: %8.0f QPS  p50 %7.3f "
                            "ms  p99 %7.3f ms  recall %.4f",
                            run.clients, run.batch, run.qps, run.p50_ms,
                            run.p99_ms, run.recall);
      if (run.failed_requests > 0) {
        absl::StrAppendFormat(&out, "  FAILED requests: %d (%s)",
                              run.failed_requests, run.first_error);
      }
      absl::StrAppend(&out, "\n");
    }
  }
  absl::StrAppend(&out, "ef sweep on raw hnswlib (1 thread):");
  for (const SweepPoint& p : raw.sweep) {
    absl::StrAppendFormat(&out, " ef=%d:%.4f", p.ef, p.recall);
  }
  absl::StrAppend(&out, "\nratios:\n");
  for (const Ratio& r : ComputeRatios(rep)) {
    absl::StrAppendFormat(&out, "  %-40s %6.3f  (target %s %.2f)  %s\n",
                          r.name, r.value, r.at_least ? ">=" : "<=",
                          r.target, r.met ? "met" : "MISSED");
  }
  return out;
}

nlohmann::json ToJson(const DatasetReport& rep) {
  nlohmann::json j;
  j["dataset"] = rep.name;
  j["points"] = rep.points;
  j["dim"] = rep.dim;
  j["queries"] = rep.queries;
  j["systems"] = {rep.raw, rep.embedded, rep.grpc};
  j["ratios"] = ComputeRatios(rep);
  return j;
}

}  // namespace vecdb::bench
