#pragma once
// The plotting layer's pure math, kept apart from drawing so it can be tested without a GPU:
// nice 1-2-5 ticks, linear/log axis transforms, min/max decimation to pixel columns, marching
// squares for contours, colour maps and histograms.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace vilab::plot {

// Tick positions at multiples of a 1-2-5 step covering [lo, hi], at most about maxTicks of them.
struct Ticks {
  std::vector<double> values;
  double step = 0.0;
};
Ticks niceTicks(double lo, double hi, int maxTicks);
// Powers of ten inside [lo, hi], lo > 0, and 2x, 5x when few decades and there is room for
// about maxTicks; within one decade, where that gives under three ticks, 1-2-5 stepped ticks as
// niceTicks (with their step).
Ticks logTicks(double lo, double hi, int maxTicks);
// A tick label with as many decimals as the step needs ("0.25", "1e+06", "-3").
std::string formatTick(double value, double step);

// Maps data values to pixels along one axis; log axes map log10(value).
struct AxisMap {
  double min = 0.0, max = 1.0;        // data range shown
  double pixelMin = 0.0, pixelMax = 1.0;  // where min and max land (pixelMax < pixelMin for y)
  bool log = false;
  double toPixel(double value) const;
  double toData(double pixel) const;
};

// [lo, hi] widened by `pad` of its width on each side; a degenerate range gets a unit width
// (or +-10% around a non-zero value) so that a flat line still shows. Log ranges pad in log space.
std::pair<double, double> paddedRange(double lo, double hi, double pad, bool log = false);

struct Point {
  double x, y;
};

// Reduces a polyline with increasing x to at most 4 points per pixel column (first, min, max,
// last, in x order), which draws identically to the full line at that width. Points stream in
// one at a time, so long traces need no copy.
class ColumnDecimator {
 public:
  explicit ColumnDecimator(const AxisMap& xAxis) : m_axis(xAxis) {}
  void add(Point p);
  // Emits the last column; points() is then complete.
  void finish();
  const std::vector<Point>& points() const { return m_out; }

 private:
  void emit();
  AxisMap m_axis;
  std::vector<Point> m_out;
  long m_column = 0;
  bool m_open = false;
  Point m_first{}, m_lo{}, m_hi{}, m_last{};
  bool m_loFirst = true;  // whether the minimum came before the maximum
};

std::vector<Point> decimateMinMax(std::span<const Point> points, const AxisMap& xAxis);

// Marching squares: the segments of the level set {f = level} of a grid f sampled at
// (xs[i], ys[j]), values row-major (ys.size() rows of xs.size() columns). Saddles are resolved by
// the cell's centre value. Segments are in data coordinates.
struct Segment {
  Point a, b;
};
std::vector<Segment> contourSegments(std::span<const double> values, std::span<const double> xs,
                                     std::span<const double> ys, double level);

// The segments of one level joined into polylines at their shared endpoints (contourSegments
// makes the two cells of an edge agree to the last bit), so a dashed or dotted contour keeps its
// pattern along the curve instead of restarting it in every cell. A closed curve ends where it
// starts. Every segment appears in exactly one polyline.
std::vector<std::vector<Point>> joinSegments(std::span<const Segment> segments);

// Colours as 0xAABBGGRR (ImGui's packing), so the drawing code can pass them straight through.
using Color = std::uint32_t;
constexpr Color rgba(int r, int g, int b, int a = 255) {
  return static_cast<Color>(r) | static_cast<Color>(g) << 8 | static_cast<Color>(b) << 16 |
         static_cast<Color>(a) << 24;
}
Color withAlpha(Color c, float alpha);
// Linear blend of two colours, t in [0, 1].
Color mix(Color a, Color b, float t);
// Viridis (perceptually uniform, colour-blind safe) through its published anchor colours.
Color viridis(double t);
// Ten distinct colours for classes and mixture components (i taken modulo 10).
Color categorical(int i);

// Where a legend's entries go within at most maxWidth x maxHeight pixels: `columns` of
// columnWidth, filled row by row, `rows` of rowHeight. Entries that do not fit scroll: the box
// then shows `shown` entries at a time and keeps its last row for a "k–m of n" line. Every
// field is at least 1 when entries > 0 (a legend never vanishes, however small its room).
struct LegendGrid {
  int rows = 0, columns = 0, shown = 0;
  bool scrolls = false;
};
LegendGrid legendGrid(int entries, float rowHeight, float columnWidth, float maxWidth,
                      float maxHeight);

// Counts of values in `bins` equal bins over [lo, hi]; values outside are ignored. With
// `density`, counts are divided by (n * bin width) so the bars integrate to one.
std::vector<double> histogram(std::span<const double> values, double lo, double hi, int bins,
                              bool density);

}  // namespace vilab::plot
