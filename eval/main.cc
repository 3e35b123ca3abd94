// vecdb-eval: retrieval quality of a collection through Retrieve, with
// gates for CI. See `vecdb-eval --help` (eval/eval_flags.cc) and
// docs/eval.md. Exit codes: 0 every gate passed, 1 a gate failed, 2 usage
// or run error.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "eval/eval_flags.h"
#include "eval/eval_run.h"
#include "eval/report_html.h"
#include "eval/report_json.h"
#include "eval/report_text.h"

namespace {

constexpr int kGateFailed = 1;
constexpr int kError = 2;

int Fail(const absl::Status& status) {
  std::cerr << "vecdb-eval: error: " << status.message() << "\n";
  return kError;
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vecdb::eval;
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<EvalConfig> config = ParseEvalFlags(args);
  if (!config.ok()) return Fail(config.status());
  if (config->help) {
    std::cout << EvalUsage();
    return 0;
  }
  absl::StatusOr<EvalRunResult> result = RunEvaluation(*config, &std::cerr);
  if (!result.ok()) return Fail(result.status());

  if (!config->json_out.empty()) {
    // Ids and text from the input files may hold invalid UTF-8.
    const std::string json = EvalRunJson(*result).dump(
        2, ' ', false, nlohmann::json::error_handler_t::replace);
    const absl::Status written = WriteFile(config->json_out, json + "\n");
    if (!written.ok()) return Fail(written);
  }
  if (!config->html_out.empty()) {
    const absl::Status written =
        WriteFile(config->html_out, RenderHtmlReport(*result));
    if (!written.ok()) return Fail(written);
  }
  std::cout << GateLines(*result) << SummaryTable(*result) << std::flush;
  if (!result->AllGatesPass()) {
    std::cerr << "vecdb-eval: a gate failed\n";
    return kGateFailed;
  }
  return 0;
}
