#pragma once
// Integrals of an unnormalised density over a regular grid in 1 to 3 dimensions, from its log on
// the grid's nodes: ln Z by log-sum-exp, the mean and covariance, and 2-D marginals. Nodes are
// lo + i h (i = 0..n-1, h = (hi - lo)/(n - 1)); the rule is the trapezoid rule's interior
// (node weight prod h), exact to within the density's mass near the faces, which a grid placed
// +-6 sd around the mode makes negligible.

#include <Eigen/Core>
#include <vector>

namespace vilab {

struct GridAxis {
  double lo = 0.0, hi = 1.0;
  int points = 2;  // >= 2
  double step() const { return (hi - lo) / (points - 1); }
  double node(int i) const { return lo + i * step(); }
  std::vector<double> nodes() const;
};

class GridQuadrature {
 public:
  GridQuadrature() = default;
  explicit GridQuadrature(std::vector<GridAxis> axes);

  int dims() const { return static_cast<int>(m_axes.size()); }
  const std::vector<GridAxis>& axes() const { return m_axes; }
  // Number of nodes; node index i = (i_0 n_1 + i_1) n_2 + i_2: the last axis varies fastest.
  std::size_t size() const;
  Eigen::VectorXd node(std::size_t index) const;
  double cellVolume() const;  // prod h

  // ln Z = ln sum_i exp(logDensity[i]) + ln(prod h).
  double logNormaliser(const std::vector<double>& logDensity) const;
  // Mean (dims) and covariance (dims x dims) of the normalised density.
  void moments(const std::vector<double>& logDensity, Eigen::VectorXd& mean,
               Eigen::MatrixXd& cov) const;
  // The normalised density's marginal over axes (a, b), a != b: values n_b x n_a, row-major
  // (row j is axis b's node j), integrating to 1 with the cell h_a h_b.
  std::vector<double> marginal2(const std::vector<double>& logDensity, int a, int b) const;
  // The largest normalised density on each face (axis, lo or hi end) relative to the peak:
  // how much mass the box may cut off.
  double edgeRatio(const std::vector<double>& logDensity) const;

 private:
  std::vector<GridAxis> m_axes;
};

}  // namespace vilab
