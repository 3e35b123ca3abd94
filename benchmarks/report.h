// Turns the measurements of one data set into the printed table, the
// product ratios (each against its target) and the JSON document.
#ifndef VECDB_BENCHMARKS_REPORT_H_
#define VECDB_BENCHMARKS_REPORT_H_

#include <string>
#include <vector>

#include "benchmarks/system_result.h"
#include "nlohmann/json.hpp"

namespace vecdb::bench {

struct DatasetReport {
  std::string name;
  size_t points = 0;
  size_t dim = 0;
  size_t queries = 0;
  SystemResult raw;
  SystemResult embedded;
  SystemResult grpc;
};

struct Ratio {
  std::string name;
  double value = 0;
  // value must be >= target (at_least) or <= target.
  double target = 0;
  bool at_least = true;
  bool met = false;
  std::string formula;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Ratio, name, value, target,
                                                at_least, met, formula)

// The ratios the product requires; a ratio whose inputs are missing (a
// system failed) is left out.
std::vector<Ratio> ComputeRatios(const DatasetReport& report);

// The table, the gRPC runs, the ef sweep and the ratios, as text.
std::string FormatReport(const DatasetReport& report);

nlohmann::json ToJson(const DatasetReport& report);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_REPORT_H_
