// Small inline SVG charts for the self-contained HTML report: a grouped
// bar chart and a histogram. Every text taken from data is escaped; the
// only URL in the output is the SVG namespace.
//
//   std::string svg = GroupedBarsSvg({.title = "Quality per mode",
//       .groups = {"nDCG@10", "MAP"},
//       .series = {{"dense", {0.64, 0.51}}, {"hybrid", {0.70, 0.58}}}});
//
// Thread safety: stateless free functions.
#ifndef VECDB_EVAL_SVG_H_
#define VECDB_EVAL_SVG_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/xml_escape.h"  // EscapeXml for report text

namespace vecdb::eval {


// The fill colour of series `index` (a fixed palette, repeating).
std::string_view SeriesColor(size_t index);

struct BarSeries {
  std::string name;
  // One value per group; missing values are drawn as 0.
  std::vector<double> values;
};

struct GroupedBarChart {
  std::string title;
  // Groups along the x axis, each with one bar per series.
  std::vector<std::string> groups;
  std::vector<BarSeries> series;
  // Top of the y axis; 0 = the largest value (1 when all are 0).
  double y_max = 0;
};

std::string GroupedBarsSvg(const GroupedBarChart& chart);

struct Histogram {
  std::string title;
  std::vector<double> values;
  // Range of the bins; hi <= lo = the values' own range.
  double lo = 0;
  double hi = 0;
  // Default: 20.
  size_t bins = 20;
  // Label of the x axis, e.g. "ms".
  std::string unit;
  std::string color = "#4e79a7";
};

std::string HistogramSvg(const Histogram& histogram);

}  // namespace vecdb::eval

#endif  // VECDB_EVAL_SVG_H_
