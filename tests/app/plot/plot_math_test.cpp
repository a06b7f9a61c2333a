#include "app/plot/plot_math.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace vilab::plot {
namespace {

bool isOneTwoFive(double step) {
  const double m = step / std::pow(10.0, std::floor(std::log10(step)));
  return std::fabs(m - 1) < 1e-9 || std::fabs(m - 2) < 1e-9 || std::fabs(m - 5) < 1e-9;
}

TEST(Ticks, NiceStepsCoverTheRange) {
  for (auto [lo, hi] : {std::pair{0.0, 1.0}, {-3.7, 12.2}, {1e-5, 3e-5}, {-1e6, 1e6}, {99.1, 99.3}}) {
    const Ticks t = niceTicks(lo, hi, 6);
    ASSERT_GE(t.values.size(), 2u) << lo << " " << hi;
    EXPECT_LE(t.values.size(), 7u);
    EXPECT_TRUE(isOneTwoFive(t.step)) << t.step;
    for (double v : t.values) {
      EXPECT_GE(v, lo - 1e-9 * std::fabs(hi - lo));
      EXPECT_LE(v, hi + 1e-9 * std::fabs(hi - lo));
      EXPECT_NEAR(std::remainder(v, t.step), 0.0, 1e-6 * t.step);
    }
    EXPECT_LT(t.values.front() - lo, t.step + 1e-12);  // no tick missing at either end
    EXPECT_LT(hi - t.values.back(), t.step + 1e-12);
  }
  EXPECT_TRUE(niceTicks(1.0, 1.0, 6).values.empty());
  EXPECT_TRUE(niceTicks(0.0, NAN, 6).values.empty());
  EXPECT_EQ(niceTicks(-1.0, 1.0, 3).values[1], 0.0);  // exactly zero, not 1e-17
}

TEST(Ticks, LogTicksArePowersOfTen) {
  const Ticks t = logTicks(0.5, 2e6, 8);
  EXPECT_EQ(t.values.front(), 1.0);
  EXPECT_EQ(t.values.back(), 1e6);
  const Ticks few = logTicks(2.0, 30.0, 6);  // one decade: 2x and 5x added
  EXPECT_NE(std::find(few.values.begin(), few.values.end(), 5.0), few.values.end());
  const Ticks narrow = logTicks(3.5, 9.0, 6);  // only 5 is a 1-2-5 power: stepped ticks instead
  EXPECT_GE(narrow.values.size(), 3u);
  EXPECT_GT(narrow.step, 0.0);
  EXPECT_GE(narrow.values.front(), 3.5);
  EXPECT_LE(narrow.values.back(), 9.0);
  const Ticks crowded = logTicks(2.0, 300.0, 3);  // a narrow axis: 2x dropped, not 2 5 10 20 ...
  EXPECT_LE(crowded.values.size(), 4u);
  EXPECT_NE(std::find(crowded.values.begin(), crowded.values.end(), 100.0), crowded.values.end());
}

TEST(Ticks, LabelsHaveTheDecimalsTheStepNeeds) {
  EXPECT_EQ(formatTick(0.25, 0.05), "0.25");
  EXPECT_EQ(formatTick(3.0, 1.0), "3");
  EXPECT_EQ(formatTick(-1.5, 0.5), "-1.5");
  EXPECT_EQ(formatTick(1e7, 1e6), "1e+07");
  EXPECT_EQ(formatTick(100.0, 0.0), "100");
  EXPECT_EQ(formatTick(0.0, 5e-81), "0");
  EXPECT_EQ(formatTick(0.0, 0.5), "0");
}

TEST(Axis, TransformsRoundTrip) {
  const AxisMap lin{-2.0, 6.0, 100.0, 500.0, false};
  EXPECT_DOUBLE_EQ(lin.toPixel(-2.0), 100.0);
  EXPECT_DOUBLE_EQ(lin.toPixel(2.0), 300.0);
  EXPECT_NEAR(lin.toData(lin.toPixel(1.234)), 1.234, 1e-12);
  const AxisMap flipped{0.0, 1.0, 400.0, 0.0, false};  // y grows upwards
  EXPECT_DOUBLE_EQ(flipped.toPixel(1.0), 0.0);
  const AxisMap log{1.0, 1000.0, 0.0, 300.0, true};
  EXPECT_NEAR(log.toPixel(10.0), 100.0, 1e-9);
  EXPECT_NEAR(log.toData(200.0), 100.0, 1e-9);
}

TEST(Axis, PaddedRangeHandlesFlatData) {
  auto [lo, hi] = paddedRange(5.0, 5.0, 0.05);
  EXPECT_LT(lo, 5.0);
  EXPECT_GT(hi, 5.0);
  auto [zlo, zhi] = paddedRange(0.0, 0.0, 0.05);
  EXPECT_LT(zlo, 0.0);
  EXPECT_GT(zhi, 0.0);
  auto [a, b] = paddedRange(0.0, 10.0, 0.1);
  EXPECT_DOUBLE_EQ(a, -1.0);
  EXPECT_DOUBLE_EQ(b, 11.0);
}

TEST(Decimation, KeepsEveryColumnsExtremesAndEnds) {
  std::vector<Point> pts;
  for (int i = 0; i < 200000; ++i) pts.push_back({double(i), std::sin(i * 0.001) + (i == 123457 ? 10.0 : 0.0)});
  const AxisMap x{0.0, 199999.0, 0.0, 400.0, false};
  const auto out = decimateMinMax(pts, x);
  EXPECT_LE(out.size(), 4u * 401u);
  EXPECT_EQ(out.front().x, pts.front().x);
  EXPECT_EQ(out.back().x, pts.back().x);
  bool spike = false;
  for (std::size_t i = 1; i < out.size(); ++i) EXPECT_LE(out[i - 1].x, out[i].x);
  for (const auto& p : out) spike = spike || p.y > 8.0;
  EXPECT_TRUE(spike) << "a one-sample spike must survive decimation";
  // Per pixel column, the kept extremes equal the true extremes.
  std::map<long, std::pair<double, double>> truth, kept;
  auto add = [&](std::map<long, std::pair<double, double>>& m, const Point& p) {
    const long c = static_cast<long>(std::floor(x.toPixel(p.x)));
    auto [it, fresh] = m.try_emplace(c, p.y, p.y);
    it->second.first = std::min(it->second.first, p.y);
    it->second.second = std::max(it->second.second, p.y);
  };
  for (const auto& p : pts) add(truth, p);
  for (const auto& p : out) add(kept, p);
  EXPECT_EQ(truth, kept);
}

TEST(Decimation, ShortLinesPassUnchanged) {
  std::vector<Point> pts = {{0, 1}, {1, 3}, {2, 2}};
  EXPECT_EQ(decimateMinMax(pts, AxisMap{0, 2, 0, 500, false}).size(), 3u);
}

TEST(Contours, CircleSegmentsLieOnTheCircleAndClose) {
  std::vector<double> xs, ys, f;
  for (int i = 0; i <= 80; ++i) xs.push_back(-2.0 + 4.0 * i / 80), ys.push_back(-2.0 + 4.0 * i / 80);
  for (double y : ys)
    for (double x : xs) f.push_back(x * x + y * y);
  // Radius sqrt(1.1) passes through no grid point, so every crossing is inside an edge.
  const auto segments = contourSegments(f, xs, ys, 1.1);
  ASSERT_GT(segments.size(), 50u);
  std::map<std::pair<long, long>, int> ends;
  for (const auto& s : segments) {
    for (const Point& p : {s.a, s.b}) {
      EXPECT_NEAR(std::hypot(p.x, p.y), std::sqrt(1.1), 0.01);
      ++ends[{std::lround(p.x * 1e6), std::lround(p.y * 1e6)}];
    }
  }
  for (const auto& [point, count] : ends) EXPECT_EQ(count, 2) << "the contour must be closed";
  EXPECT_TRUE(contourSegments(f, xs, ys, 100.0).empty());
  EXPECT_TRUE(contourSegments(f, xs, ys, -1.0).empty());
}

TEST(Contours, SegmentsJoinIntoOneClosedCurvePerCircle) {
  // Two disjoint circles (radius 0.8 about (-1.5, 0) and (1.5, 0)) and one arc cut by the grid's
  // edge: three polylines, the circles closed, the arc open, every segment used once.
  std::vector<double> xs, ys, f;
  for (int i = 0; i <= 120; ++i) xs.push_back(-3.0 + 6.0 * i / 120);
  for (int j = 0; j <= 60; ++j) ys.push_back(-1.5 + 3.0 * j / 60);
  for (double y : ys)
    for (double x : xs) {
      const double d1 = std::hypot(x + 1.5, y), d2 = std::hypot(x - 1.5, y), d3 = std::hypot(x, y - 1.5);
      f.push_back(std::min({d1, d2, d3}));
    }
  const auto segments = contourSegments(f, xs, ys, 0.81);
  const auto lines = joinSegments(segments);
  ASSERT_EQ(lines.size(), 3u);
  std::size_t points = 0;
  int closed = 0;
  for (const auto& line : lines) {
    points += line.size() - 1;  // a polyline of n points holds n - 1 segments
    if (line.front().x == line.back().x && line.front().y == line.back().y) ++closed;
    for (std::size_t k = 1; k < line.size(); ++k)  // consecutive points are one cell apart at most
      EXPECT_LT(std::hypot(line[k].x - line[k - 1].x, line[k].y - line[k - 1].y), 0.08);
  }
  EXPECT_EQ(points, segments.size());
  EXPECT_EQ(closed, 2);
  EXPECT_TRUE(joinSegments({}).empty());
}

TEST(Contours, SaddleIsResolvedByTheCentre) {
  // Corners 0 and 2 high, 1 and 3 low: two segments either way, never crossing.
  const std::vector<double> xs = {0, 1}, ys = {0, 1};
  const std::vector<double> f = {1.0, 0.0, 0.0, 1.0};  // (0,0)=1 (1,0)=0 (0,1)=0 (1,1)=1
  const auto segments = contourSegments(f, xs, ys, 0.5);
  ASSERT_EQ(segments.size(), 2u);
  const std::vector<double> shifted = {1.0, 0.2, 0.2, 1.0};
  EXPECT_EQ(contourSegments(shifted, xs, ys, 0.5).size(), 2u);
}

TEST(Colors, MapsAndPalettes) {
  EXPECT_EQ(viridis(0.0), rgba(0x44, 0x01, 0x54));
  EXPECT_EQ(viridis(1.0), rgba(0xfd, 0xe7, 0x25));
  EXPECT_EQ(viridis(NAN), viridis(0.0));
  std::set<Color> distinct;
  for (int i = 0; i < 10; ++i) distinct.insert(categorical(i));
  EXPECT_EQ(distinct.size(), 10u);
  EXPECT_EQ(categorical(10), categorical(0));
  EXPECT_EQ(mix(rgba(0, 0, 0), rgba(200, 100, 50), 0.5f), rgba(100, 50, 25));
  EXPECT_EQ(withAlpha(rgba(1, 2, 3), 0.0f) >> 24, 0u);
}

TEST(LegendGrid, FitsInsideItsRoomWrappingThenScrolling) {
  // 27 entries of 20 px rows and 100 px columns.
  // Tall room: one column, no scrolling.
  LegendGrid g = legendGrid(27, 20, 100, 150, 600);
  EXPECT_EQ(g.columns, 1);
  EXPECT_EQ(g.rows, 27);
  EXPECT_EQ(g.shown, 27);
  EXPECT_FALSE(g.scrolls);
  // 400 px high holds 20 rows: two columns of 14 and 13.
  g = legendGrid(27, 20, 100, 250, 400);
  EXPECT_EQ(g.columns, 2);
  EXPECT_EQ(g.rows, 14);
  EXPECT_EQ(g.shown, 27);
  EXPECT_FALSE(g.scrolls);
  // One column of 20 rows: 19 entries at a time and a last row for "k–m of n".
  g = legendGrid(27, 20, 100, 150, 400);
  EXPECT_TRUE(g.scrolls);
  EXPECT_EQ(g.columns, 1);
  EXPECT_EQ(g.rows, 20);
  EXPECT_EQ(g.shown, 19);
  EXPECT_LE(g.rows * 20.0f, 400.0f) << "the legend stays inside its room";
  // No room at all: still one entry shown; nothing to show: an empty grid.
  g = legendGrid(3, 20, 100, 10, 10);
  EXPECT_EQ(g.shown, 1);
  EXPECT_EQ(legendGrid(0, 20, 100, 150, 400).shown, 0);
}

TEST(Histogram, DensityIntegratesToOne) {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(std::sin(i) * 3);
  const auto h = histogram(v, -3, 3, 12, true);
  double area = 0;
  for (double c : h) area += c * 0.5;
  EXPECT_NEAR(area, 1.0, 1e-12);
  const auto counts = histogram(v, -3, 3, 12, false);
  double n = 0;
  for (double c : counts) n += c;
  EXPECT_EQ(n, 1000.0);
}

}  // namespace
}  // namespace vilab::plot
