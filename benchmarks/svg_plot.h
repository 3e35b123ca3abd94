// A self-contained SVG line chart (no libraries): one polyline with a
// marker per point for each series, a legend, axis ticks and labels, a
// linear x axis and a linear or logarithmic y axis. Used for the ANN
// benchmark's recall/QPS curves.
//
// Example:
//   PlotOptions opt;
//   opt.title = "sift5k";
//   opt.x_label = "recall@10";
//   opt.y_label = "queries per second";
//   std::string svg = RenderLinePlot(opt, {{"hnswlib", {0.9, 0.99},
//                                           {20000, 8000}}});
//
// Thread safety: free functions only.
#ifndef VECDB_BENCHMARKS_SVG_PLOT_H_
#define VECDB_BENCHMARKS_SVG_PLOT_H_

#include <string>
#include <vector>

#include "common/xml_escape.h"  // EscapeXml for chart text

namespace vecdb::bench {

struct PlotSeries {
  std::string label;
  // Same length; points are drawn in this order.
  std::vector<double> x;
  std::vector<double> y;
};

struct PlotOptions {
  std::string title;
  // A second, smaller title line. Default: none.
  std::string subtitle;
  std::string x_label;
  std::string y_label;
  // x range; when x_min >= x_max the range is taken from the data.
  // Points outside it are not drawn. Default: from the data.
  double x_min = 0;
  double x_max = 0;
  // Logarithmic y axis; points with y <= 0 are then not drawn.
  // Default: true.
  bool log_y = true;
  int width = 960;
  int height = 600;
};

// The chart as a complete SVG document. Every text is XML-escaped.
std::string RenderLinePlot(const PlotOptions& options,
                           const std::vector<PlotSeries>& series);


// Round tick values covering [lo, hi] on a linear axis: steps of 1, 2 or
// 5 times a power of ten, at most about `max_ticks` of them, ascending.
std::vector<double> LinearTicks(double lo, double hi, int max_ticks);

// Tick values for a log axis over [lo, hi] (lo > 0): each power of ten in
// range, plus 2x and 5x when the range spans fewer than three decades.
std::vector<double> LogTicks(double lo, double hi);

}  // namespace vecdb::bench

#endif  // VECDB_BENCHMARKS_SVG_PLOT_H_
