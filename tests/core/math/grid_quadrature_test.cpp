// Grid quadrature against a correlated 3-D Gaussian: its normaliser, moments and a 2-D marginal
// are known in closed form.

#include "core/math/grid_quadrature.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>
#include <numbers>

namespace vilab {
namespace {

struct Gaussian3 {
  Eigen::Vector3d mean{1.0, -2.0, 0.5};
  Eigen::Matrix3d cov;
  double scale = 3.7;  // ln of an unnormalised constant factor
  Gaussian3() { cov << 1.0, 0.6, -0.3, 0.6, 2.0, 0.4, -0.3, 0.4, 0.5; }
  std::vector<double> onGrid(const GridQuadrature& g) const {
    const Eigen::Matrix3d prec = cov.inverse();
    std::vector<double> out(g.size());
    for (std::size_t i = 0; i < g.size(); ++i) {
      const Eigen::Vector3d t = g.node(i) - mean;
      out[i] = scale - 0.5 * t.dot(prec * t);
    }
    return out;
  }
  double logZ() const { return scale + 1.5 * std::log(2 * std::numbers::pi) + 0.5 * std::log(cov.determinant()); }
};

GridQuadrature boxAround(const Gaussian3& g, int n, double sds = 7.0) {
  std::vector<GridAxis> axes;
  for (int j = 0; j < 3; ++j) {
    const double s = std::sqrt(g.cov(j, j));
    axes.push_back({g.mean[j] - sds * s, g.mean[j] + sds * s, n});
  }
  return GridQuadrature(axes);
}

TEST(GridQuadrature, NormaliserAndMomentsOfAGaussian) {
  const Gaussian3 g;
  const GridQuadrature q = boxAround(g, 48);
  const auto v = g.onGrid(q);
  EXPECT_NEAR(q.logNormaliser(v), g.logZ(), 1e-8);
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  q.moments(v, mean, cov);
  EXPECT_LT((mean - g.mean).norm(), 1e-8);
  EXPECT_LT((cov - g.cov).norm(), 1e-8);
  EXPECT_LT(q.edgeRatio(v), 1e-9);
}

TEST(GridQuadrature, MarginalIsTheGaussianMarginal) {
  const Gaussian3 g;
  const GridQuadrature q = boxAround(g, 40);
  const auto m = q.marginal2(g.onGrid(q), 0, 2);  // rows: axis 2, columns: axis 0
  Eigen::Matrix2d c;
  c << g.cov(0, 0), g.cov(0, 2), g.cov(2, 0), g.cov(2, 2);
  const Eigen::Matrix2d p = c.inverse();
  const double norm = 1.0 / (2 * std::numbers::pi * std::sqrt(c.determinant()));
  double total = 0.0, worst = 0.0;
  for (int j = 0; j < 40; ++j)
    for (int i = 0; i < 40; ++i) {
      const Eigen::Vector2d t(q.axes()[0].node(i) - g.mean[0], q.axes()[2].node(j) - g.mean[2]);
      const double expected = norm * std::exp(-0.5 * t.dot(p * t));
      worst = std::max(worst, std::abs(m[static_cast<std::size_t>(j * 40 + i)] - expected));
      total += m[static_cast<std::size_t>(j * 40 + i)];
    }
  EXPECT_NEAR(total * q.axes()[0].step() * q.axes()[2].step(), 1.0, 1e-12);
  EXPECT_LT(worst, 1e-8 * norm);
}

TEST(GridQuadrature, ATooSmallBoxShowsInTheEdgeRatio) {
  const Gaussian3 g;
  const GridQuadrature q = boxAround(g, 16, 2.0);
  EXPECT_GT(q.edgeRatio(g.onGrid(q)), 1e-2);
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

// sum_i w_i N(x_i; 0, s^2) over an axis.
double massOfNormal(const QuadratureAxis& a, double s) {
  double m = 0.0;
  for (int i = 0; i < a.size(); ++i)
    m += a.weights[i] * std::exp(-0.5 * a.nodes[i] * a.nodes[i] / (s * s)) / (s * std::sqrt(2 * std::numbers::pi));
  return m;
}

TEST(QuadratureAxis, UniformIsGridAxisRule) {
  const QuadratureAxis a = QuadratureAxis::uniform(-8.0, 8.0, 65);
  const GridAxis g{-8.0, 8.0, 65};
  for (int i = 0; i < a.size(); ++i) {
    EXPECT_DOUBLE_EQ(a.nodes[i], g.node(i));
    EXPECT_DOUBLE_EQ(a.weights[i], g.step());
  }
  EXPECT_NEAR(massOfNormal(a, 1.0), 1.0, 1e-12);
}

TEST(QuadratureAxis, SinhRuleIntegratesNormalsOfEveryWidthInItsRange) {
  // One 256-node axis from scale 1e-3 to half-width 1e4: Gaussians of sd 1e-3 .. 1e3.
  const QuadratureAxis a = QuadratureAxis::sinhMapped(0.0, 1e-3, 1e4, 256);
  for (double s : {1e-3, 1e-2, 1.0, 30.0, 1e3}) EXPECT_NEAR(massOfNormal(a, s), 1.0, 1e-9) << "sd " << s;
  // It fails outside the range (the test can fail): far narrower than the central spacing.
  EXPECT_GT(std::abs(massOfNormal(a, 1e-5) - 1.0), 1e-3);
}

}  // namespace
}  // namespace vilab
