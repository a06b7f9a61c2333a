#include "core/data/synthetic_shapes.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/math/random.hpp"

namespace vilab {
namespace {

struct Point {
  double x, y;
};

double length(double x, double y) {
  return std::sqrt(x * x + y * y);
}

// Distance from p to the segment ab.
double segmentDistance(Point p, Point a, Point b) {
  const double bx = b.x - a.x, by = b.y - a.y, px = p.x - a.x, py = p.y - a.y;
  const double t = std::clamp((px * bx + py * by) / (bx * bx + by * by), 0.0, 1.0);
  return length(px - t * bx, py - t * by);
}

// Signed distance to an axis-aligned square of half side s centred at the origin.
double boxDistance(double x, double y, double s) {
  const double qx = std::fabs(x) - s, qy = std::fabs(y) - s;
  return length(std::max(qx, 0.0), std::max(qy, 0.0)) + std::min(std::max(qx, qy), 0.0);
}

enum Shape { Ring, Disk, Square, Block, Triangle, Plus, Cross, HBar, VBar, Diamond, kShapes };

struct Drawing {
  Shape shape;
  double cx, cy, r, stroke, angle, brightness;
};

// Distance (in pixels) from the point to the ink of the drawing: <= 0 inside the ink.
double inkDistance(const Drawing& d, double px, double py) {
  // Work in the drawing's own frame: centred and unrotated.
  const double c = std::cos(d.angle), s = std::sin(d.angle);
  const double x = c * (px - d.cx) + s * (py - d.cy), y = -s * (px - d.cx) + c * (py - d.cy);
  const double half = 0.5 * d.stroke;
  const Point p{x, y};
  switch (d.shape) {
    case Ring:
      return std::fabs(length(x, y) - d.r) - half;
    case Disk:
      return length(x, y) - d.r;
    case Square:
      return std::fabs(boxDistance(x, y, 0.8 * d.r)) - half;
    case Block:
      return boxDistance(x, y, 0.75 * d.r);
    case Triangle: {
      const Point a{0.0, -d.r}, b{0.866 * d.r, 0.5 * d.r}, e{-0.866 * d.r, 0.5 * d.r};
      return std::min(
                 {segmentDistance(p, a, b), segmentDistance(p, b, e), segmentDistance(p, e, a)}) -
             half;
    }
    case Plus:
      return std::min(segmentDistance(p, {-d.r, 0}, {d.r, 0}),
                      segmentDistance(p, {0, -d.r}, {0, d.r})) -
             half;
    case Cross: {
      const double k = 0.75 * d.r;
      return std::min(segmentDistance(p, {-k, -k}, {k, k}), segmentDistance(p, {-k, k}, {k, -k})) -
             half;
    }
    case HBar:
      return segmentDistance(p, {-d.r, 0}, {d.r, 0}) - 1.5 * half;
    case VBar:
      return segmentDistance(p, {0, -d.r}, {0, d.r}) - 1.5 * half;
    case Diamond: {
      const double u = (x + y) * 0.7071067811865476, v = (y - x) * 0.7071067811865476;
      return std::fabs(boxDistance(u, v, 0.7 * d.r)) - half;
    }
    default:
      return 1e9;
  }
}

void render(const Drawing& d, std::uint8_t* out) {
  for (int row = 0; row < kShapeSide; ++row)
    for (int col = 0; col < kShapeSide; ++col) {
      // One-pixel linear ramp across the edge: a cheap antialiased rasterisation.
      const double dist = inkDistance(d, col + 0.5, row + 0.5);
      const double coverage = std::clamp(0.5 - dist, 0.0, 1.0);
      out[row * kShapeSide + col] =
          static_cast<std::uint8_t>(std::lround(255.0 * d.brightness * coverage));
    }
}

}  // namespace

const std::vector<std::string>& shapeClassNames() {
  static const std::vector<std::string> kNames = {
      "ring", "disk",  "square",         "filled square", "triangle",
      "plus", "cross", "horizontal bar", "vertical bar",  "diamond"};
  return kNames;
}

ImageSet generateShapes(std::size_t count, std::uint64_t seed) {
  Random rng(seed);
  ImageSet set;
  set.rows = set.cols = kShapeSide;
  set.pixels.resize(count * kShapeSide * kShapeSide);
  set.labels.resize(count);
  std::array<std::uint8_t, kShapes> order;
  for (std::size_t i = 0; i < count; ++i) {
    // Balanced classes: each run of ten images is a random permutation of the labels.
    const std::size_t slot = i % kShapes;
    if (slot == 0) {
      for (int k = 0; k < kShapes; ++k) order[k] = static_cast<std::uint8_t>(k);
      for (int k = kShapes - 1; k > 0; --k) std::swap(order[k], order[rng.below(k + 1)]);
    }
    Drawing d;
    d.shape = static_cast<Shape>(order[slot]);
    // Shape is the main source of variation (as digit identity is in MNIST): positions jitter
    // a little around the centre, sizes and strokes vary moderately.
    d.r = 6.0 + 2.5 * rng.uniform();
    d.stroke = 1.4 + 1.2 * rng.uniform();
    d.cx = 14.0 + 3.0 * (rng.uniform() - 0.5);
    d.cy = 14.0 + 3.0 * (rng.uniform() - 0.5);
    d.angle = 0.5 * (rng.uniform() - 0.5);
    d.brightness = 0.6 + 0.4 * rng.uniform();
    set.labels[i] = order[slot];
    render(d, set.pixels.data() + i * kShapeSide * kShapeSide);
  }
  return set;
}

ImageDataset syntheticShapesDataset() {
  ImageDataset data;
  data.name = "synthetic shapes";
  data.source = "built in";
  data.train = generateShapes(20000, 0x5a4e5e7a11ULL);
  data.test = generateShapes(4000, 0x7e57da7aULL);
  data.classNames = shapeClassNames();
  return data;
}

}  // namespace vilab
