#include "benchmarks/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vecdb::bench {
namespace {

// Colour-blind-safe palette (Okabe-Ito, then Tol's), cycled.
constexpr const char* kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                   "#E69F00", "#56B4E9", "#882255", "#117733",
                                   "#332288", "#999933"};
constexpr int kNumColors = sizeof(kColors) / sizeof(kColors[0]);

// Plot area inside the document.
struct Frame {
  double left = 80, top = 60, right = 0, bottom = 0;
  double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
  bool log_y = true;

  double X(double x) const {
    return left + (x - x_lo) / (x_hi - x_lo) * (right - left);
  }
  double Y(double y) const {
    const double t = log_y ? (std::log10(y) - std::log10(y_lo)) /
                                 (std::log10(y_hi) - std::log10(y_lo))
                           : (y - y_lo) / (y_hi - y_lo);
    return bottom - t * (bottom - top);
  }
};

std::string TickLabel(double v) {
  if (v >= 1e6) return absl::StrFormat("%gM", v / 1e6);
  if (v >= 1e4) return absl::StrFormat("%gk", v / 1e3);
  return absl::StrFormat("%g", v);
}

bool Drawable(const Frame& f, double x, double y) {
  return std::isfinite(x) && std::isfinite(y) && x >= f.x_lo && x <= f.x_hi &&
         (!f.log_y || y > 0);
}

// Data ranges over the drawable points, padded to round values.
Frame Layout(const PlotOptions& opt, const std::vector<PlotSeries>& series) {
  Frame f;
  f.right = opt.width - 220.0;  // legend column on the right
  f.bottom = opt.height - 60.0;
  f.log_y = opt.log_y;
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  double y_lo = x_lo, y_hi = -x_lo;
  const bool fixed_x = opt.x_min < opt.x_max;
  for (const PlotSeries& s : series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      if (fixed_x && (s.x[i] < opt.x_min || s.x[i] > opt.x_max)) continue;
      if (opt.log_y && s.y[i] <= 0) continue;
      x_lo = std::min(x_lo, s.x[i]);
      x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]);
      y_hi = std::max(y_hi, s.y[i]);
    }
  }
  if (!(x_lo <= x_hi)) x_lo = 0, x_hi = 1;
  if (!(y_lo <= y_hi)) y_lo = 1, y_hi = 10;
  if (fixed_x) {
    f.x_lo = opt.x_min;
    f.x_hi = opt.x_max;
  } else {
    const std::vector<double> t = LinearTicks(x_lo, x_hi, 8);
    f.x_lo = std::min(x_lo, t.front());
    f.x_hi = std::max(x_hi, t.back());
    if (f.x_lo == f.x_hi) f.x_lo -= 0.5, f.x_hi += 0.5;
  }
  if (opt.log_y) {
    f.y_lo = std::pow(10.0, std::floor(std::log10(y_lo)));
    f.y_hi = std::pow(10.0, std::ceil(std::log10(y_hi)));
    if (f.y_lo == f.y_hi) f.y_hi *= 10;
  } else {
    const std::vector<double> t = LinearTicks(y_lo, y_hi, 8);
    f.y_lo = std::min(y_lo, t.front());
    f.y_hi = std::max(y_hi, t.back());
    if (f.y_lo == f.y_hi) f.y_lo -= 0.5, f.y_hi += 0.5;
  }
  return f;
}

void Axes(const PlotOptions& opt, const Frame& f, std::string& out) {
  absl::StrAppendFormat(
      &out,
      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
      "fill=\"none\" stroke=\"#333\"/>\n",
      f.left, f.top, f.right - f.left, f.bottom - f.top);
  for (double x : LinearTicks(f.x_lo, f.x_hi, 10)) {
    if (x < f.x_lo || x > f.x_hi) continue;
    absl::StrAppendFormat(
        &out,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
        "stroke=\"#ddd\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
        "text-anchor=\"middle\">%s</text>\n",
        f.X(x), f.top, f.X(x), f.bottom, f.X(x), f.bottom + 18,
        EscapeXml(absl::StrFormat("%g", x)));
  }
  const std::vector<double> y_ticks =
      f.log_y ? LogTicks(f.y_lo, f.y_hi) : LinearTicks(f.y_lo, f.y_hi, 8);
  for (double y : y_ticks) {
    if (y < f.y_lo || y > f.y_hi) continue;
    absl::StrAppendFormat(
        &out,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
        "stroke=\"#ddd\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
        "text-anchor=\"end\">%s</text>\n",
        f.left, f.Y(y), f.right, f.Y(y), f.left - 6, f.Y(y) + 4,
        EscapeXml(TickLabel(y)));
  }
  absl::StrAppendFormat(
      &out,
      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n"
      "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 20 %.1f)\">%s</text>\n",
      (f.left + f.right) / 2, f.bottom + 42, EscapeXml(opt.x_label),
      (f.top + f.bottom) / 2, (f.top + f.bottom) / 2, EscapeXml(opt.y_label));
}

void Series(const Frame& f, const std::vector<PlotSeries>& series,
            std::string& out) {
  for (size_t s = 0; s < series.size(); ++s) {
    const char* color = kColors[s % kNumColors];
    std::string points;
    std::string markers;
    const PlotSeries& ps = series[s];
    for (size_t i = 0; i < ps.x.size() && i < ps.y.size(); ++i) {
      if (!Drawable(f, ps.x[i], ps.y[i])) continue;
      absl::StrAppendFormat(&points, "%.1f,%.1f ", f.X(ps.x[i]), f.Y(ps.y[i]));
      absl::StrAppendFormat(&markers,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                            f.X(ps.x[i]), f.Y(ps.y[i]));
    }
    absl::StrAppendFormat(
        &out,
        "<g class=\"series\" stroke=\"%s\" fill=\"%s\">"
        "<title>%s</title>\n<polyline fill=\"none\" stroke-width=\"1.5\" "
        "points=\"%s\"/>\n%s</g>\n",
        color, color, EscapeXml(ps.label), points, markers);
    const double ly = f.top + 10 + 20.0 * s;
    absl::StrAppendFormat(
        &out,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
        "stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
        "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
        f.right + 16, ly, f.right + 40, ly, color, f.right + 28, ly, color,
        f.right + 46, ly + 4, EscapeXml(ps.label));
  }
}

}  // namespace

std::vector<double> LinearTicks(double lo, double hi, int max_ticks) {
  if (!(hi > lo) || max_ticks < 2) return {lo};
  const double raw = (hi - lo) / (max_ticks - 1);
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  int mantissa = 10;
  for (int m : {1, 2, 5}) {
    if (m * std::pow(10.0, exponent) >= raw) {
      mantissa = m;
      break;
    }
  }
  // Tick i is (i * mantissa) * 10^exponent, computed from integers so that
  // labels read 0.7, not 0.7000000000000001.
  const double scale = std::pow(10.0, std::abs(exponent));
  auto value = [&](long long i) {
    const double units = static_cast<double>(i * mantissa);
    return exponent < 0 ? units / scale : units * scale;
  };
  const double step = value(1);
  long long i = static_cast<long long>(std::floor(lo / step + 1e-9));
  std::vector<double> ticks;
  do {
    ticks.push_back(value(i++));
  } while (ticks.back() < hi - step * 1e-9);
  return ticks;
}

std::vector<double> LogTicks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0) || !(hi >= lo)) return ticks;
  const int first = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int last = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  const bool minor = last - first < 3;
  for (int e = first; e <= last; ++e) {
    const double p = std::pow(10.0, e);
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !minor) continue;
      const double v = m * p;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
    }
  }
  return ticks;
}

std::string RenderLinePlot(const PlotOptions& opt,
                           const std::vector<PlotSeries>& series) {
  const Frame f = Layout(opt, series);
  std::string out = absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
      "<text x=\"%.1f\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s"
      "</text>\n<text x=\"%.1f\" y=\"44\" fill=\"#555\">%s</text>\n",
      opt.width, opt.height, opt.width, opt.height, f.left,
      EscapeXml(opt.title), f.left, EscapeXml(opt.subtitle));
  Axes(opt, f, out);
  Series(f, series, out);
  out += "</svg>\n";
  return out;
}

}  // namespace vecdb::bench
