#pragma once
// Finite-difference oracles shared by the family tests: backward() against central differences
// of the same draws (same seed, so the same base noise and strata), and scores() against central
// differences of logDensity().

#include <gtest/gtest.h>

#include <cstdint>

#include "core/vi/family.hpp"

namespace vilab::testing {

// sum_s [gz_s . z_s + glogq_s ln q(z_s) + gweight_s weight_s] for draws from Random(seed).
inline double pathFunctional(const Family& q, std::uint64_t seed, Eigen::Index s,
                             const Eigen::MatrixXd& gz, const Eigen::VectorXd& glogq,
                             const Eigen::VectorXd& gweight) {
  Random rng(seed);
  FamilyDraws d;
  q.sample(rng, s, Sampling::Reparameterized, d);
  return (gz.array() * d.z.array()).sum() + glogq.dot(d.logq) + gweight.dot(d.weight);
}

inline void expectBackwardMatchesCentralDifferences(const Family& q, Eigen::Index s, double tol) {
  const std::uint64_t seed = 17;
  Random rng(seed);
  FamilyDraws d;
  q.sample(rng, s, Sampling::Reparameterized, d);
  const Eigen::Index n = d.z.rows();  // a mixture may round S up
  Random g(99);
  Eigen::MatrixXd gz(n, q.dim());
  Eigen::VectorXd glogq(n), gweight(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < q.dim(); ++j) gz(i, j) = g.normal();
    glogq[i] = g.normal();
    gweight[i] = g.normal();
  }
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(q.parameterCount());
  q.backward(d, gz, glogq, gweight, grad);
  const Eigen::VectorXd lambda = q.parameters();
  auto work = q.clone();
  const double h = 1e-5;
  for (Eigen::Index k = 0; k < lambda.size(); ++k) {
    Eigen::VectorXd lp = lambda, lm = lambda;
    lp[k] += h;
    lm[k] -= h;
    work->setParameters(lp);
    const double fp = pathFunctional(*work, seed, s, gz, glogq, gweight);
    work->setParameters(lm);
    const double fm = pathFunctional(*work, seed, s, gz, glogq, gweight);
    EXPECT_NEAR(grad[k], (fp - fm) / (2 * h), tol * (1.0 + std::abs(grad[k])))
        << q.name() << " parameter " << k;
  }
}

inline void expectScoresMatchCentralDifferences(const Family& q, const Eigen::MatrixXd& x,
                                                double tol) {
  Eigen::MatrixXd sc;
  q.scores(x, sc);
  ASSERT_EQ(sc.rows(), x.rows());
  ASSERT_EQ(sc.cols(), q.parameterCount());
  const Eigen::VectorXd lambda = q.parameters();
  auto work = q.clone();
  const double h = 1e-5;
  Eigen::VectorXd fp, fm;
  for (Eigen::Index k = 0; k < lambda.size(); ++k) {
    Eigen::VectorXd lp = lambda, lm = lambda;
    lp[k] += h;
    lm[k] -= h;
    work->setParameters(lp);
    work->logDensity(x, fp);
    work->setParameters(lm);
    work->logDensity(x, fm);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      EXPECT_NEAR(sc(i, k), (fp[i] - fm[i]) / (2 * h), tol * (1.0 + std::abs(sc(i, k))))
          << q.name() << " point " << i << " parameter " << k;
  }
}

// ln q along the path equals logDensity at the draws.
inline void expectPathLogDensityMatches(const Family& q, Sampling how) {
  Random rng(5);
  FamilyDraws d;
  q.sample(rng, 12, how, d);
  Eigen::VectorXd lq;
  q.logDensity(d.z, lq);
  ASSERT_EQ(lq.size(), d.logq.size());
  for (Eigen::Index i = 0; i < lq.size(); ++i) EXPECT_NEAR(d.logq[i], lq[i], 1e-10) << q.name();
  EXPECT_NEAR(d.weight.sum(), 1.0, 1e-12);
}

}  // namespace vilab::testing
