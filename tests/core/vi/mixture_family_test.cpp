// The mixture family: ln q against the sum of component densities, backward() and scores()
// against central differences, stratified draws' weights, and the stratified and ancestral
// estimates of E_q[z] and E_q[z z^T] against the closed-form moments within 4 standard errors.

#include "core/vi/mixture_family.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/core/vi/family_checks.hpp"

namespace vilab {
namespace {

MixtureFamily someMixture() {
  Eigen::Matrix2d cov;
  cov << 1.0, 0.3, 0.3, 0.6;
  MixtureFamily q(3, Eigen::Vector2d(0.5, -0.5), cov, 4);
  Eigen::VectorXd lambda = q.parameters();
  lambda.head(3) << 0.3, -0.5, 0.1;
  q.setParameters(lambda);
  return q;
}

TEST(MixtureFamily, LogDensityIsTheWeightedSumOfComponents) {
  const MixtureFamily q = someMixture();
  Eigen::MatrixXd x(3, 2);
  x << 0.0, 0.0, 2.0, -1.0, -1.5, 0.7;
  Eigen::VectorXd lq;
  q.logDensity(x, lq);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double sum = 0.0;
    for (int k = 0; k < 3; ++k)
      sum += q.weights()[k] * std::exp(q.component(k).logDensity(x.row(i))[0]);
    EXPECT_NEAR(lq[i], std::log(sum), 1e-12);
  }
  EXPECT_NEAR(q.weights().sum(), 1.0, 1e-14);
  EXPECT_THROW(MixtureFamily(0, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity(), 1),
               std::invalid_argument);
  EXPECT_THROW(MixtureFamily(11, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity(), 1),
               std::invalid_argument);
}

TEST(MixtureFamily, PathLogDensityAndWeights) {
  for (Sampling how : {Sampling::Reparameterized, Sampling::Ancestral})
    testing::expectPathLogDensityMatches(someMixture(), how);
}

TEST(MixtureFamily, StratifiedDrawsRoundUpToAMultipleOfK) {
  const MixtureFamily q = someMixture();
  Random rng(3);
  FamilyDraws d;
  q.sample(rng, 7, Sampling::Reparameterized, d);
  ASSERT_EQ(d.z.rows(), 9);
  for (Eigen::Index i = 0; i < 9; ++i) {
    EXPECT_EQ(d.component[i], i / 3);
    EXPECT_NEAR(d.weight[i], q.weights()[i / 3] / 3.0, 1e-15);
  }
}

TEST(MixtureFamily, BackwardMatchesCentralDifferences) {
  testing::expectBackwardMatchesCentralDifferences(someMixture(), 6, 1e-6);
  // One component: the mixture is the full-rank Gaussian with a constant logit.
  testing::expectBackwardMatchesCentralDifferences(
      MixtureFamily(1, Eigen::Vector2d(1.0, 2.0), Eigen::Matrix2d::Identity(), 2), 4, 1e-6);
}

TEST(MixtureFamily, ScoresMatchCentralDifferences) {
  Eigen::MatrixXd x(3, 2);
  x << 0.0, 0.0, 2.0, -1.0, -1.5, 0.7;
  testing::expectScoresMatchCentralDifferences(someMixture(), x, 1e-6);
}

// Both samplings estimate E_q[z] and E_q[z_1 z_2] without bias: the mean of R estimates is
// within 4 standard errors of the closed-form moments.
TEST(MixtureFamily, StratifiedAndAncestralEstimatesAreUnbiased) {
  const MixtureFamily q = someMixture();
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  ASSERT_TRUE(q.closedFormMoments(mean, cov));
  const Eigen::Vector3d truth(mean[0], mean[1], cov(0, 1) + mean[0] * mean[1]);
  for (Sampling how : {Sampling::Reparameterized, Sampling::Ancestral}) {
    Random rng(11);
    FamilyDraws d;
    const int reps = 4000;
    Eigen::Vector3d sum = Eigen::Vector3d::Zero(), sum2 = Eigen::Vector3d::Zero();
    for (int r = 0; r < reps; ++r) {
      q.sample(rng, 6, how, d);
      Eigen::Vector3d e;
      e[0] = d.weight.dot(d.z.col(0));
      e[1] = d.weight.dot(d.z.col(1));
      e[2] = d.weight.dot(d.z.col(0).cwiseProduct(d.z.col(1)));
      sum += e;
      sum2 += e.cwiseProduct(e);
    }
    const Eigen::Vector3d m = sum / reps;
    const Eigen::Vector3d se = ((sum2 / reps - m.cwiseProduct(m)) / (reps - 1)).cwiseSqrt();
    for (int j = 0; j < 3; ++j)
      EXPECT_LT(std::abs(m[j] - truth[j]), 4 * se[j]) << int(how) << " moment " << j;
  }
}

TEST(MixtureFamily, ClosedFormMomentsMatchQuadratureOfTheDensity) {
  const MixtureFamily q = someMixture();
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  ASSERT_TRUE(q.closedFormMoments(mean, cov));
  // Riemann sum on a fine grid (the density is negligible beyond +-10).
  const int n = 401;
  const double lo = -10, h = 20.0 / (n - 1);
  Eigen::MatrixXd x(n * n, 2);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) x.row(i * n + j) << lo + i * h, lo + j * h;
  Eigen::VectorXd lq;
  q.logDensity(x, lq);
  const Eigen::VectorXd w = lq.array().exp() * h * h;
  EXPECT_NEAR(w.sum(), 1.0, 1e-8);
  const Eigen::Vector2d m = x.transpose() * w;
  EXPECT_LT((m - mean).norm(), 1e-8);
  const Eigen::MatrixXd c =
      (x.rowwise() - m.transpose()).transpose() * w.asDiagonal() * (x.rowwise() - m.transpose());
  EXPECT_LT((c - cov).norm(), 1e-7);
}

}  // namespace
}  // namespace vilab
