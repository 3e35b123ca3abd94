#include "benchmarks/writer_report.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

namespace vecdb::bench {
namespace {

// A phase of `seconds` whose queries all took `query_ms` (and whose writer,
// when `batch` > 0, wrote `points` points in calls of `batch_ms`).
PhaseResult Phase(const char* name, size_t batch, double query_ms,
                  uint64_t points = 0, double batch_ms = 0) {
  PhaseResult p;
  p.spec = {name, "label", batch};
  p.seconds = 2;
  for (int i = 0; i < 100; ++i) {
    p.query.latency.Record(static_cast<int64_t>(query_ms * 1e6));
    ++p.query.ok;
  }
  if (batch > 0) {
    for (uint64_t i = 0; i < points / batch; ++i) {
      p.writer.latency.Record(static_cast<int64_t>(batch_ms * 1e6));
      ++p.writer.ok;
    }
    p.points_replaced = points;
  }
  return p;
}

std::string Printed(const std::vector<PhaseResult>& phases) {
  std::FILE* f = std::tmpfile();
  PrintPhases(phases, f);
  std::rewind(f);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof(buffer), f) != nullptr) text += buffer;
  std::fclose(f);
  return text;
}

TEST_CASE("Query p99 ratios and the writer target", "[writer][report]") {
  const std::vector<PhaseResult> phases = {Phase("a", 0, 1.0),
                                           Phase("b", 1, 1.5, 400, 5.0),
                                           Phase("c", 100, 3.0, 6000, 20.0)};
  CHECK(QueryP99Ratio(phases[1], phases[0]) == Approx(1.5).epsilon(0.01));
  CHECK(QueryP99Ratio(phases[2], phases[0]) == Approx(3.0).epsilon(0.01));
  CHECK(QueryP99Ratio(phases[0], PhaseResult()) == 0);

  const nlohmann::json summary = SummaryJson(phases);
  CHECK(summary["query_p99_b_over_a"].get<double>() ==
        Approx(1.5).epsilon(0.01));
  CHECK(summary["batch100_points_per_second"] == 3000);
  CHECK(summary["targets"]["max_query_p99_ratio"] == 2.0);
  CHECK(summary["targets"]["min_batch100_points_per_second"] == 2000);
  CHECK(summary["met"]["query_p99_b_over_a"] == true);
  CHECK(summary["met"]["query_p99_c_over_a"] == false);
  CHECK(summary["met"]["batch100_points_per_second"] == true);

  const std::string text = Printed(phases);
  CHECK(text.find("query p99 b/a (writer batch 1):     1.50  (target <= "
                  "2.0: PASS)") != std::string::npos);
  CHECK(text.find("(target <= 2.0: FAIL)") != std::string::npos);
  CHECK(text.find("writer batch 100: 3000 points/s  (target >= 2000: PASS)") !=
        std::string::npos);

  // Without the three phases there is nothing to compare.
  CHECK(SummaryJson({phases[0]}).is_null());
}

TEST_CASE("Phase JSON", "[writer][report]") {
  PhaseResult a = Phase("a", 0, 2.0);
  a.query.errors["UNAVAILABLE"] = 2;
  a.short_answers = 1;
  const nlohmann::json ja = PhaseJson(a);
  CHECK(ja["name"] == "a");
  CHECK(ja["writer_batch"] == 0);
  CHECK(ja["writer"].is_null());
  CHECK(ja["query"]["ok"] == 100);
  CHECK(ja["query"]["qps"] == 50);
  CHECK(ja["query"]["short_answers"] == 1);
  CHECK(ja["query"]["errors"]["UNAVAILABLE"] == 2);
  CHECK(ja["query"]["latency_ms"]["p99"].get<double>() ==
        Approx(2.0).epsilon(0.01));

  const nlohmann::json jc = PhaseJson(Phase("c", 100, 1.0, 1000, 30.0));
  CHECK(jc["writer"]["batch"] == 100);
  CHECK(jc["writer"]["requests_ok"] == 10);
  CHECK(jc["writer"]["points_replaced"] == 1000);
  CHECK(jc["writer"]["points_per_second"] == 500);
  CHECK(jc["writer"]["batch_latency_ms"]["p50"].get<double>() ==
        Approx(30.0).epsilon(0.01));
}

}  // namespace
}  // namespace vecdb::bench
