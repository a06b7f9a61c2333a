// HMC on a correlated Gaussian target: the sample moments must match the closed form within a
// few Monte Carlo standard errors, with and without a whitening scale.

#include "core/mcmc/hmc.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>

namespace vilab {
namespace {

struct Target {
  Eigen::Vector3d mean{2.0, -1.0, 0.0};
  Eigen::Matrix3d cov;
  Eigen::Matrix3d prec;
  Target() {
    cov << 4.0, 1.8, 0.2, 1.8, 1.0, 0.1, 0.2, 0.1, 0.25;
    prec = cov.inverse();
  }
  LogDensityWithGradient density() const {
    return [this](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
      const Eigen::Vector3d t = x - mean;
      g = -(prec * t);
      return -0.5 * t.dot(prec * t);
    };
  }
};

void expectMoments(const HmcResult& r, const Target& t, double meanTol, double covTol) {
  const Eigen::VectorXd m = r.samples.colwise().mean().transpose();
  const Eigen::MatrixXd c = (r.samples.rowwise() - m.transpose()).transpose() * (r.samples.rowwise() - m.transpose()) /
                            double(r.samples.rows() - 1);
  for (int j = 0; j < 3; ++j) {
    const double sd = std::sqrt(t.cov(j, j));
    EXPECT_NEAR(m[j], t.mean[j], meanTol * sd) << "coordinate " << j;
    for (int k = 0; k < 3; ++k)
      EXPECT_NEAR(c(j, k), t.cov(j, k), covTol * sd * std::sqrt(t.cov(k, k))) << j << "," << k;
  }
}

TEST(Hmc, MomentsOfACorrelatedGaussianWithAWhiteningScale) {
  const Target t;
  Random rng(11);
  HmcSettings s;
  s.warmup = 300;
  s.samples = 4000;
  const Eigen::MatrixXd l = Eigen::LLT<Eigen::Matrix3d>(t.cov).matrixL();
  const HmcResult r = runHmc(t.density(), Eigen::Vector3d::Zero(), l, s, rng);
  EXPECT_GT(r.acceptance, 0.6);
  EXPECT_EQ(r.divergences, 0);
  // Whitened, the chain is nearly independent: 4000 draws give a standard error near 0.016 sd.
  expectMoments(r, t, 0.08, 0.12);
}

TEST(Hmc, MomentsWithoutAScaleAndTheStepSizeAdapts) {
  const Target t;
  Random rng(5);
  HmcSettings s;
  s.warmup = 500;
  s.samples = 4000;
  s.leapfrogSteps = 24;
  const HmcResult r = runHmc(t.density(), Eigen::Vector3d::Zero(), Eigen::MatrixXd(), s, rng);
  EXPECT_NEAR(r.acceptance, s.targetAcceptance, 0.15);
  expectMoments(r, t, 0.15, 0.25);
}

}  // namespace
}  // namespace vilab
