// The Gaussian families: log q against the density formula, the entropy, and the pathwise and
// score-function gradients of E_q[f] against finite differences of its closed form for a
// quadratic f (E_q[f] = 1/2 tr(A Sigma) + 1/2 m^T A m + c^T m), unbiased within 4 standard errors.

#include "core/vi/gaussian_family.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <numbers>

namespace vilab {
namespace {

using Kind = GaussianFamily::Kind;

Eigen::Matrix3d someCov() {
  Eigen::Matrix3d c;
  c << 1.0, 0.5, -0.2, 0.5, 0.8, 0.1, -0.2, 0.1, 0.6;
  return c;
}

struct Quadratic {
  Eigen::Matrix3d a;
  Eigen::Vector3d c{0.3, -1.0, 2.0};
  Quadratic() { a << -2.0, 0.4, 0.0, 0.4, -1.0, 0.3, 0.0, 0.3, -0.5; }
  double expectation(const GaussianFamily& q) const {
    const Eigen::VectorXd m = q.mean();
    return 0.5 * (a * q.covariance()).trace() + 0.5 * m.dot(a * m) + c.dot(m);
  }
  BatchLogDensity batch() const {
    return [this](const Eigen::MatrixXd& z, Eigen::VectorXd& v, Eigen::MatrixXd* g) {
      v.resize(z.rows());
      for (Eigen::Index i = 0; i < z.rows(); ++i) {
        const Eigen::Vector3d t = z.row(i).transpose();
        v[i] = 0.5 * t.dot(a * t) + c.dot(t);
      }
      if (g) *g = z * a + Eigen::MatrixXd::Ones(z.rows(), 1) * c.transpose();
    };
  }
};

TEST(GaussianFamily, LogDensityAndEntropyMatchTheFormulas) {
  for (Kind kind : {Kind::MeanField, Kind::FullRank}) {
    const Eigen::Vector3d m(0.5, -1.0, 2.0);
    const GaussianFamily q(kind, m, someCov());
    const Eigen::Matrix3d s = q.covariance();
    if (kind == Kind::FullRank) EXPECT_LT((s - someCov()).norm(), 1e-12);
    else EXPECT_LT((s - Eigen::Matrix3d(someCov().diagonal().asDiagonal())).norm(), 1e-12);
    Eigen::MatrixXd z(2, 3);
    z << 0.1, 0.2, 0.3, -1.0, 0.5, 2.5;
    const Eigen::VectorXd lq = q.logDensity(z);
    for (int i = 0; i < 2; ++i) {
      const Eigen::Vector3d t = z.row(i).transpose() - m;
      const double expected = -1.5 * std::log(2 * std::numbers::pi) - 0.5 * std::log(s.determinant()) - 0.5 * t.dot(s.inverse() * t);
      EXPECT_NEAR(lq[i], expected, 1e-12);
    }
    EXPECT_NEAR(q.entropy(), 0.5 * std::log(std::pow(2 * std::numbers::pi * std::numbers::e, 3) * s.determinant()), 1e-12);
  }
}

// Central finite differences of a closed-form function of lambda.
template <class F>
Eigen::VectorXd finiteDifference(const GaussianFamily& q, F f) {
  Eigen::VectorXd out(q.parameterCount());
  for (Eigen::Index k = 0; k < out.size(); ++k) {
    GaussianFamily a = q, b = q;
    Eigen::VectorXd la = q.parameters(), lb = q.parameters();
    la[k] += 1e-6;
    lb[k] -= 1e-6;
    a.setParameters(la);
    b.setParameters(lb);
    out[k] = (f(a) - f(b)) / 2e-6;
  }
  return out;
}

TEST(GaussianFamily, EveryEstimatorIsUnbiasedForAQuadratic) {
  const Quadratic f;
  for (Kind kind : {Kind::MeanField, Kind::FullRank}) {
    const GaussianFamily q(kind, Eigen::Vector3d(0.5, -1.0, 2.0), someCov());
    const Eigen::VectorXd exact = finiteDifference(q, [&](const GaussianFamily& p) { return f.expectation(p); });
    const std::pair<GradientEstimator, ScoreBaseline> cases[] = {{GradientEstimator::Reparam, ScoreBaseline::None},
                                                                 {GradientEstimator::Score, ScoreBaseline::None},
                                                                 {GradientEstimator::Score, ScoreBaseline::Loo},
                                                                 {GradientEstimator::Score, ScoreBaseline::Optimal}};
    for (const auto& [est, base] : cases) {
      Random rng(17);
      const ElboGradient g = monteCarloElboGradient(q, f.batch(), est, base, 20000, rng);
      const Eigen::VectorXd mean = g.terms.colwise().mean().transpose();
      const Eigen::VectorXd se =
          ((g.terms.rowwise() - mean.transpose()).colwise().squaredNorm().transpose() / (20000.0 * 19999.0)).cwiseSqrt();
      for (Eigen::Index k = 0; k < mean.size(); ++k)
        EXPECT_NEAR(mean[k], exact[k], 4 * se[k] + 1e-6)
            << "kind " << int(kind) << " estimator " << int(est) << " baseline " << int(base) << " parameter " << k;
      // The entropy's gradient is added in closed form.
      EXPECT_LT((g.gradient - mean - q.entropyGradient()).norm(), 1e-12);
    }
  }
}

TEST(GaussianFamily, ExpectedDiagonalQuadraticGradientMatchesFiniteDifferences) {
  const Eigen::Vector3d prec(0.25, 2.0, 0.0);
  for (Kind kind : {Kind::MeanField, Kind::FullRank}) {
    const GaussianFamily q(kind, Eigen::Vector3d(0.5, -1.0, 2.0), someCov());
    Eigen::VectorXd g;
    expectedDiagonalQuadratic(q, prec, &g);
    const Eigen::VectorXd fd = finiteDifference(q, [&](const GaussianFamily& p) { return expectedDiagonalQuadratic(p, prec, nullptr); });
    EXPECT_LT((g - fd).norm(), 1e-6);
  }
}

TEST(GaussianFamily, ScoresHaveMeanZero) {
  const GaussianFamily q(Kind::FullRank, Eigen::Vector3d(0.5, -1.0, 2.0), someCov());
  Random rng(2);
  Eigen::MatrixXd eps, z, h;
  q.sample(rng, 50000, eps, z);
  q.scores(eps, h);
  const Eigen::VectorXd mean = h.colwise().mean().transpose();
  const Eigen::VectorXd se = ((h.rowwise() - mean.transpose()).colwise().squaredNorm().transpose() / (50000.0 * 49999.0)).cwiseSqrt();
  for (Eigen::Index k = 0; k < mean.size(); ++k) EXPECT_LT(std::abs(mean[k]), 4 * se[k]) << k;
}

}  // namespace
}  // namespace vilab
