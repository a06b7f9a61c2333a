// The 2-D targets against closed forms: ln Z, mean and covariance by the reference's quadrature
// (and stable when the grid is doubled), gradients against central differences.

#include "core/models/targets/densities.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/models/targets/reference.hpp"

namespace vilab {
namespace {

using Kind = TargetSpec::Kind;

TargetSpec gaussian(double s1, double s2, double rho) {
  TargetSpec s;
  s.kind = Kind::Gaussian;
  s.sigma1 = s1;
  s.sigma2 = s2;
  s.rho = rho;
  return s;
}
TargetSpec banana(double c) {
  TargetSpec s;
  s.kind = Kind::Banana;
  s.curvature = c;
  return s;
}
TargetSpec mixture(int modes, double separation, double weight, double width) {
  TargetSpec s;
  s.kind = Kind::Mixture;
  s.modes = modes;
  s.separation = separation;
  s.weight = weight;
  s.width = width;
  return s;
}
TargetSpec ring(double radius, double width) {
  TargetSpec s;
  s.kind = Kind::Ring;
  s.radius = radius;
  s.ringWidth = width;
  return s;
}
TargetSpec funnel(double scale) {
  TargetSpec s;
  s.kind = Kind::Funnel;
  s.funnelScale = scale;
  return s;
}
TargetSpec constrained(int n, std::uint64_t seed) {
  TargetSpec s;
  s.kind = Kind::Constrained;
  s.dataCount = n;
  s.dataSeed = seed;
  return s;
}
TargetSpec custom(std::vector<TargetBump> bumps) {
  TargetSpec s;
  s.kind = Kind::Custom;
  s.bumps = std::move(bumps);
  return s;
}

std::vector<TargetSpec> allSpecs() {
  return {gaussian(1.0, 1.0, 0.9),
          gaussian(1.5, 0.5, -0.99),
          banana(0.25),
          banana(1.0),
          banana(-0.5),
          mixture(2, 4.0, 3.0, 0.7),
          mixture(3, 6.0, 1.0, 0.5),
          mixture(4, 8.0, 0.5, 0.4),
          ring(2.0, 0.3),
          ring(1.0, 0.25),
          funnel(0.5),
          funnel(1.0),
          funnel(3.0),
          funnel(0.1),
          funnel(5.0),
          constrained(5, 1),
          constrained(50, 7),
          constrained(0, 1),
          custom({}),
          custom({{-6.0, 0.0, 0.1, 1.0}, {6.0, 0.0, 3.0, 1.0}}),
          custom({{-2.0, 1.0, 0.5, 1.0}, {1.5, -0.5, 1.2, 2.5}, {3.0, 3.0, 0.3, 0.2}})};
}

TEST(Targets, IssueBananaHasTheIssuesLogZ) {
  EXPECT_NEAR(makeTarget(banana(0.25))->closedFormLogZ(), 2.1743, 5e-5);
}

TEST(Targets, QuadratureLogZMatchesClosedFormAndIsStableWhenTheGridIsDoubled) {
  for (const TargetSpec& spec : allSpecs()) {
    const auto target = makeTarget(spec);
    ASSERT_TRUE(target) << int(spec.kind);
    const double exact = target->closedFormLogZ();
    ASSERT_TRUE(std::isfinite(exact)) << target->name();
    const TargetReference r256 = computeReference(*target);
    const TargetReference r512 = computeReference(*target, {.points = 512, .viewPoints = 4});
    const double tol = 1e-6 * std::max(1.0, std::abs(exact));
    EXPECT_NEAR(r256.logZ, exact, tol) << target->name();
    EXPECT_NEAR(r512.logZ, r256.logZ, 1e-8 * std::max(1.0, std::abs(exact))) << target->name();
    EXPECT_LT(r256.edgeMass, 1e-8) << target->name();
  }
}

TEST(Targets, QuadratureMomentsMatchClosedForms) {
  {  // Gaussian: mean 0, covariance Sigma
    const TargetReference r = computeReference(*makeTarget(gaussian(1.5, 0.5, -0.8)));
    EXPECT_NEAR(r.mean.norm(), 0.0, 1e-10);
    EXPECT_NEAR(r.cov(0, 0), 2.25, 1e-8);
    EXPECT_NEAR(r.cov(1, 1), 0.25, 1e-8);
    EXPECT_NEAR(r.cov(0, 1), -0.8 * 0.75, 1e-8);
  }
  {  // mixture: sum pi_k mu_k and sum pi_k (w^2 I + mu_k mu_k') - mean mean'
    for (const TargetSpec& spec :
         {mixture(2, 4.0, 3.0, 0.7), mixture(3, 6.0, 2.0, 0.5), mixture(4, 5.0, 0.5, 1.0)}) {
      const IsotropicComponents c = isotropicComponents(spec);
      const Eigen::VectorXd pi = c.weight / c.weight.sum();
      const Eigen::Vector2d mean = c.mean.transpose() * pi;
      Eigen::Matrix2d cov =
          Eigen::Matrix2d::Identity() * spec.width * spec.width - mean * mean.transpose();
      for (Eigen::Index k = 0; k < pi.size(); ++k)
        cov += pi[k] * c.mean.row(k).transpose() * c.mean.row(k);
      const TargetReference r = computeReference(*makeTarget(spec));
      EXPECT_NEAR((r.mean - mean).norm(), 0.0, 1e-8);
      EXPECT_NEAR((r.cov - cov).norm(), 0.0, 1e-7);
      // The first mode carries `weight` times each other mode's mass.
      EXPECT_NEAR(pi[0] / pi[1], spec.weight, 1e-12);
    }
  }
  {  // banana: E z2 = 4c - 1, Var z2 = c^2 Var(z1^2) + 0.49 = 32 c^2 + 0.49, Cov = c E z1^3 = 0
    const double c = 0.25;
    const TargetReference r = computeReference(*makeTarget(banana(c)));
    EXPECT_NEAR(r.mean[0], 0.0, 1e-9);
    EXPECT_NEAR(r.mean[1], 4 * c - 1, 1e-8);
    EXPECT_NEAR(r.cov(0, 0), 4.0, 1e-7);
    EXPECT_NEAR(r.cov(1, 1), 32 * c * c + 0.49, 1e-6);
    EXPECT_NEAR(r.cov(0, 1), 0.0, 1e-8);
  }
  {  // funnel: Var v = s^2, Var x = E e^v = e^{s^2/2}
    const TargetReference r = computeReference(*makeTarget(funnel(1.0)));
    EXPECT_NEAR(r.cov(1, 1), 1.0, 1e-7);
    EXPECT_NEAR(r.cov(0, 0), std::exp(0.5), 1e-5);
  }
}

TEST(Targets, MixtureModesSitOnAPolygonOfSideSeparation) {
  for (int k = 2; k <= 4; ++k) {
    const IsotropicComponents c = isotropicComponents(mixture(k, 3.0, 1.0, 0.5));
    ASSERT_EQ(c.mean.rows(), k);
    for (int j = 0; j < k; ++j)
      EXPECT_NEAR((c.mean.row(j) - c.mean.row((j + 1) % k)).norm(), 3.0, 1e-12);
    EXPECT_NEAR(c.mean.colwise().sum().norm(), 0.0, 1e-12);
  }
}

TEST(Targets, GradientsMatchCentralDifferences) {
  for (const TargetSpec& spec : allSpecs()) {
    const auto target = makeTarget(spec);
    const Eigen::Vector4d b = target->box();
    // A lattice of points over the middle of the view box (the ring's origin is not on it).
    Eigen::MatrixXd z(25, 2);
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 5; ++j) {
        z(i * 5 + j, 0) = b[0] + (b[1] - b[0]) * (0.13 + 0.17 * i);
        z(i * 5 + j, 1) = b[2] + (b[3] - b[2]) * (0.11 + 0.19 * j);
      }
    Eigen::VectorXd f, fp, fm;
    Eigen::MatrixXd g;
    target->logDensity(z, f, &g);
    ASSERT_EQ(g.rows(), z.rows());
    for (int a = 0; a < 2; ++a) {
      const double h = 1e-6 * (b[2 * a + 1] - b[2 * a]);
      Eigen::MatrixXd zp = z, zm = z;
      zp.col(a).array() += h;
      zm.col(a).array() -= h;
      target->logDensity(zp, fp, nullptr);
      target->logDensity(zm, fm, nullptr);
      for (Eigen::Index s = 0; s < z.rows(); ++s) {
        const double numeric = (fp[s] - fm[s]) / (2 * h);
        EXPECT_NEAR(g(s, a), numeric, 1e-5 * (1.0 + std::abs(numeric)))
            << target->name() << " at (" << z(s, 0) << ", " << z(s, 1) << "), axis " << a;
      }
      // Values without gradients are the same values.
      Eigen::VectorXd f2;
      target->logDensity(z, f2, nullptr);
      EXPECT_EQ(f, f2);
    }
  }
}

TEST(Targets, GaussianDensityIsTheBivariateNormal) {
  const auto t = makeTarget(gaussian(2.0, 0.5, 0.6));
  Eigen::MatrixXd z(1, 2);
  z << 0.7, -0.3;
  Eigen::VectorXd v;
  t->logDensity(z, v, nullptr);
  // ln N(z; 0, Sigma) + ln Z with the textbook quadratic form (PRML eq. 2.43).
  const double s1 = 2.0, s2 = 0.5, r = 0.6, x = 0.7 / s1, y = -0.3 / s2;
  EXPECT_NEAR(v[0], -(x * x - 2 * r * x * y + y * y) / (2 * (1 - r * r)), 1e-12);
}

TEST(Targets, CheckTargetSpecNamesTheFieldAndRange) {
  EXPECT_TRUE(checkTargetSpec(gaussian(1.0, 1.0, 0.99)).isOk());
  const Status s = checkTargetSpec(gaussian(1.0, 1.0, 1.0));
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("target.rho"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("(-1, 1)"), std::string::npos) << s.message();
  EXPECT_FALSE(checkTargetSpec(mixture(5, 1.0, 1.0, 1.0)).isOk());
  EXPECT_FALSE(checkTargetSpec(funnel(0.0)).isOk());
  EXPECT_FALSE(checkTargetSpec(ring(1.0, -0.1)).isOk());
  EXPECT_FALSE(checkTargetSpec(custom({{0, 0, 0.0, 1.0}})).isOk());
  EXPECT_TRUE(checkTargetSpec(custom({})).isOk());
}

}  // namespace
}  // namespace vilab
