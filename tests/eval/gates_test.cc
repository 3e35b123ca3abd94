#include "eval/gates.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "eval/eval_flags.h"

namespace vecdb::eval {
namespace {

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST_CASE("Gates parse mode, metric, cutoff, comparison and value",
          "[eval][gates]") {
  auto gate = ParseGate(" hybrid : nDCG@10 >= 0.6 ");
  REQUIRE(gate.ok());
  CHECK(gate->text == "hybrid : nDCG@10 >= 0.6");
  CHECK(gate->mode == "hybrid");
  CHECK(gate->metric == GateMetric::kNdcg);
  CHECK(gate->k == 10);
  CHECK(gate->op == GateOp::kGreaterEqual);
  CHECK(gate->threshold == 0.6);
  CHECK(GateMetricName(*gate) == "ndcg@10");

  auto latency = ParseGate("latency_p99<=50");
  REQUIRE(latency.ok());
  CHECK(latency->mode.empty());
  CHECK(latency->metric == GateMetric::kLatencyP99);
  CHECK(latency->k == 0);
  CHECK(latency->op == GateOp::kLessEqual);
  CHECK(ParseGate("map>0.25")->op == GateOp::kGreater);
  CHECK(ParseGate("text:mrr<1")->op == GateOp::kLess);
  CHECK(ParseGate("precision@5>=.2")->threshold == 0.2);
}

TEST_CASE("Bad gates are InvalidArgument naming the gate", "[eval][gates]") {
  const std::pair<std::string, std::string> cases[] = {
      {"ndcg@10", "no comparison"},
      {"ndcg@10=0.5", "bad comparison"},
      {"ndcg@10=>0.5", "bad comparison"},
      {">=0.5", "no metric"},
      {"f1@10>=0.5", "unknown metric \"f1\""},
      {"ndcg>=0.5", "needs @K"},
      {"map@10>=0.5", "takes no @K"},
      {"ndcg@0>=0.5", "not a positive integer"},
      {"ndcg@x>=0.5", "not a positive integer"},
      {"ndcg@10>=high", "not a number"},
      {"ndcg@10>=", "not a number"},
      {"sparse:ndcg@10>=0.5", "unknown mode"},
  };
  for (const auto& [text, what] : cases) {
    auto gate = ParseGate(text);
    INFO(text);
    REQUIRE(gate.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(Message(gate.status()).find("gate '" + text + "'") !=
          std::string::npos);
    CHECK(Message(gate.status()).find(what) != std::string::npos);
  }
}

TEST_CASE("CheckGate rejects a cutoff or mode the run lacks", "[eval][gates]") {
  const std::vector<size_t> cutoffs = {1, 5, 10};
  const std::vector<std::string> modes = {"dense", "text"};
  CHECK(CheckGate(*ParseGate("recall@5>=0.1"), cutoffs, modes).ok());
  CHECK(CheckGate(*ParseGate("mrr>=0.1"), cutoffs, modes).ok());
  const absl::Status k = CheckGate(*ParseGate("recall@7>=0.1"), cutoffs, modes);
  CHECK(k.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(k).find("cutoff 7 is not computed") != std::string::npos);
  const absl::Status mode =
      CheckGate(*ParseGate("hybrid:mrr>=0.1"), cutoffs, modes);
  CHECK(mode.code() == absl::StatusCode::kInvalidArgument);
  CHECK(Message(mode).find("mode hybrid is not evaluated") !=
        std::string::npos);
}

EvalReport Report(client::RetrieveMode mode, double ndcg10, double p99) {
  EvalReport report;
  report.mode = mode;
  report.at[10] = {.ndcg = ndcg10, .recall = 0.5, .precision = 0.1};
  report.latency_p99_ms = p99;
  report.map = 0.3;
  return report;
}

TEST_CASE("Unprefixed gates apply to every mode, prefixed to theirs",
          "[eval][gates]") {
  const std::vector<EvalReport> reports = {
      Report(client::RetrieveMode::kDense, 0.60, 3.0),
      Report(client::RetrieveMode::kHybrid, 0.70, 9.0)};
  const std::vector<Gate> gates = {
      *ParseGate("ndcg@10>=0.6"), *ParseGate("ndcg@10>0.6"),
      *ParseGate("hybrid:latency_p99<5"), *ParseGate("map<=0.3")};
  const std::vector<GateResult> results = EvaluateGates(gates, reports);
  REQUIRE(results.size() == 7);
  // >= passes at equality, > does not.
  CHECK(results[0].mode == "dense");
  CHECK(results[0].pass);
  CHECK(results[1].mode == "hybrid");
  CHECK(results[1].pass);
  CHECK_FALSE(results[2].pass);
  CHECK(results[2].actual == 0.60);
  CHECK(results[3].pass);
  CHECK(results[4].mode == "hybrid");
  CHECK(results[4].metric == "latency_p99");
  CHECK_FALSE(results[4].pass);
  CHECK(results[5].pass);
  CHECK(results[6].pass);
}

TEST_CASE("vecdb-eval flags: defaults, lists, and gate checks",
          "[eval][flags]") {
  auto config = ParseEvalFlags(
      {"--collection=c", "--queries", "q.tsv", "--qrels=r", "--server=h:1",
       "--ks=3,20", "--modes=text,hybrid", "--gate", "text:precision@3>=0.1",
       "--ingest-arg=--format=smart"});
  REQUIRE(config.ok());
  CHECK(config->queries_path == "q.tsv");
  CHECK(config->options.chunks == 50);
  CHECK(config->options.k == 10);
  CHECK(Cutoffs(config->options) == std::vector<size_t>{3, 10, 20});
  REQUIRE(config->modes.size() == 2);
  CHECK(config->modes[0] == client::RetrieveMode::kText);
  CHECK(config->ingest_args == std::vector<std::string>{"--format=smart"});
  REQUIRE(config->gates.size() == 1);

  const std::vector<std::string> base = {"--collection=c", "--queries=q",
                                         "--qrels=r"};
  auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), base.begin(), base.end());
    return ParseEvalFlags(extra).status();
  };
  CHECK(Message(with({})).find("--server") != std::string::npos);
  CHECK(with({"--ingest=x"}).ok());
  CHECK(Message(with({"--server=h:1", "--gate=ndcg@5>=0.1", "--ks=1"}))
            .find("cutoff 5 is not computed") != std::string::npos);
  CHECK(Message(with({"--server=h:1", "--gate=ndcg@5>=0.1"})).empty());
  CHECK(Message(with({"--server=h:1", "--gate=bogus"})).find("gate 'bogus'") !=
        std::string::npos);
  CHECK(Message(with({"--server=h:1", "--k=0"})).find("--k:") !=
        std::string::npos);
  CHECK(
      Message(with({"--server=h:1", "--modes=dense,dense"})).find("repeated") !=
      std::string::npos);
  CHECK(Message(with({"--server=h:1", "--colour=red"}))
            .find("unknown flag --colour") != std::string::npos);
  CHECK(Message(with({"--server=h:1", "stray"})).find("unexpected argument") !=
        std::string::npos);
  CHECK(Message(with({"--server"})).find("needs a value") != std::string::npos);
  CHECK(
      Message(
          ParseEvalFlags({"--queries=q", "--qrels=r", "--server=h:1"}).status())
          .find("--collection: required") != std::string::npos);
  CHECK(ParseEvalFlags({"--help"})->help);
}

}  // namespace
}  // namespace vecdb::eval
