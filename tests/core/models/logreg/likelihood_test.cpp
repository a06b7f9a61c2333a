// The log joint's pieces: batched values and gradients against finite differences, the
// Gauss-Hermite expectation against Monte Carlo, the probit predictive at zero variance.

#include "core/models/logreg/likelihood.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>

#include "core/math/random.hpp"
#include "tests/core/models/logreg/fixtures.hpp"

namespace vilab {
namespace {

TEST(LogregLikelihood, SoftplusIsStableAndExact) {
  EXPECT_DOUBLE_EQ(softplus(800.0), 800.0);
  EXPECT_EQ(softplus(-800.0), 0.0);
  EXPECT_NEAR(softplus(0.3), std::log(1.0 + std::exp(0.3)), 1e-15);
  EXPECT_NEAR(sigmoid(-2.0) + sigmoid(2.0), 1.0, 1e-15);
}

TEST(LogregLikelihood, BatchValuesAndGradientsMatchDirectSumsAndFiniteDifferences) {
  const auto p = testing::makeProblem(60, 4);
  Eigen::MatrixXd thetas(3, 3);
  thetas << 0.5, -1.0, 0.2, 3.0, 2.0, -4.0, -0.1, 0.0, 0.7;
  Eigen::VectorXd v;
  Eigen::MatrixXd g;
  p.likelihood.logLikelihoodBatch(thetas, v, &g);
  for (int s = 0; s < 3; ++s) {
    double direct = 0.0;
    for (Eigen::Index n = 0; n < p.data.n(); ++n) {
      const double a = p.likelihood.design().row(n).dot(thetas.row(s));
      direct += p.data.y[n] > 0.5 ? logSigmoid(a) : logSigmoid(-a);
    }
    EXPECT_NEAR(v[s], direct, 1e-10);
    for (int j = 0; j < 3; ++j) {
      Eigen::VectorXd tp = thetas.row(s).transpose(), tm = tp;
      tp[j] += 1e-6;
      tm[j] -= 1e-6;
      EXPECT_NEAR(g(s, j), (p.likelihood.logLikelihood(tp) - p.likelihood.logLikelihood(tm)) / 2e-6, 1e-5);
    }
  }
}

TEST(LogregLikelihood, ExpectedLogLikelihoodMatchesMonteCarlo) {
  const auto p = testing::makeProblem(40, 9);
  const Eigen::Vector3d m(1.0, 0.5, -0.3);
  Eigen::Matrix3d s;
  s << 0.5, 0.2, 0.0, 0.2, 0.3, 0.1, 0.0, 0.1, 0.4;
  const double exact = p.likelihood.expectedLogLikelihood(m, s);
  const Eigen::Matrix3d l = s.llt().matrixL();
  Random rng(1);
  const int draws = 40000;
  Eigen::MatrixXd z(draws, 3);
  for (int i = 0; i < draws; ++i) {
    Eigen::Vector3d e(rng.normal(), rng.normal(), rng.normal());
    z.row(i) = (m + l * e).transpose();
  }
  Eigen::VectorXd v;
  p.likelihood.logLikelihoodBatch(z, v, nullptr);
  const double mean = v.mean(), se = std::sqrt((v.array() - mean).square().sum() / (draws - 1.0) / draws);
  EXPECT_NEAR(exact, mean, 4 * se);
}

TEST(LogregLikelihood, ProbitPredictiveShrinksTowardsOneHalfWithVariance) {
  Eigen::MatrixXd pts(1, 3);
  pts << 1.0, 2.0, 1.0;
  const Eigen::Vector3d m(0.5, 0.25, 0.0);  // a = 1
  EXPECT_NEAR(LogregLikelihood::probitPredictive(pts, m, Eigen::Matrix3d::Zero())[0], sigmoid(1.0), 1e-15);
  const double wide = LogregLikelihood::probitPredictive(pts, m, 10 * Eigen::Matrix3d::Identity())[0];
  EXPECT_GT(wide, 0.5);
  EXPECT_LT(wide, sigmoid(1.0));
}

}  // namespace
}  // namespace vilab
