// The constrained ADVI target: its log-Jacobian against a numerical Jacobian, and the density
// integrated in both spaces (mass 1 in each after dividing by the closed-form evidence, moments
// of the closed-form Gamma and Beta posteriors).

#include "core/models/targets/constrained.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>

#include "core/models/targets/reference.hpp"

namespace vilab {
namespace {

TargetSpec spec(int n, std::uint64_t seed) {
  TargetSpec s;
  s.kind = TargetSpec::Kind::Constrained;
  s.dataCount = n;
  s.dataSeed = seed;
  return s;
}

struct PosteriorMoments {
  double meanLambda, varLambda, meanTheta, varTheta;
};
// Gamma(a, b): a/b, a/b^2. Beta(al, be): al/(al+be), al be / ((al+be)^2 (al+be+1)).
PosteriorMoments closedForm(const ConstrainedModel& m) {
  const double s = m.alphan + m.betan;
  return {m.an / m.bn, m.an / (m.bn * m.bn), m.alphan / s, m.alphan * m.betan / (s * s * (s + 1))};
}

TEST(ConstrainedTarget, DataAndPosteriorFollowTheSeed) {
  const ConstrainedModel a = constrainedModel(spec(20, 3)), b = constrainedModel(spec(20, 3));
  const ConstrainedModel c = constrainedModel(spec(20, 4));
  EXPECT_EQ(a.counts, b.counts);
  EXPECT_EQ(a.successes, b.successes);
  EXPECT_TRUE(a.counts != c.counts || a.successes != c.successes);
  ASSERT_EQ(a.counts.size(), 20u);
  int sumY = 0, sumX = 0;
  for (int y : a.counts) sumY += y;
  for (int x : a.successes) sumX += x;
  EXPECT_DOUBLE_EQ(a.an, a.a0 + sumY);
  EXPECT_DOUBLE_EQ(a.bn, a.b0 + 20);
  EXPECT_DOUBLE_EQ(a.alphan, a.alpha0 + sumX);
  EXPECT_DOUBLE_EQ(a.betan, a.beta0 + 20 - sumX);
}

TEST(ConstrainedTarget, LogJacobianIsTheLogDeterminantOfTheMap) {
  Eigen::MatrixXd z(4, 2);
  z << 0.3, -1.2, -2.0, 0.0, 1.5, 3.0, 0.0, -4.0;
  Eigen::VectorXd lj;
  logJacobian(z, lj);
  const double h = 1e-6;
  for (Eigen::Index s = 0; s < z.rows(); ++s) {
    Eigen::Matrix2d jac;
    for (int a = 0; a < 2; ++a) {
      Eigen::MatrixXd zp = z.row(s), zm = z.row(s), xp, xm;
      zp(0, a) += h;
      zm(0, a) -= h;
      toConstrained(zp, xp);
      toConstrained(zm, xm);
      jac.col(a) = (xp - xm).transpose() / (2 * h);
    }
    EXPECT_NEAR(lj[s], std::log(std::abs(jac.determinant())), 1e-7);
  }
  // The maps are inverse to each other.
  Eigen::MatrixXd x, back;
  toConstrained(z, x);
  toUnconstrained(x, back);
  EXPECT_LT((back - z).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(ConstrainedTarget, MassOneAndClosedFormMomentsInTheUnconstrainedSpace) {
  for (const TargetSpec& s : {spec(5, 1), spec(40, 9)}) {
    const ConstrainedModel m = constrainedModel(s);
    const auto target = makeTarget(s);
    ASSERT_TRUE(target->constrained());
    const TargetReference r = computeReference(*target);
    EXPECT_NEAR(std::exp(r.logZ - m.logEvidence), 1.0, 1e-8);
    double l1 = 0, l2 = 0, t1 = 0, t2 = 0;
    for (Eigen::Index i = 0; i < r.nodes.rows(); ++i) {
      const double lambda = std::exp(r.nodes(i, 0)), theta = 1.0 / (1.0 + std::exp(-r.nodes(i, 1)));
      l1 += r.massWeight[i] * lambda;
      l2 += r.massWeight[i] * lambda * lambda;
      t1 += r.massWeight[i] * theta;
      t2 += r.massWeight[i] * theta * theta;
    }
    const PosteriorMoments c = closedForm(m);
    EXPECT_NEAR(l1, c.meanLambda, 1e-7 * c.meanLambda);
    EXPECT_NEAR(l2 - l1 * l1, c.varLambda, 1e-6 * c.varLambda);
    EXPECT_NEAR(t1, c.meanTheta, 1e-8);
    EXPECT_NEAR(t2 - t1 * t1, c.varTheta, 1e-6 * c.varTheta);
  }
}

TEST(ConstrainedTarget, MassOneAndClosedFormMomentsInTheConstrainedSpace) {
  // The midpoint rule on (0, lambda_max) x (0, 1) of ln p~(z(x)) - ln|det dx/dz|: the target's
  // density carried back through the log-Jacobian.
  const TargetSpec s = spec(5, 1);
  const ConstrainedModel m = constrainedModel(s);
  const PosteriorMoments c = closedForm(m);
  const auto target = makeTarget(s);
  const int n = 1000;
  const double lambdaMax = c.meanLambda + 25 * std::sqrt(c.varLambda);
  const double h0 = lambdaMax / n, h1 = 1.0 / n;
  Eigen::MatrixXd x(n * n, 2), z;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) x.row(i * n + j) << (i + 0.5) * h0, (j + 0.5) * h1;
  toUnconstrained(x, z);
  Eigen::VectorXd lp;
  target->logDensity(z, lp, nullptr);
  toConstrainedLogDensity(z, lp);
  double mass = 0, l1 = 0, l2 = 0, t1 = 0, t2 = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const double w = h0 * h1 * std::exp(lp[i] - m.logEvidence);
    mass += w;
    l1 += w * x(i, 0);
    l2 += w * x(i, 0) * x(i, 0);
    t1 += w * x(i, 1);
    t2 += w * x(i, 1) * x(i, 1);
  }
  EXPECT_NEAR(mass, 1.0, 1e-6);
  EXPECT_NEAR(l1 / mass, c.meanLambda, 1e-6 * c.meanLambda);
  EXPECT_NEAR(l2 / mass - l1 * l1 / (mass * mass), c.varLambda, 1e-5 * c.varLambda);
  EXPECT_NEAR(t1 / mass, c.meanTheta, 1e-6);
  EXPECT_NEAR(t2 / mass - t1 * t1 / (mass * mass), c.varTheta, 1e-5 * c.varTheta);
}

TEST(ConstrainedTarget, ConstrainedViewIsTheGammaTimesBetaPosterior) {
  const TargetSpec s = spec(8, 2);
  const ConstrainedModel m = constrainedModel(s);
  const TargetReference r = computeReference(*makeTarget(s), {.points = 128, .viewPoints = 16});
  ASSERT_TRUE(r.constrained);
  const DensityView& v = r.constrainedView;
  ASSERT_EQ(v.logDensity.rows(), 16);
  for (int j = 0; j < 16; j += 5)
    for (int i = 0; i < 16; i += 3) {
      const double lambda = v.x0[i], theta = v.x1[j];
      const double logGammaPdf =
          m.an * std::log(m.bn) - std::lgamma(m.an) + (m.an - 1) * std::log(lambda) - m.bn * lambda;
      const double logBetaPdf = std::lgamma(m.alphan + m.betan) - std::lgamma(m.alphan) -
                                std::lgamma(m.betan) + (m.alphan - 1) * std::log(theta) +
                                (m.betan - 1) * std::log1p(-theta);
      EXPECT_NEAR(v.logDensity(j, i), logGammaPdf + logBetaPdf, 1e-8);
    }
}

}  // namespace
}  // namespace vilab
