#include "core/math/grid_quadrature.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace vilab {

QuadratureAxis QuadratureAxis::uniform(double lo, double hi, int points) {
  QuadratureAxis a;
  a.nodes = Eigen::VectorXd::LinSpaced(points, lo, hi);
  a.weights = Eigen::VectorXd::Constant(points, (hi - lo) / (points - 1));
  return a;
}

QuadratureAxis QuadratureAxis::sinhMapped(double centre, double scale, double halfWidth, int points) {
  const double t = std::asinh(halfWidth / scale);
  const double dt = 2.0 * t / (points - 1);
  QuadratureAxis a;
  a.nodes.resize(points);
  a.weights.resize(points);
  for (int i = 0; i < points; ++i) {
    const double ti = -t + i * dt;
    a.nodes[i] = centre + scale * std::sinh(ti);
    a.weights[i] = scale * std::cosh(ti) * dt;
  }
  return a;
}

std::vector<double> GridAxis::nodes() const {
  std::vector<double> out(static_cast<std::size_t>(points));
  for (int i = 0; i < points; ++i) out[static_cast<std::size_t>(i)] = node(i);
  return out;
}

GridQuadrature::GridQuadrature(std::vector<GridAxis> axes) : m_axes(std::move(axes)) {}

std::size_t GridQuadrature::size() const {
  std::size_t n = m_axes.empty() ? 0 : 1;
  for (const GridAxis& a : m_axes) n *= static_cast<std::size_t>(a.points);
  return n;
}

namespace {
// The multi-index of a node (last axis fastest).
std::array<int, 3> unravel(std::size_t index, const std::vector<GridAxis>& axes) {
  std::array<int, 3> out{0, 0, 0};
  for (int k = static_cast<int>(axes.size()) - 1; k >= 0; --k) {
    const auto n = static_cast<std::size_t>(axes[static_cast<std::size_t>(k)].points);
    out[static_cast<std::size_t>(k)] = static_cast<int>(index % n);
    index /= n;
  }
  return out;
}

double maxOf(const std::vector<double>& v) {
  double m = -std::numeric_limits<double>::infinity();
  for (double x : v) m = std::max(m, x);
  return m;
}
}  // namespace

Eigen::VectorXd GridQuadrature::node(std::size_t index) const {
  const auto idx = unravel(index, m_axes);
  Eigen::VectorXd out(dims());
  for (int k = 0; k < dims(); ++k) out[k] = m_axes[static_cast<std::size_t>(k)].node(idx[static_cast<std::size_t>(k)]);
  return out;
}

double GridQuadrature::cellVolume() const {
  double v = 1.0;
  for (const GridAxis& a : m_axes) v *= a.step();
  return v;
}

double GridQuadrature::logNormaliser(const std::vector<double>& logDensity) const {
  const double m = maxOf(logDensity);
  if (!std::isfinite(m)) return m;
  double s = 0.0;
  for (double x : logDensity) s += std::exp(x - m);
  return m + std::log(s) + std::log(cellVolume());
}

void GridQuadrature::moments(const std::vector<double>& logDensity, Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const {
  const int d = dims();
  const double m = maxOf(logDensity);
  // Node coordinates per axis about the box's centre (no cancellation far from 0); the walk
  // keeps a multi-index instead of dividing per node.
  std::array<std::vector<double>, 3> t;
  std::array<int, 3> n{1, 1, 1};
  for (int a = 0; a < d; ++a) {
    const GridAxis& ax = m_axes[static_cast<std::size_t>(a)];
    n[static_cast<std::size_t>(a)] = ax.points;
    for (int i = 0; i < ax.points; ++i) t[static_cast<std::size_t>(a)].push_back(ax.node(i) - 0.5 * (ax.lo + ax.hi));
  }
  for (int a = d; a < 3; ++a) t[static_cast<std::size_t>(a)] = {0.0};
  double total = 0.0;
  double s1[3] = {0, 0, 0}, s2[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  std::size_t i = 0;
  for (int i0 = 0; i0 < n[0]; ++i0)
    for (int i1 = 0; i1 < n[1]; ++i1) {
      // Sums over the fastest axis first: w, w t2, w t2^2.
      double w0 = 0.0, w1 = 0.0, w2 = 0.0;
      for (int i2 = 0; i2 < n[2]; ++i2, ++i) {
        const double w = std::exp(logDensity[i] - m);
        const double x2 = t[2][static_cast<std::size_t>(i2)];
        w0 += w;
        w1 += w * x2;
        w2 += w * x2 * x2;
      }
      const double x0 = t[0][static_cast<std::size_t>(i0)], x1 = t[1][static_cast<std::size_t>(i1)];
      total += w0;
      s1[0] += w0 * x0;
      s1[1] += w0 * x1;
      s1[2] += w1;
      s2[0][0] += w0 * x0 * x0;
      s2[1][0] += w0 * x1 * x0;
      s2[1][1] += w0 * x1 * x1;
      s2[2][0] += w1 * x0;
      s2[2][1] += w1 * x1;
      s2[2][2] += w2;
    }
  // Axes beyond d are padding (one node at 0, last in the walk): their sums are zero.
  mean.resize(d);
  cov.resize(d, d);
  for (int a = 0; a < d; ++a) mean[a] = s1[a] / total;
  for (int a = 0; a < d; ++a)
    for (int b = 0; b <= a; ++b) cov(a, b) = cov(b, a) = s2[a][b] / total - mean[a] * mean[b];
  for (int a = 0; a < d; ++a)
    mean[a] += 0.5 * (m_axes[static_cast<std::size_t>(a)].lo + m_axes[static_cast<std::size_t>(a)].hi);
}

std::vector<double> GridQuadrature::marginal2(const std::vector<double>& logDensity, int a, int b) const {
  const auto na = static_cast<std::size_t>(m_axes[static_cast<std::size_t>(a)].points);
  const auto nb = static_cast<std::size_t>(m_axes[static_cast<std::size_t>(b)].points);
  std::vector<double> out(na * nb, 0.0);
  const double m = maxOf(logDensity);
  double total = 0.0;
  for (std::size_t i = 0; i < logDensity.size(); ++i) {
    const double w = std::exp(logDensity[i] - m);
    const auto idx = unravel(i, m_axes);
    out[static_cast<std::size_t>(idx[static_cast<std::size_t>(b)]) * na + static_cast<std::size_t>(idx[static_cast<std::size_t>(a)])] += w;
    total += w;
  }
  const double scale = 1.0 / (total * m_axes[static_cast<std::size_t>(a)].step() * m_axes[static_cast<std::size_t>(b)].step());
  for (double& v : out) v *= scale;
  return out;
}

double GridQuadrature::edgeRatio(const std::vector<double>& logDensity) const {
  const double m = maxOf(logDensity);
  double edge = -std::numeric_limits<double>::infinity();
  std::array<int, 3> n{1, 1, 1};
  for (int a = 0; a < dims(); ++a) n[static_cast<std::size_t>(a)] = m_axes[static_cast<std::size_t>(a)].points;
  const auto onFace = [&](int a, int i) { return a < dims() && (i == 0 || i == n[static_cast<std::size_t>(a)] - 1); };
  std::size_t i = 0;
  for (int i0 = 0; i0 < n[0]; ++i0)
    for (int i1 = 0; i1 < n[1]; ++i1) {
      if (onFace(0, i0) || onFace(1, i1)) {
        for (int i2 = 0; i2 < n[2]; ++i2) edge = std::max(edge, logDensity[i + static_cast<std::size_t>(i2)]);
      } else if (dims() == 3) {
        edge = std::max({edge, logDensity[i], logDensity[i + static_cast<std::size_t>(n[2]) - 1]});
      }
      i += static_cast<std::size_t>(n[2]);
    }
  return std::exp(edge - m);
}

}  // namespace vilab
