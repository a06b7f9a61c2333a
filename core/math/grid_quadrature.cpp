#include "core/math/grid_quadrature.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace vilab {

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
  double total = 0.0;
  double s1[3] = {0, 0, 0}, s2[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  for (std::size_t i = 0; i < logDensity.size(); ++i) {
    const double w = std::exp(logDensity[i] - m);
    if (w == 0.0) continue;
    const auto idx = unravel(i, m_axes);
    double t[3] = {0, 0, 0};
    for (int a = 0; a < d; ++a) {  // about the box's centre: no cancellation far from 0
      const GridAxis& ax = m_axes[static_cast<std::size_t>(a)];
      t[a] = ax.node(idx[static_cast<std::size_t>(a)]) - 0.5 * (ax.lo + ax.hi);
    }
    total += w;
    for (int a = 0; a < d; ++a) {
      s1[a] += w * t[a];
      for (int b = 0; b <= a; ++b) s2[a][b] += w * t[a] * t[b];
    }
  }
  mean.resize(d);
  cov.resize(d, d);
  for (int a = 0; a < d; ++a) mean[a] = s1[a] / total;
  for (int a = 0; a < d; ++a)
    for (int b = 0; b <= a; ++b) cov(a, b) = cov(b, a) = s2[a][b] / total - mean[a] * mean[b];
  for (int a = 0; a < d; ++a) mean[a] += 0.5 * (m_axes[static_cast<std::size_t>(a)].lo + m_axes[static_cast<std::size_t>(a)].hi);
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
  for (std::size_t i = 0; i < logDensity.size(); ++i) {
    const auto idx = unravel(i, m_axes);
    bool onFace = false;
    for (int k = 0; k < dims(); ++k)
      onFace = onFace || idx[static_cast<std::size_t>(k)] == 0 ||
               idx[static_cast<std::size_t>(k)] == m_axes[static_cast<std::size_t>(k)].points - 1;
    if (onFace) edge = std::max(edge, logDensity[i]);
  }
  return std::exp(edge - m);
}

}  // namespace vilab
