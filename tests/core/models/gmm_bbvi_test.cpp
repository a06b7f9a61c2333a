#include "core/models/gmm_bbvi.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/math/gauss_hermite.hpp"
#include "core/math/special.hpp"

namespace vilab {
namespace {

struct Tiny {
  Eigen::MatrixXd x;
  BbviPrior prior{1.2, -1.0, 0.8};
  BbviObjective objective;
  Tiny(std::initializer_list<double> values, int k) {
    x.resize(static_cast<Eigen::Index>(values.size()), 1);
    int i = 0;
    for (double v : values) x(i++, 0) = v;
    objective.setData(x);
    objective.configure(k, prior);
  }
};

TEST(BbviObjective, LogJointGradientMatchesFiniteDifferences) {
  Tiny t({-1.3, -0.9, 0.2, 1.1, 1.4, 2.0}, 3);
  Eigen::VectorXd z(6);
  z << -1.0, 0.3, 1.5, -0.4, 0.1, -1.2;  // means, then log-variances
  Eigen::VectorXd g;
  t.objective.logJoint(z, &g);
  for (int i = 0; i < 6; ++i) {
    const double h = 1e-6;
    Eigen::VectorXd up = z, down = z;
    up(i) += h, down(i) -= h;
    const double fd =
        (t.objective.logJoint(up, nullptr) - t.objective.logJoint(down, nullptr)) / (2 * h);
    EXPECT_NEAR(g(i), fd, 1e-6 * std::max(1.0, std::fabs(fd))) << i;
  }
}

// Two clusters of spread 1e-7 at -1 and 1 (standardised far-apart tight data): the score and
// the moments the gradient needs are formed about each component's mean, so the value and the
// gradient equal the ones written out point by point (each point belongs to one component).
TEST(BbviObjective, FarApartTightComponentsKeepValueAndGradientExact) {
  Tiny t({-1 - 2e-7, -1 - 1e-7, -1.0, -1 + 1e-7, -1 + 2e-7, 1 - 2e-7, 1 - 1e-7, 1.0, 1 + 1e-7,
          1 + 2e-7},
         2);
  Eigen::VectorXd z(4);
  z << -1 + 3e-8, 1 - 5e-8, std::log(2e-14), std::log(3e-14);
  Eigen::VectorXd g;
  const double value = t.objective.logJoint(z, &g);
  double expected = 0.0;
  Eigen::VectorXd expectedGrad = Eigen::VectorXd::Zero(4);
  for (int n = 0; n < 10; ++n) {
    const int c = n < 5 ? 0 : 1;
    const double var = std::exp(z(2 + c)), d = t.x(n, 0) - z(c);
    expected += std::log(0.5) - 0.5 * std::log(2 * kPi * var) - 0.5 * d * d / var;
    expectedGrad(c) += d / var;
    expectedGrad(2 + c) += 0.5 * (d * d / var - 1.0);
  }
  for (int c = 0; c < 2; ++c) {
    expected += -0.5 * kLog2Pi - std::log(1.2) - 0.5 * z(c) * z(c) / (1.2 * 1.2);
    expected += -0.5 * kLog2Pi - std::log(0.8) - 0.5 * std::pow(z(2 + c) + 1.0, 2) / (0.8 * 0.8);
    expectedGrad(c) -= z(c) / (1.2 * 1.2);
    expectedGrad(2 + c) -= (z(2 + c) + 1.0) / (0.8 * 0.8);
  }
  EXPECT_NEAR(value, expected, 1e-9 * std::fabs(expected));
  for (int i = 0; i < 4; ++i)
    EXPECT_NEAR(g(i), expectedGrad(i), 1e-8 * expectedGrad.cwiseAbs().maxCoeff()) << i;
}

TEST(BbviObjective, LogJointIsTheMixtureDensityWithItsPriors) {
  Tiny t({-0.5, 0.7}, 2);
  Eigen::VectorXd z(4);
  z << -0.2, 0.9, std::log(0.5), std::log(2.0);
  double expected = 0.0;
  for (int n = 0; n < 2; ++n) {
    double density = 0.0;
    for (int c = 0; c < 2; ++c) {
      const double var = std::exp(z(2 + c));
      density +=
          0.5 * std::exp(-0.5 * std::pow(t.x(n, 0) - z(c), 2) / var) / std::sqrt(2 * kPi * var);
    }
    expected += std::log(density);
  }
  for (int c = 0; c < 2; ++c) {
    expected += -0.5 * kLog2Pi - std::log(1.2) - 0.5 * z(c) * z(c) / (1.2 * 1.2);
    expected += -0.5 * kLog2Pi - std::log(0.8) - 0.5 * std::pow(z(2 + c) + 1.0, 2) / (0.8 * 0.8);
  }
  EXPECT_NEAR(t.objective.logJoint(z, nullptr), expected, 1e-12 * std::fabs(expected));
}

// The exact ELBO of a tiny case, E_q[ln p(x, z)] + H[q], by a tensor Gauss-Hermite rule over
// the 2K coordinates of z (smooth in phi, so finite differences give its exact gradient).
double exactElbo(Tiny& t, const Eigen::VectorXd& phi, const Quadrature& gh) {
  const int k = t.objective.components(), dims = 2 * k;
  const BbviLayout at{k};
  const int m = static_cast<int>(gh.nodes.size());
  std::vector<int> index(dims, 0);
  Eigen::VectorXd z(dims);
  double sum = 0.0;
  for (;;) {
    double w = 1.0;
    for (int c = 0; c < k; ++c) {
      z(c) = phi(at.muMean(c)) + std::exp(phi(at.muLogSd(c))) * gh.nodes[index[c]];
      z(k + c) = phi(at.vMean(c)) + std::exp(phi(at.vLogSd(c))) * gh.nodes[index[k + c]];
      w *= gh.weights[index[c]] * gh.weights[index[k + c]];
    }
    sum += w * t.objective.logJoint(z, nullptr);
    int d = 0;
    while (d < dims && ++index[d] == m) index[d++] = 0;
    if (d == dims) break;
  }
  return sum + BbviObjective::entropy(phi);
}

class BbviEstimators : public ::testing::TestWithParam<std::pair<BbviEstimator, bool>> {};

// The mean of many gradient estimates is within 4 standard errors of the finite-difference
// gradient of the exact ELBO, for every parameter; so is the mean ELBO estimate.
TEST_P(BbviEstimators, UnbiasedAgainstTheExactExpectation) {
  Tiny t({-1.1, 0.4, 1.6}, 2);
  Eigen::VectorXd phi(8);
  phi << -0.8, 1.0, std::log(0.4), std::log(0.3), -0.5, 0.2, std::log(0.3), std::log(0.25);
  const Quadrature gh = gaussHermiteNormal(10);
  const double elbo = exactElbo(t, phi, gh);
  Eigen::VectorXd exact(8);
  for (int i = 0; i < 8; ++i) {
    const double h = 1e-5;
    Eigen::VectorXd up = phi, down = phi;
    up(i) += h, down(i) -= h;
    exact(i) = (exactElbo(t, up, gh) - exactElbo(t, down, gh)) / (2 * h);
  }
  const auto [estimator, baseline] = GetParam();
  const int samples = baseline ? 4 : 1;
  Random rng(123);
  const int draws = estimator == BbviEstimator::Reparam ? 40000 : baseline ? 150000 : 500000;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(8), sum2 = Eigen::VectorXd::Zero(8);
  double elboSum = 0.0, elboSum2 = 0.0;
  BbviObjective::Estimate e;
  for (int i = 0; i < draws; ++i) {
    t.objective.estimate(phi, estimator, baseline, samples, rng, e);
    sum += e.gradient;
    sum2 += e.gradient.cwiseProduct(e.gradient);
    elboSum += e.elbo, elboSum2 += e.elbo * e.elbo;
  }
  const Eigen::VectorXd mean = sum / draws;
  const Eigen::VectorXd se = ((sum2 / draws - mean.cwiseProduct(mean)) / draws).cwiseSqrt();
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(mean(i), exact(i), 4 * se(i)) << "parameter " << i;
    EXPECT_LT(se(i), 0.05 * std::max(1.0, std::fabs(exact(i)))) << "too noisy to test " << i;
  }
  const double elboMean = elboSum / draws;
  const double elboSe = std::sqrt((elboSum2 / draws - elboMean * elboMean) / draws);
  EXPECT_NEAR(elboMean, elbo, 4 * elboSe + 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Estimators, BbviEstimators,
                         ::testing::Values(std::pair{BbviEstimator::Reparam, false},
                                           std::pair{BbviEstimator::Score, false},
                                           std::pair{BbviEstimator::Score, true}));

TEST(BbviObjective, PlugInLogLikelihoodAndResponsibilities) {
  Tiny t({-1.0, 0.0, 3.0}, 2);
  Eigen::VectorXd means(2), variances(2);
  means << -0.5, 2.5;
  variances << 0.6, 1.7;
  Eigen::MatrixXd r;
  const double ll = t.objective.plugInLogLikelihood(means, variances, &r);
  double expected = 0.0;
  for (int n = 0; n < 3; ++n) {
    double p[2];
    for (int c = 0; c < 2; ++c)
      p[c] = 0.5 * std::exp(-0.5 * std::pow(t.x(n, 0) - means(c), 2) / variances(c)) /
             std::sqrt(2 * kPi * variances(c));
    expected += std::log(p[0] + p[1]);
    EXPECT_NEAR(r(n, 0), p[0] / (p[0] + p[1]), 1e-14);
  }
  EXPECT_NEAR(ll, expected, 1e-12 * std::fabs(expected));
}

}  // namespace
}  // namespace vilab
