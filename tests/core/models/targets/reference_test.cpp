// The exact reference: KL(q||p) and KL(p||q) by quadrature against the closed-form Gaussian KL,
// the marginals, the weighted points and the views.

#include "core/models/targets/reference.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <numbers>

#include "core/models/targets/densities.hpp"

namespace vilab {
namespace {

TargetSpec gaussianSpec() {
  TargetSpec s;
  s.kind = TargetSpec::Kind::Gaussian;
  s.sigma1 = 1.5;
  s.sigma2 = 0.5;
  s.rho = 0.9;
  return s;
}
Eigen::Matrix2d gaussianCov() {
  Eigen::Matrix2d c;
  c << 2.25, 0.9 * 0.75, 0.9 * 0.75, 0.25;
  return c;
}

// ln N(x; m, S) at each row of x.
Eigen::VectorXd logNormal(const Eigen::MatrixXd& x, const Eigen::Vector2d& m,
                          const Eigen::Matrix2d& s) {
  const Eigen::Matrix2d prec = s.inverse();
  const double c = -std::log(2 * std::numbers::pi) - 0.5 * std::log(s.determinant());
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const Eigen::Vector2d d = x.row(i).transpose() - m;
    out[i] = c - 0.5 * d.dot(prec * d);
  }
  return out;
}

// KL(N(m0, S0) || N(m1, S1)) (e.g. Murphy, PML 2022, eq. 5.77).
double gaussianKl(const Eigen::Vector2d& m0, const Eigen::Matrix2d& s0, const Eigen::Vector2d& m1,
                  const Eigen::Matrix2d& s1) {
  const Eigen::Matrix2d p1 = s1.inverse();
  const Eigen::Vector2d d = m1 - m0;
  return 0.5 *
         ((p1 * s0).trace() + d.dot(p1 * d) - 2.0 + std::log(s1.determinant() / s0.determinant()));
}

TEST(TargetReference, KlBothWaysMatchTheGaussianClosedForm) {
  const TargetReference r = computeReference(*makeTarget(gaussianSpec()));
  const Eigen::Vector2d zero = Eigen::Vector2d::Zero();
  const Eigen::Matrix2d sp = gaussianCov();
  Eigen::Matrix2d narrow, wide;
  narrow << 0.3, 0.05, 0.05, 0.1;  // mean-field-like: too narrow
  wide << 3.0, -0.4, -0.4, 0.15;
  for (const auto& [m, s] :
       {std::pair{Eigen::Vector2d(0.3, -0.2), narrow}, std::pair{Eigen::Vector2d(-0.5, 0.4), wide},
        std::pair{Eigen::Vector2d(0.0, 0.0), sp}}) {
    const Eigen::VectorXd logq = logNormal(r.nodes, m, s);
    const double qp = gaussianKl(m, s, zero, sp), pq = gaussianKl(zero, sp, m, s);
    EXPECT_NEAR(klQP(r, logq), qp, 1e-8 * (1.0 + qp));
    EXPECT_NEAR(klPQ(r, logq), pq, 1e-8 * (1.0 + pq));
    EXPECT_NEAR(klPQAtPoints(r, logNormal(r.points, m, s)), pq, 1e-6 * (1.0 + pq));
    EXPECT_NEAR(exactElbo(r, logq), r.logZ - qp, 1e-8 * (1.0 + qp));
    // q's own integrals on the grid: mass 1, its mean and covariance.
    const GridIntegrals g = integrateOnGrid(r, logq);
    EXPECT_NEAR(g.logMass, 0.0, 1e-9);
    EXPECT_NEAR((g.mean - m).norm(), 0.0, 1e-9);
    EXPECT_NEAR((g.cov - s).norm(), 0.0, 1e-8);
  }
}

TEST(TargetReference, QMassBeyondTheGridShowsInItsIntegral) {
  // The grid is chosen for p (+-8 sd, here x2 in +-4): a q of sd 1 along x2 loses ~6e-5 of its
  // mass.
  const TargetReference r = computeReference(*makeTarget(gaussianSpec()));
  const GridIntegrals g =
      integrateOnGrid(r, logNormal(r.nodes, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity()));
  // Between the mass within +-4 and within +-(4 + h) (the end nodes carry a whole cell).
  const double h = r.axes[1].weights[0];
  EXPECT_GT(g.logMass, std::log(std::erf(4.0 / std::numbers::sqrt2)));
  EXPECT_LT(g.logMass, std::log(std::erf((4.0 + h) / std::numbers::sqrt2)));
}

TEST(TargetReference, MarginalsAreTheGaussianMarginals) {
  const TargetReference r = computeReference(*makeTarget(gaussianSpec()));
  for (int a = 0; a < 2; ++a) {
    const double sd = std::sqrt(gaussianCov()(a, a));
    ASSERT_EQ(r.marginal[a].size(), r.axes[a].size());
    for (int i = 0; i < r.axes[a].size(); ++i) {
      const double x = r.axes[a].nodes[i];
      const double exact =
          std::exp(-0.5 * x * x / (sd * sd)) / (sd * std::sqrt(2 * std::numbers::pi));
      EXPECT_NEAR(r.marginal[a][i], exact, 1e-10);
    }
  }
}

TEST(TargetReference, FunnelMarginalOfVIsItsNormal) {
  TargetSpec s;
  s.kind = TargetSpec::Kind::Funnel;
  s.funnelScale = 3.0;
  const TargetReference r = computeReference(*makeTarget(s));
  for (int i = 0; i < r.axes[1].size(); i += 7) {
    const double v = r.axes[1].nodes[i];
    EXPECT_NEAR(r.marginal[1][i], std::exp(-v * v / 18.0) / (3.0 * std::sqrt(2 * std::numbers::pi)),
                1e-9);
  }
}

TEST(TargetReference, WeightedPointsHoldTheMass) {
  TargetSpec s;
  s.kind = TargetSpec::Kind::Mixture;
  s.separation = 6.0;
  const TargetReference r = computeReference(*makeTarget(s));
  ASSERT_EQ(r.points.rows(), r.pointWeight.size());
  EXPECT_LT(r.points.rows(), 6 * r.nodes.rows() / 10);  // pruned
  EXPECT_LE(r.pointsLeftOut, ReferenceSettings{}.prunedMass);
  // The left-out mass is what the kept nodes miss.
  double kept = 0.0;
  const double smallest = (r.pointWeight * (1.0 - r.pointsLeftOut)).minCoeff();
  for (Eigen::Index i = 0; i < r.massWeight.size(); ++i)
    kept += r.massWeight[i] >= smallest * (1 - 1e-12) ? r.massWeight[i] : 0.0;
  EXPECT_NEAR(kept, 1.0 - r.pointsLeftOut, 1e-12);
  EXPECT_NEAR(r.pointWeight.sum(), 1.0, 1e-12);
  EXPECT_GT(r.pointWeight.minCoeff(), 0.0);
  const Eigen::Vector2d mean = r.points.transpose() * r.pointWeight;
  EXPECT_NEAR((mean - r.mean).norm(), 0.0, 1e-7);
  EXPECT_NEAR(r.massWeight.sum(), 1.0, 1e-12);
}

TEST(TargetReference, ViewIsTheNormalizedDensityOverTheBox) {
  const auto t = makeTarget(gaussianSpec());
  const TargetReference r = computeReference(*t, {.points = 256, .viewPoints = 32});
  ASSERT_EQ(r.view.logDensity.rows(), 32);
  ASSERT_EQ(r.view.logDensity.cols(), 32);
  EXPECT_EQ(r.view.box, t->box());
  EXPECT_FALSE(r.constrained);
  Eigen::MatrixXd z(1, 2);
  z << r.view.x0[5], r.view.x1[20];
  EXPECT_NEAR(r.view.logDensity(20, 5), logNormal(z, Eigen::Vector2d::Zero(), gaussianCov())[0],
              1e-12);
  EXPECT_NEAR(r.view.x0[1] - r.view.x0[0], (t->box()[1] - t->box()[0]) / 32, 1e-12);
  // viewNodes reads back into the image by a column-major map.
  const Eigen::MatrixXd nodes = viewNodes(r.view);
  const Eigen::VectorXd values = logNormal(nodes, Eigen::Vector2d::Zero(), gaussianCov());
  const Eigen::MatrixXd image = Eigen::Map<const Eigen::MatrixXd>(values.data(), 32, 32);
  EXPECT_LT((image - r.view.logDensity).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(TargetReference, ATooNarrowGridShowsInTheEdgeMass) {
  // A target whose quadrature box cuts the density: a custom class with a tight box.
  struct Tight : Target {
    std::string name() const override { return "tight"; }
    void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& v, Eigen::MatrixXd*) const override {
      v = -0.5 * z.rowwise().squaredNorm();
    }
    Eigen::Vector4d box() const override { return {-1.5, 1.5, -1.5, 1.5}; }
  };
  EXPECT_GT(computeReference(Tight{}).edgeMass, 1e-3);
}

}  // namespace
}  // namespace vilab
