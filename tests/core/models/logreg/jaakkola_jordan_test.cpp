// The Jaakkola-Jordan bound: it never decreases, lies below the ELBO of its own q and below the
// exact log evidence, equals the log of the integral of the bounded likelihood times the prior
// (computed by quadrature, independently of eq. 10.164), and at its fixed point
// xi_n^2 = E_q[(theta^T phi_n)^2].

#include "core/models/logreg/jaakkola_jordan.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/models/logreg/laplace.hpp"
#include "core/models/logreg/posterior.hpp"
#include "tests/core/models/logreg/fixtures.hpp"

namespace vilab {
namespace {

TEST(JaakkolaJordan, LambdaIsContinuousAtZero) {
  EXPECT_NEAR(jjLambda(0.0), 0.125, 1e-15);
  EXPECT_NEAR(jjLambda(1e-4), jjLambda(1.0001e-4), 1e-10);
  EXPECT_NEAR(jjLambda(2.0), (sigmoid(2.0) - 0.5) / 4.0, 1e-15);
}

TEST(JaakkolaJordan, BoundRisesAndStaysBelowTheElboAndTheEvidence) {
  for (bool flat : {false, true}) {
    const auto p = testing::makeProblem(80, 5, 2.0, 2.0, flat);
    const LaplaceFit lap = fitLaplace(p.likelihood, p.prior);
    const LogregPosterior exact = computeExactPosterior(p.likelihood, p.prior, lap, {64, 0, 1});
    JaakkolaJordan jj;
    jj.reset(p.likelihood, p.prior);
    double previous = jj.bound();
    for (int k = 0; k < 60; ++k) {
      jj.step(p.likelihood, p.prior);
      EXPECT_GE(jj.bound(), previous - 1e-9) << "step " << k;
      previous = jj.bound();
      const double elbo = logregElbo(p.likelihood, p.prior, jj.mean(), jj.covariance());
      EXPECT_LE(jj.bound(), elbo + 1e-9);
      EXPECT_LE(elbo, exact.logEvidence + 1e-6);
    }
    // Iterate to convergence, then the fixed point: xi_n^2 = phi_n^T (S_N + m_N m_N^T) phi_n for the q of the same xi.
    for (int k = 0; k < 5000; ++k) {
      const Eigen::VectorXd before = jj.xi();
      jj.step(p.likelihood, p.prior);
      if ((jj.xi() - before).cwiseAbs().maxCoeff() < 1e-12) break;
    }
    const Eigen::MatrixXd& phi = p.likelihood.design();
    const Eigen::MatrixXd second = jj.covariance() + jj.mean() * jj.mean().transpose();
    const Eigen::VectorXd expected = (phi * second).cwiseProduct(phi).rowwise().sum();
    EXPECT_LT((jj.xi().cwiseAbs2() - expected).cwiseAbs().maxCoeff(), 1e-8 * (1.0 + expected.maxCoeff()));
  }
}

TEST(JaakkolaJordan, BoundEqualsTheIntegralOfTheBoundedLikelihood) {
  const auto p = testing::makeProblem(30, 8, 1.5, 1.5, false);
  JaakkolaJordan jj;
  jj.reset(p.likelihood, p.prior);
  jj.step(p.likelihood, p.prior);
  jj.step(p.likelihood, p.prior);
  // ln of the integral over theta of prod_n h(theta, xi_n) p(theta), h from eq. 10.144, by
  // quadrature on a wide grid.
  const Eigen::VectorXd sd = jj.covariance().diagonal().cwiseSqrt();
  std::vector<GridAxis> axes;
  for (int j = 0; j < 3; ++j) axes.push_back({jj.mean()[j] - 9 * sd[j], jj.mean()[j] + 9 * sd[j], 72});
  const GridQuadrature grid(axes);
  std::vector<double> logH(grid.size());
  const Eigen::MatrixXd& phi = p.likelihood.design();
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const Eigen::VectorXd theta = grid.node(i);
    double v = p.prior.logDensity(theta);
    for (Eigen::Index n = 0; n < phi.rows(); ++n) {
      const double a = (2.0 * p.data.y[n] - 1.0) * phi.row(n).dot(theta), xi = jj.xi()[n];
      v += logSigmoid(xi) + 0.5 * (a - xi) - jjLambda(xi) * (a * a - xi * xi);
    }
    logH[i] = v;
  }
  EXPECT_NEAR(grid.logNormaliser(logH), jj.bound(), 1e-6);
}

}  // namespace
}  // namespace vilab
