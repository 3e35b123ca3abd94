#include "eval/svg.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vecdb::eval {
namespace {

constexpr std::string_view kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f",
                                         "#e15759", "#76b7b2", "#b07aa1"};
constexpr int kMarginLeft = 48;
constexpr int kMarginRight = 12;
constexpr int kMarginTop = 28;
constexpr int kMarginBottom = 44;
constexpr int kPlotHeight = 200;

std::string Number(double value) { return absl::StrFormat("%.3g", value); }

std::string SvgOpen(int width, int height, const std::string& title) {
  return absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
      "font-size=\"11\"><title>%s</title>"
      "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
      width, height, width, height, EscapeXml(title), kMarginLeft,
      EscapeXml(title));
}

// Horizontal grid lines with labels at 0, 1/4 ... of y_max.
std::string YAxis(int plot_width, double y_max) {
  std::string out;
  for (int i = 0; i <= 4; ++i) {
    const double value = y_max * i / 4;
    const int y = kMarginTop + kPlotHeight - kPlotHeight * i / 4;
    absl::StrAppendFormat(
        &out,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
        kMarginLeft, y, kMarginLeft + plot_width, y, kMarginLeft - 4, y + 4,
        Number(value));
  }
  return out;
}

double BarHeight(double value, double y_max) {
  if (!(value > 0) || y_max <= 0) return 0;
  return std::min(value / y_max, 1.0) * kPlotHeight;
}

}  // namespace

std::string_view SeriesColor(size_t index) {
  return kPalette[index % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

std::string GroupedBarsSvg(const GroupedBarChart& chart) {
  constexpr int kBarWidth = 18;
  constexpr int kGroupGap = 16;
  const int bars = static_cast<int>(std::max<size_t>(chart.series.size(), 1));
  const int group_width = bars * kBarWidth + kGroupGap;
  const int plot_width =
      std::max(group_width * static_cast<int>(chart.groups.size()), 120);
  const int legend_height = 16 * static_cast<int>(chart.series.size());
  const int width = kMarginLeft + plot_width + kMarginRight + 90;
  const int height = std::max(kMarginTop + kPlotHeight + kMarginBottom,
                              kMarginTop + legend_height + 8);
  double y_max = chart.y_max;
  if (y_max <= 0) {
    for (const BarSeries& series : chart.series) {
      for (double value : series.values) y_max = std::max(y_max, value);
    }
    if (y_max <= 0) y_max = 1;
  }

  std::string out =
      SvgOpen(width, height, chart.title) + YAxis(plot_width, y_max);
  const int baseline = kMarginTop + kPlotHeight;
  for (size_t g = 0; g < chart.groups.size(); ++g) {
    const int group_x =
        kMarginLeft + static_cast<int>(g) * group_width + kGroupGap / 2;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const BarSeries& series = chart.series[s];
      const double value = g < series.values.size() ? series.values[g] : 0;
      const double h = BarHeight(value, y_max);
      absl::StrAppendFormat(
          &out,
          "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
          "fill=\"%s\"><title>%s %s: %s</title></rect>",
          group_x + static_cast<int>(s) * kBarWidth, baseline - h,
          kBarWidth - 2, h, std::string(SeriesColor(s)), EscapeXml(series.name),
          EscapeXml(chart.groups[g]), absl::StrFormat("%.4f", value));
    }
    absl::StrAppendFormat(
        &out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
        group_x + (bars * kBarWidth) / 2, baseline + 16,
        EscapeXml(chart.groups[g]));
  }
  absl::StrAppendFormat(&out,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                        "stroke=\"#333\"/>",
                        kMarginLeft, baseline, kMarginLeft + plot_width,
                        baseline);
  const int legend_x = kMarginLeft + plot_width + 14;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const int y = kMarginTop + 16 * static_cast<int>(s);
    absl::StrAppendFormat(
        &out,
        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
        "<text x=\"%d\" y=\"%d\">%s</text>",
        legend_x, y, std::string(SeriesColor(s)), legend_x + 14, y + 9,
        EscapeXml(chart.series[s].name));
  }
  return out + "</svg>";
}

std::string HistogramSvg(const Histogram& histogram) {
  const size_t bins = std::max<size_t>(histogram.bins, 1);
  double lo = histogram.lo;
  double hi = histogram.hi;
  if (hi <= lo) {
    lo = 0;
    hi = 0;
    for (double value : histogram.values) hi = std::max(hi, value);
    if (hi <= lo) hi = lo + 1;
  }
  std::vector<size_t> counts(bins, 0);
  for (double value : histogram.values) {
    const double position = (value - lo) / (hi - lo) * bins;
    const size_t bin = position <= 0      ? 0
                       : position >= bins ? bins - 1
                                          : static_cast<size_t>(position);
    ++counts[bin];
  }
  // A multiple of 4, so that the 4 grid lines fall on whole counts.
  const size_t max_count =
      (std::max<size_t>(*std::max_element(counts.begin(), counts.end()), 1) +
       3) /
      4 * 4;

  constexpr int kBinWidth = 16;
  const int plot_width = kBinWidth * static_cast<int>(bins);
  const int width = kMarginLeft + plot_width + kMarginRight;
  const int height = kMarginTop + kPlotHeight + kMarginBottom;
  const int baseline = kMarginTop + kPlotHeight;
  std::string out = SvgOpen(width, height, histogram.title) +
                    YAxis(plot_width, static_cast<double>(max_count));
  const double bin_span = (hi - lo) / bins;
  for (size_t b = 0; b < bins; ++b) {
    const double h = BarHeight(static_cast<double>(counts[b]),
                               static_cast<double>(max_count));
    absl::StrAppendFormat(
        &out,
        "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
        "fill=\"%s\"><title>%s-%s %s: %d</title></rect>",
        kMarginLeft + static_cast<int>(b) * kBinWidth, baseline - h,
        kBinWidth - 1, h, EscapeXml(histogram.color), Number(lo + bin_span * b),
        Number(lo + bin_span * (b + 1)), EscapeXml(histogram.unit), counts[b]);
  }
  absl::StrAppendFormat(
      &out,
      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
      "<text x=\"%d\" y=\"%d\">%s</text>"
      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
      "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
      kMarginLeft, baseline, kMarginLeft + plot_width, baseline, kMarginLeft,
      baseline + 14, Number(lo), kMarginLeft + plot_width, baseline + 14,
      Number(hi), kMarginLeft + plot_width / 2, baseline + 32,
      EscapeXml(histogram.unit));
  return out + "</svg>";
}

}  // namespace vecdb::eval
