// The exact posterior: the grid's log joint equals the direct sum at every node checked, the log
// evidence is stable when the grid is refined, Laplace approaches the exact posterior as N grows
// (with a tolerance shrinking like 1/sqrt(N)), and HMC agrees with quadrature where both apply.

#include "core/models/logreg/posterior.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/Cholesky>

#include "core/mcmc/hmc.hpp"
#include "tests/core/models/logreg/fixtures.hpp"

namespace vilab {
namespace {

TEST(LogregPosterior, GridLogJointEqualsTheDirectSum) {
  for (bool flat : {false, true}) {
    const auto p = testing::makeProblem(150, 2, 2.0, 2.0, flat);
    // Asymmetric boxes with logits far into both tails: a narrow b axis (one scaling group),
    // a wide one (several groups), one too coarse for the product form (the direct sums).
    for (const GridAxis& b : {GridAxis{-2.0, 1.5, 40}, GridAxis{-20.0, 15.0, 37}, GridAxis{-400.0, 300.0, 70},
                              GridAxis{-3000.0, 2000.0, 33}}) {
      const GridQuadrature grid({{-8.0, 9.0, 17}, {-5.0, 12.0, 13}, b});
      std::vector<double> fast;
      logJointOnGrid(p.likelihood, p.prior, grid, fast);
      for (std::size_t i = 0; i < grid.size(); i += 37) {
        const Eigen::VectorXd t = grid.node(i);
        const double direct = p.likelihood.logLikelihood(t) + p.prior.logDensity(t);
        ASSERT_NEAR(fast[i], direct, 1e-9 * (1.0 + std::abs(direct))) << "node " << i << " b axis " << b.lo << ".." << b.hi;
      }
    }
  }
}

TEST(LogregPosterior, LogEvidenceIsStableUnderGridRefinement) {
  const auto p = testing::makeProblem(100, 7);
  const LaplaceFit lap = fitLaplace(p.likelihood, p.prior);
  const double coarse = computeExactPosterior(p.likelihood, p.prior, lap, {40, 0, 1}).logEvidence;
  const LogregPosterior fine = computeExactPosterior(p.likelihood, p.prior, lap, {96, 0, 1});
  EXPECT_NEAR(coarse, fine.logEvidence, 1e-5);
  // Laplace's evidence (eq. 4.137) is close but not equal: the posterior is skewed.
  EXPECT_NEAR(lap.logEvidence, fine.logEvidence, 0.5);
}

TEST(LogregPosterior, LaplaceApproachesTheExactPosteriorAsNGrows) {
  // Skewness of the posterior falls like 1/sqrt(N): mean offset in posterior sds and relative
  // covariance error both shrink.
  for (int n : {40, 320, 2560}) {
    const auto p = testing::makeProblem(n, 13, 1.5);
    const LaplaceFit lap = fitLaplace(p.likelihood, p.prior);
    const LogregPosterior exact = computeExactPosterior(p.likelihood, p.prior, lap, {48, 0, 1});
    const Eigen::VectorXd sd = exact.cov.diagonal().cwiseSqrt();
    const double meanError = ((exact.mean - lap.map).array() / sd.array()).abs().maxCoeff();
    const Eigen::MatrixXd rel = (lap.covariance - exact.cov).array() / (sd * sd.transpose()).array();
    const double covError = rel.cwiseAbs().maxCoeff();
    const double tolerance = 3.0 / std::sqrt(double(n));
    EXPECT_LT(meanError, tolerance) << "N = " << n;
    EXPECT_LT(covError, 2 * tolerance) << "N = " << n;
  }
}

TEST(LogregPosterior, HmcMatchesQuadrature) {
  const auto p = testing::makeProblem(60, 21);
  const LaplaceFit lap = fitLaplace(p.likelihood, p.prior);
  const LogregPosterior q = computeExactPosterior(p.likelihood, p.prior, lap, {64, 0, 1});
  // Force the HMC path on the same three parameters.
  Random rng(4);
  HmcSettings hs;
  hs.samples = 4000;
  Eigen::VectorXd values;
  Eigen::MatrixXd grads;
  const HmcResult r = runHmc(
      [&](const Eigen::VectorXd& t, Eigen::VectorXd& g) {
        p.likelihood.logLikelihoodBatch(t.transpose(), values, &grads);
        g = grads.row(0).transpose() - (p.prior.precision.array() * t.array()).matrix();
        return values[0] + p.prior.logDensity(t);
      },
      lap.map, Eigen::LLT<Eigen::MatrixXd>(lap.covariance).matrixL(), hs, rng);
  const Eigen::VectorXd m = r.samples.colwise().mean().transpose();
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(m[j], q.mean[j], 0.1 * std::sqrt(q.cov(j, j))) << j;
}

}  // namespace
}  // namespace vilab
