// The Gaussian families behind the Family interface: draws and ln q against the density,
// backward() and scores() against central differences, moments in closed form.

#include "core/vi/gaussian_q.hpp"

#include <gtest/gtest.h>

#include "tests/core/vi/family_checks.hpp"

namespace vilab {
namespace {

using Kind = GaussianQ::Kind;

GaussianQ someQ(Kind kind) {
  Eigen::Matrix2d cov;
  cov << 1.5, 0.6, 0.6, 0.8;
  return GaussianQ(kind, Eigen::Vector2d(0.3, -1.2), cov);
}

TEST(GaussianQ, PathLogDensityAndWeights) {
  for (Kind kind : {Kind::MeanField, Kind::FullRank})
    for (Sampling how : {Sampling::Reparameterized, Sampling::Ancestral})
      testing::expectPathLogDensityMatches(someQ(kind), how);
}

TEST(GaussianQ, BackwardMatchesCentralDifferences) {
  for (Kind kind : {Kind::MeanField, Kind::FullRank})
    testing::expectBackwardMatchesCentralDifferences(someQ(kind), 7, 1e-6);
}

TEST(GaussianQ, ScoresMatchCentralDifferences) {
  Eigen::MatrixXd x(3, 2);
  x << 0.0, 0.0, 1.5, -2.0, -0.7, 0.4;
  for (Kind kind : {Kind::MeanField, Kind::FullRank})
    testing::expectScoresMatchCentralDifferences(someQ(kind), x, 1e-6);
}

TEST(GaussianQ, ClosedFormMomentsAreTheParameters) {
  const GaussianQ q = someQ(Kind::FullRank);
  Eigen::VectorXd m;
  Eigen::MatrixXd c;
  ASSERT_TRUE(q.closedFormMoments(m, c));
  EXPECT_LT((m - Eigen::Vector2d(0.3, -1.2)).norm(), 1e-14);
  Eigen::Matrix2d cov;
  cov << 1.5, 0.6, 0.6, 0.8;
  EXPECT_LT((c - cov).norm(), 1e-12);
  EXPECT_EQ(q.parameterCount(), 5);
  EXPECT_EQ(someQ(Kind::MeanField).parameterCount(), 4);
}

}  // namespace
}  // namespace vilab
