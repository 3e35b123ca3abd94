// The parts of vecdb_ann_bench's report that can be wrong without failing
// loudly: the "QPS at recall" reading and the SVG chart writer.
#include "benchmarks/ann_report.h"

#include <string>
#include <vector>

#include "benchmarks/ann_result.h"
#include "benchmarks/svg_plot.h"
#include "catch2/catch.hpp"

namespace vecdb::bench {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

std::vector<AnnPoint> Curve() {
  // Not monotone on purpose: a noisy point with more recall and more QPS.
  return {{.param = 10, .recall = 0.80, .qps = 9000},
          {.param = 20, .recall = 0.91, .qps = 6000},
          {.param = 40, .recall = 0.93, .qps = 6500},
          {.param = 80, .recall = 0.97, .qps = 3000},
          {.param = 160, .recall = 0.99, .qps = 1500}};
}

TEST_CASE("QPS at recall is the fastest point reaching it", "[ann]") {
  const std::vector<AnnPoint> curve = Curve();
  CHECK(QpsAtRecall(curve, 0.90) == 6500);
  CHECK(QpsAtRecall(curve, 0.95) == 3000);
  // Exactly at the threshold counts.
  CHECK(QpsAtRecall(curve, 0.99) == 1500);
  CHECK(QpsAtRecall(curve, 0.995) == 0);
  CHECK(QpsAtRecall({}, 0.5) == 0);
}

TEST_CASE("the table shows '-' where no point reaches a threshold", "[ann]") {
  AnnDatasetReport rep;
  rep.name = "toy";
  AnnResult& r = rep.results.emplace_back();
  r.system = "hnswlib";
  r.build = "M=16,efC=200";
  r.curve = {{.param = 10, .recall = 0.92, .qps = 5000}};
  AnnResult& missing = rep.results.emplace_back();
  missing.system = "faiss-ivf";
  missing.error = "not built: FAISS";
  const std::string table = FormatAnnTable(rep);
  CHECK(table.find("|      5000 |         - |         - |") !=
        std::string::npos);
  CHECK(table.find("not built: FAISS") != std::string::npos);
  CHECK(NotBuilt(missing));
  CHECK_FALSE(NotBuilt(r));
}

TEST_CASE("XML special characters are escaped", "[svg]") {
  CHECK(EscapeXml("a<b & \"c\" > 'd'") ==
        "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;");
}

TEST_CASE("linear ticks are round and cover the range", "[svg]") {
  CHECK(LinearTicks(0.5, 1.0, 6) ==
        std::vector<double>{0.5, 0.6, 0.7, 0.8, 0.9, 1.0});
  const std::vector<double> t = LinearTicks(3, 97, 5);
  CHECK(t.front() <= 3);
  CHECK(t.back() >= 97);
  // A step of 20 would need 6 ticks; 50 is the next round step.
  CHECK(t == std::vector<double>{0, 50, 100});
  CHECK(LinearTicks(0, 1000, 11) == std::vector<double>{0, 100, 200, 300, 400,
                                                        500, 600, 700, 800, 900,
                                                        1000});
}

TEST_CASE("log ticks add 2x and 5x only on short ranges", "[svg]") {
  CHECK(LogTicks(100, 10000) ==
        std::vector<double>{100, 200, 500, 1000, 2000, 5000, 10000});
  CHECK(LogTicks(1, 1e4) == std::vector<double>{1, 10, 100, 1000, 10000});
  CHECK(LogTicks(0, 10).empty());
}

TEST_CASE("the chart has a line per series, escaped text, no NaN", "[svg]") {
  PlotOptions opt;
  opt.title = "data <set> & co";
  opt.x_label = "recall@10";
  opt.y_label = "QPS";
  opt.x_min = 0.5;
  opt.x_max = 1.0;
  std::vector<PlotSeries> series = {
      {"a<b", {0.6, 0.8, 0.95}, {10000, 5000, 1000}},
      {"second", {0.4, 0.7, 0.9}, {8000, 0, 2000}},
  };
  const std::string svg = RenderLinePlot(opt, series);
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(Count(svg, "<polyline") == 2);
  CHECK(svg.find("data &lt;set&gt; &amp; co") != std::string::npos);
  CHECK(svg.find("a&lt;b") != std::string::npos);
  CHECK(svg.find("a<b") == std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  // Markers: 3 of the first series; the second loses recall 0.4 (left of
  // the x range) and QPS 0 (not on a log axis); plus one per legend entry.
  CHECK(Count(svg, "<circle") == 3 + 1 + 2);
}

TEST_CASE("the ANN chart names every configuration and the data set", "[svg]") {
  AnnDatasetReport rep;
  rep.name = "sift5k";
  rep.points = 4000;
  rep.dim = 128;
  rep.queries = 1000;
  for (const char* system : {"hnswlib", "faiss-ivf"}) {
    AnnResult& r = rep.results.emplace_back();
    r.system = system;
    r.build = "cfg";
    r.curve = Curve();
  }
  const std::string svg = AnnPlotSvg(rep);
  CHECK(svg.find("hnswlib cfg") != std::string::npos);
  CHECK(svg.find("faiss-ivf cfg") != std::string::npos);
  CHECK(svg.find("n = 4000, dim = 128, 1000 queries") != std::string::npos);
  CHECK(Count(svg, "<polyline") == 2);
}

}  // namespace
}  // namespace vecdb::bench
