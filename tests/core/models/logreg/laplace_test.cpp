// Newton's MAP: the gradient of the log joint vanishes there, a start elsewhere reaches the same
// point, and the Laplace evidence approaches the exact one.

#include "core/models/logreg/laplace.hpp"

#include <gtest/gtest.h>

#include "tests/core/models/logreg/fixtures.hpp"

namespace vilab {
namespace {

TEST(LogregLaplace, MapGradientIsZeroAndAnotherStartAgrees) {
  for (bool flat : {false, true}) {
    const auto p = testing::makeProblem(200, 3, 2.0, 1.5, flat);
    const LaplaceFit a = fitLaplace(p.likelihood, p.prior);
    const LaplaceFit b = fitLaplace(p.likelihood, p.prior, Eigen::Vector3d(-3.0, 4.0, 2.0));
    ASSERT_TRUE(a.converged);
    ASSERT_TRUE(b.converged);
    const NewtonIterate at = evaluateNewton(p.likelihood, p.prior, a.map);
    EXPECT_LT(at.gradient.norm(), 1e-8 * (1.0 + p.data.n()));
    EXPECT_LT((a.map - b.map).norm(), 1e-8);
    // The Laplace covariance is the inverse of the negative Hessian at the MAP.
    EXPECT_LT((a.covariance * at.precision - Eigen::Matrix3d::Identity()).norm(), 1e-9);
  }
}

TEST(LogregLaplace, SeparableDataWithAPriorStayFinite) {
  const auto p = testing::makeProblem(50, 1, 12.0, 3.0);
  const LaplaceFit a = fitLaplace(p.likelihood, p.prior);
  EXPECT_TRUE(a.converged);
  EXPECT_TRUE(a.map.allFinite());
  EXPECT_GT(a.map.head(2).norm(), 1.0);
}

}  // namespace
}  // namespace vilab
