#include "app/plot/plot_math.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <deque>
#include <unordered_map>
#include <utility>

namespace vilab::plot {

Ticks niceTicks(double lo, double hi, int maxTicks) {
  Ticks t;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || maxTicks < 2) return t;
  // A coarser step may leave fewer than two ticks inside a narrow range: then ask for more.
  for (int wanted = maxTicks; wanted <= maxTicks + 8 && t.values.size() < 2; ++wanted) {
    t.values.clear();
    const double raw = (hi - lo) / (wanted - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10;
    for (double m : {1.0, 2.0, 5.0, 10.0})
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    t.step = step;
    const double first = std::ceil(lo / step - 1e-9) * step;
    for (double v = first; v <= hi + step * 1e-9; v += step) {
      // Snap values that should be 0 but carry rounding error (e.g. 3e-17).
      t.values.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
      if (t.values.size() > 1000) break;
    }
  }
  return t;
}

Ticks logTicks(double lo, double hi, int maxTicks) {
  Ticks t;
  if (!(lo > 0.0) || !(hi > lo) || !std::isfinite(hi)) return t;
  const int first = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int last = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  const int decades = last - first + 1;
  const int every = std::max(1, (decades + maxTicks - 1) / std::max(1, maxTicks));
  for (int e = first; e <= last; e += every) t.values.push_back(std::pow(10.0, e));
  if (decades <= 2) {
    // Few decades: add 2x and 5x, or only 5x, while the ticks stay about as many as asked for.
    const auto multiples = [&](std::initializer_list<double> ms) {
      std::vector<double> more;
      for (int e = first - 1; e <= last; ++e)
        for (double m : ms) {
          const double v = m * std::pow(10.0, e);
          if (v >= lo && v <= hi) more.push_back(v);
        }
      return more;
    };
    const std::size_t room = static_cast<std::size_t>(std::max(maxTicks, 2)) + 1;
    std::vector<double> more = multiples({2.0, 5.0});
    if (t.values.size() + more.size() > room) more = multiples({5.0});
    if (t.values.size() + more.size() > room) more.clear();
    t.values.insert(t.values.end(), more.begin(), more.end());
    std::sort(t.values.begin(), t.values.end());
  }
  t.step = 0.0;
  if (t.values.size() < 3 && hi < 10.0 * lo) {
    // Less than about half a decade (e.g. 3.5 to 9): evenly stepped ticks label it better.
    Ticks linear = niceTicks(lo, hi, std::clamp(maxTicks, 3, 5));
    if (linear.values.size() > t.values.size()) return linear;
  }
  return t;
}

std::string formatTick(double value, double step) {
  char buffer[32];
  const double a = std::fabs(value);
  if (value == 0.0) return "0";  // not "0.00000000" on an axis of tiny numbers
  if (value != 0.0 && (a >= 1e6 || a < 1e-4 || (step > 0 && step < 1e-4))) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  } else if (step <= 0.0) {  // log ticks
    std::snprintf(buffer, sizeof buffer, "%g", value);
  } else {
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 8);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  }
  return buffer;
}

double AxisMap::toPixel(double value) const {
  const double t = log ? (std::log10(value) - std::log10(min)) / (std::log10(max) - std::log10(min))
                       : (value - min) / (max - min);
  return pixelMin + t * (pixelMax - pixelMin);
}

double AxisMap::toData(double pixel) const {
  const double t = (pixel - pixelMin) / (pixelMax - pixelMin);
  if (log) return std::pow(10.0, std::log10(min) + t * (std::log10(max) - std::log10(min)));
  return min + t * (max - min);
}

std::pair<double, double> paddedRange(double lo, double hi, double pad, bool log) {
  if (log) {
    lo = std::max(lo, 1e-300);
    hi = std::max(hi, lo);
    auto [l, h] = paddedRange(std::log10(lo), std::log10(hi), pad, false);
    return {std::pow(10.0, l), std::pow(10.0, h)};
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
  if (hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {
    const double half = lo == 0.0 ? 0.5 : 0.1 * std::fabs(lo);
    return {lo - half, hi + half};
  }
  const double w = hi - lo;
  return {lo - pad * w, hi + pad * w};
}

void ColumnDecimator::add(Point p) {
  const long column = static_cast<long>(std::floor(m_axis.toPixel(p.x)));
  if (m_open && column == m_column) {
    if (p.y < m_lo.y) m_lo = p, m_loFirst = false;
    if (p.y > m_hi.y) m_hi = p, m_loFirst = true;
    m_last = p;
    return;
  }
  if (m_open) emit();
  m_open = true;
  m_column = column;
  m_first = m_lo = m_hi = m_last = p;
  m_loFirst = true;
}

void ColumnDecimator::emit() {
  // First, the extremes in the order they came, last; without repeating a point.
  const Point order[4] = {m_first, m_loFirst ? m_lo : m_hi, m_loFirst ? m_hi : m_lo, m_last};
  for (const Point& p : order)
    if (m_out.empty() || m_out.back().x != p.x || m_out.back().y != p.y) m_out.push_back(p);
}

void ColumnDecimator::finish() {
  if (m_open) emit();
  m_open = false;
}

std::vector<Point> decimateMinMax(std::span<const Point> points, const AxisMap& xAxis) {
  const double columns = std::fabs(xAxis.pixelMax - xAxis.pixelMin);
  if (points.size() <= 4 * static_cast<std::size_t>(columns) + 4) return {points.begin(), points.end()};
  ColumnDecimator decimator(xAxis);
  for (const Point& p : points) decimator.add(p);
  decimator.finish();
  return decimator.points();
}

std::vector<Segment> contourSegments(std::span<const double> values, std::span<const double> xs,
                                     std::span<const double> ys, double level) {
  std::vector<Segment> out;
  const std::size_t nx = xs.size(), ny = ys.size();
  if (nx < 2 || ny < 2 || values.size() != nx * ny) return out;
  const auto at = [&](std::size_t i, std::size_t j) { return values[j * nx + i]; };
  // Where the level crosses the edge between two corners, by linear interpolation, always from
  // the lower-left corner so the two cells sharing an edge agree to the last bit.
  const auto cross = [&](Point p, double fp, Point q, double fq) {
    if (q.x < p.x || (q.x == p.x && q.y < p.y)) std::swap(p, q), std::swap(fp, fq);
    const double t = (level - fp) / (fq - fp);
    return Point{p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
  };
  for (std::size_t j = 0; j + 1 < ny; ++j) {
    for (std::size_t i = 0; i + 1 < nx; ++i) {
      // Corners counter-clockwise from bottom-left: 0 (i,j) 1 (i+1,j) 2 (i+1,j+1) 3 (i,j+1).
      const double f[4] = {at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)};
      const Point p[4] = {{xs[i], ys[j]}, {xs[i + 1], ys[j]}, {xs[i + 1], ys[j + 1]}, {xs[i], ys[j + 1]}};
      int index = 0;
      for (int c = 0; c < 4; ++c)
        if (f[c] >= level) index |= 1 << c;
      if (index == 0 || index == 15) continue;
      if (!(std::isfinite(f[0]) && std::isfinite(f[1]) && std::isfinite(f[2]) && std::isfinite(f[3])))
        continue;
      // Crossing points on the edges whose corners differ: edge e joins corners e and e+1.
      Point e[4];
      bool has[4] = {};
      for (int k = 0; k < 4; ++k) {
        const int a = k, b = (k + 1) % 4;
        if (((index >> a) & 1) != ((index >> b) & 1)) {
          e[k] = cross(p[a], f[a], p[b], f[b]);
          has[k] = true;
        }
      }
      if (index == 5 || index == 10) {  // saddle: decide by the centre
        const bool centreAbove = 0.25 * (f[0] + f[1] + f[2] + f[3]) >= level;
        const bool corner0Above = index == 5;
        if (centreAbove == corner0Above) {  // corners 0 and 2 joined through the centre
          out.push_back({e[0], e[1]});
          out.push_back({e[2], e[3]});
        } else {
          out.push_back({e[0], e[3]});
          out.push_back({e[1], e[2]});
        }
        continue;
      }
      Point found[2];
      int n = 0;
      for (int k = 0; k < 4 && n < 2; ++k)
        if (has[k]) found[n++] = e[k];
      if (n == 2) out.push_back({found[0], found[1]});
    }
  }
  return out;
}

Color withAlpha(Color c, float alpha) {
  const auto a = static_cast<Color>(std::clamp(alpha, 0.0f, 1.0f) * ((c >> 24) & 0xff) + 0.5f);
  return (c & 0x00ffffffu) | (a << 24);
}

Color mix(Color a, Color b, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  Color out = 0;
  for (int shift = 0; shift < 32; shift += 8) {
    const float x = static_cast<float>((a >> shift) & 0xff), y = static_cast<float>((b >> shift) & 0xff);
    out |= static_cast<Color>(x + t * (y - x) + 0.5f) << shift;
  }
  return out;
}

Color viridis(double t) {
  // Viridis at t = 0, 1/8, ..., 1 (van der Walt & Smith, matplotlib 2015).
  static constexpr Color kAnchors[9] = {
      rgba(0x44, 0x01, 0x54), rgba(0x47, 0x2d, 0x7b), rgba(0x3b, 0x52, 0x8b),
      rgba(0x2c, 0x72, 0x8e), rgba(0x21, 0x91, 0x8c), rgba(0x28, 0xae, 0x80),
      rgba(0x5e, 0xc9, 0x62), rgba(0xad, 0xdc, 0x30), rgba(0xfd, 0xe7, 0x25)};
  if (!std::isfinite(t)) t = 0.0;
  const double x = std::clamp(t, 0.0, 1.0) * 8.0;
  const int i = std::min(static_cast<int>(x), 7);
  return mix(kAnchors[i], kAnchors[i + 1], static_cast<float>(x - i));
}

Color categorical(int i) {
  // Ten well-separated hues (the "tab10" set of matplotlib and Tableau).
  static constexpr Color kColors[10] = {
      rgba(31, 119, 180), rgba(255, 127, 14), rgba(44, 160, 44),  rgba(214, 39, 40),
      rgba(148, 103, 189), rgba(140, 86, 75), rgba(227, 119, 194), rgba(127, 127, 127),
      rgba(188, 189, 34),  rgba(23, 190, 207)};
  return kColors[((i % 10) + 10) % 10];
}

LegendGrid legendGrid(int entries, float rowHeight, float columnWidth, float maxWidth,
                      float maxHeight) {
  LegendGrid grid;
  if (entries <= 0) return grid;
  const auto fit = [](float room, float size) {
    return size > 0.0f && room > size ? static_cast<int>(std::floor(room / size)) : 1;
  };
  const int maxRows = fit(maxHeight, rowHeight), maxColumns = fit(maxWidth, columnWidth);
  if (entries <= maxRows * maxColumns) {
    // As few columns as the height allows, then as few rows as those columns need.
    grid.columns = (entries + maxRows - 1) / maxRows;
    grid.rows = (entries + grid.columns - 1) / grid.columns;
    grid.shown = entries;
    return grid;
  }
  grid.scrolls = true;
  grid.columns = maxColumns;
  grid.rows = maxRows;
  grid.shown = std::max(maxRows - 1, 1) * maxColumns;
  return grid;
}

std::vector<double> histogram(std::span<const double> values, double lo, double hi, int bins,
                              bool density) {
  std::vector<double> counts(std::max(bins, 1), 0.0);
  if (!(hi > lo) || bins < 1) return counts;
  const double width = (hi - lo) / bins;
  double n = 0;
  for (double v : values) {
    if (!(v >= lo && v <= hi)) continue;
    const int b = std::min(static_cast<int>((v - lo) / width), bins - 1);
    counts[b] += 1.0;
    n += 1.0;
  }
  if (density && n > 0)
    for (auto& c : counts) c /= n * width;
  return counts;
}

std::vector<std::vector<Point>> joinSegments(std::span<const Segment> segments) {
  struct Hash {
    std::size_t operator()(const std::pair<double, double>& p) const {
      return std::hash<double>()(p.first) * 31u ^ std::hash<double>()(p.second);
    }
  };
  // Endpoint -> the segments touching it: two on a curve, one at the grid's edge.
  std::unordered_multimap<std::pair<double, double>, std::size_t, Hash> ends;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    ends.emplace(std::pair{segments[i].a.x, segments[i].a.y}, i);
    ends.emplace(std::pair{segments[i].b.x, segments[i].b.y}, i);
  }
  std::vector<bool> used(segments.size(), false);
  // The unused segment at `p` and its other end, if any.
  const auto step = [&](Point p, Point& other) {
    const auto [lo, hi] = ends.equal_range({p.x, p.y});
    for (auto it = lo; it != hi; ++it) {
      if (used[it->second]) continue;
      used[it->second] = true;
      const Segment& s = segments[it->second];
      other = (s.a.x == p.x && s.a.y == p.y) ? s.b : s.a;
      return true;
    }
    return false;
  };
  std::vector<std::vector<Point>> out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (used[i]) continue;
    used[i] = true;
    std::deque<Point> line{segments[i].a, segments[i].b};
    for (Point next; step(line.back(), next);) line.push_back(next);
    for (Point next; step(line.front(), next);) line.push_front(next);
    out.emplace_back(line.begin(), line.end());
  }
  return out;
}

}  // namespace vilab::plot
