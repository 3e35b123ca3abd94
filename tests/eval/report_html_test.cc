// The HTML report and its SVG charts: self-contained, balanced <svg>
// elements, every text from data escaped.
#include "eval/report_html.h"

#include <catch2/catch.hpp>
#include <string>

#include "eval/report_json.h"
#include "eval/svg.h"

namespace vecdb::eval {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++count;
  }
  return count;
}

EvalRunResult SampleRun() {
  EvalRunResult result;
  result.info = {.collection = "docs<&>",
                 .queries_path = "q.jsonl",
                 .qrels_path = "r.jsonl",
                 .server = "private",
                 .chunks = 50,
                 .k = 5,
                 .cutoffs = {5, 10}};
  result.queries = {{.id = "q<1>", .text = "cats & <dogs> \"quoted\""},
                    {.id = "q2", .text = "skipped query"}};
  for (auto mode :
       {client::RetrieveMode::kDense, client::RetrieveMode::kText}) {
    EvalReport report;
    report.mode = mode;
    report.queries = 1;
    report.skipped = 1;
    report.at[5] = {.ndcg = 0.5, .recall = 0.4, .precision = 0.2};
    report.at[10] = {.ndcg = 0.625, .recall = 0.8, .precision = 0.1};
    report.ndcg_at_k = 0.5;
    report.latency_max_ms = mode == client::RetrieveMode::kDense ? 3.5 : 1.5;
    QueryScore score{.query_id = "q<1>",
                     .average_precision = 0.75,
                     .latency_ms = report.latency_max_ms,
                     .relevant = 2};
    score.at = report.at;
    report.per_query.push_back(score);
    result.reports.push_back(report);
  }
  result.gates = {{.gate = "ndcg@10>=0.6 & <x>",
                   .mode = "dense",
                   .metric = "ndcg@10",
                   .op = ">=",
                   .threshold = 0.6,
                   .actual = 0.625,
                   .pass = true},
                  {.gate = "map>0.9",
                   .mode = "text",
                   .metric = "map",
                   .op = ">",
                   .threshold = 0.9,
                   .actual = 0,
                   .pass = false}};
  return result;
}

TEST_CASE("HTML report is self-contained with balanced SVG", "[eval][html]") {
  const std::string html = RenderHtmlReport(SampleRun());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("</html>") != std::string::npos);
  // Two measure charts and one latency histogram per mode.
  CHECK(Count(html, "<svg") == 4);
  CHECK(Count(html, "</svg>") == 4);
  // The only URL is the SVG namespace.
  CHECK(Count(html, "http://") == Count(html, "http://www.w3.org/2000/svg"));
  CHECK(Count(html, "https://") == 0);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("HTML report escapes every text from data", "[eval][html]") {
  const std::string html = RenderHtmlReport(SampleRun());
  CHECK(html.find("cats &amp; &lt;dogs&gt; &quot;quoted&quot;") !=
        std::string::npos);
  CHECK(html.find("<dogs>") == std::string::npos);
  CHECK(html.find("q&lt;1&gt;") != std::string::npos);
  CHECK(html.find("<1>") == std::string::npos);
  CHECK(html.find("docs&lt;&amp;&gt;") != std::string::npos);
  CHECK(html.find("ndcg@10&gt;=0.6 &amp; &lt;x&gt;") != std::string::npos);
  // The skipped query has no row; the evaluated one has its score per mode.
  CHECK(html.find("skipped query") == std::string::npos);
  CHECK(Count(html, ">0.625</td>") == 2);
  CHECK(html.find("class=\"fail\">FAIL") != std::string::npos);
}

TEST_CASE("SVG helpers escape and bin", "[eval][html]") {
  CHECK(EscapeXml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  const std::string histogram = HistogramSvg({.title = "t<",
                                              .values = {0, 1, 1, 9.99, 10, 42},
                                              .lo = 0,
                                              .hi = 10,
                                              .bins = 10,
                                              .unit = "ms"});
  // One bar per bin, each with a tooltip of its range and count.
  CHECK(Count(histogram, "<rect") == 10);
  CHECK(histogram.find("<title>t&lt;</title>") != std::string::npos);
  CHECK(histogram.find("0-1 ms: 1<") != std::string::npos);
  CHECK(histogram.find("1-2 ms: 2<") != std::string::npos);
  // 9.99, 10 and 42 (clamped) in the last bin.
  CHECK(histogram.find("9-10 ms: 3<") != std::string::npos);
  const std::string bars =
      GroupedBarsSvg({.title = "m",
                      .groups = {"g1", "g2"},
                      .series = {{"a", {0.5, 1.0}}, {"b", {0.25}}}});
  // 4 bars and 2 legend swatches.
  CHECK(Count(bars, "<rect") == 6);
  CHECK(bars.find("b g2: 0.0000") != std::string::npos);
}

TEST_CASE("JSON document has every mode, per-query rows and gates",
          "[eval][html]") {
  const nlohmann::json json = EvalRunJson(SampleRun());
  REQUIRE(json["modes"].size() == 2);
  CHECK(json["modes"][0]["mode"] == "dense");
  CHECK(json["modes"][0]["at"]["10"]["ndcg"] == 0.625);
  CHECK(json["modes"][0]["per_query"][0]["query_id"] == "q<1>");
  CHECK(json["modes"][1]["latency_ms"]["max"] == 1.5);
  CHECK(json["gates"].size() == 2);
  CHECK(json["pass"] == false);
  CHECK(json["config"]["cutoffs"] == nlohmann::json::array({5, 10}));
}

}  // namespace
}  // namespace vecdb::eval
