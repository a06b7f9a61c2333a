#pragma once
// Integrals of an unnormalised density over a regular grid in 1 to 3 dimensions, from its log on
// the grid's nodes: ln Z by log-sum-exp, the mean and covariance, and 2-D marginals. Nodes are
// lo + i h (i = 0..n-1, h = (hi - lo)/(n - 1)); the rule is the trapezoid rule's interior
// (node weight prod h), exact to within the density's mass near the faces, which a grid placed
// +-6 sd around the mode makes negligible.

#include <Eigen/Core>
#include <vector>

namespace vilab {

// One axis of a tensor-product rule with arbitrary nodes: the integral of f over the axis is
// approximated by sum_i weights[i] f(nodes[i]). nodes and weights have the same length (>= 2).
struct QuadratureAxis {
  Eigen::VectorXd nodes, weights;
  int size() const { return static_cast<int>(nodes.size()); }
  // Nodes lo + i h (i = 0..points-1), weight h each: GridAxis's rule (the trapezoid rule's
  // interior), exact to within the density's mass near the ends.
  static QuadratureAxis uniform(double lo, double hi, int points);
  // The sinh rule: x = centre + scale sinh(t) with t uniform on [-T, T], T = asinh(halfWidth /
  // scale), weights scale cosh(t) dt (the trapezoid rule in t). Nodes are about `scale` apart at
  // the centre and grow geometrically outward, so one axis resolves Gaussians of every width
  // from ~scale to ~halfWidth/8 (the slices of Neal's funnel); the trapezoid rule in t converges
  // exponentially for such analytic integrands (Trefethen & Weideman 2014, SIAM Review 56, §5).
  static QuadratureAxis sinhMapped(double centre, double scale, double halfWidth, int points);
};

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
