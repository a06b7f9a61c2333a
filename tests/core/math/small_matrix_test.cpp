#include "core/math/small_matrix.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/Eigenvalues>

namespace vilab {
namespace {

TEST(SmallMatrix, InverseDeterminantAndEigenOfTwoByTwo) {
  SmallMatrix a(2, 2);
  a << 2.0, -0.7, -0.7, 0.5;
  EXPECT_NEAR(smallDeterminant(a), a.determinant(), 1e-15);
  EXPECT_TRUE((smallInverse(a) * a).isApprox(SmallMatrix::Identity(2, 2), 1e-14));
  SmallVector values;
  SmallMatrix vectors;
  smallSymmetricEigen(a, values, vectors);
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> reference(
      (Eigen::Matrix2d() << a).finished());
  EXPECT_NEAR(values(0), reference.eigenvalues()(0), 1e-14);
  EXPECT_NEAR(values(1), reference.eigenvalues()(1), 1e-14);
  EXPECT_TRUE((vectors * values.asDiagonal() * vectors.transpose()).isApprox(a, 1e-14));
  EXPECT_TRUE((vectors.transpose() * vectors).isApprox(SmallMatrix::Identity(2, 2), 1e-14));
}

TEST(SmallMatrix, OneByOne) {
  const SmallMatrix a = SmallMatrix::Constant(1, 1, 4.0);
  EXPECT_EQ(smallDeterminant(a), 4.0);
  EXPECT_EQ(smallInverse(a)(0, 0), 0.25);
}

TEST(SmallMatrix, FloorRaisesOnlyTheSmallEigenvalues) {
  SmallMatrix a(2, 2);
  a << 1.0, 1.0, 1.0, 1.0;  // eigenvalues 0 and 2
  EXPECT_EQ(floorEigenvalues(a, 1e-3), 1);
  SmallVector values;
  SmallMatrix vectors;
  smallSymmetricEigen(a, values, vectors);
  EXPECT_NEAR(values(0), 1e-3, 1e-15);
  EXPECT_NEAR(values(1), 2.0, 1e-14);
  SmallMatrix b = SmallMatrix::Identity(2, 2);
  EXPECT_EQ(floorEigenvalues(b, 1e-3), 0);
  EXPECT_EQ(b, SmallMatrix::Identity(2, 2));
}

// The correlation floor judges a covariance in each coordinate's own units: a valid covariance
// of population (sd 3e8) and rate (sd 5e-4), eigenvalue ratio 3e-24, is left alone, while a
// floor relative to the largest eigenvalue raised the rate's variance to 9e7.
TEST(SmallMatrix, CorrelationFloorIgnoresUnits) {
  SmallMatrix a(2, 2);
  a << 9e16, 0.3 * 3e8 * 5e-4, 0.3 * 3e8 * 5e-4, 2.5e-7;  // correlation 0.3
  const SmallMatrix before = a;
  EXPECT_EQ(floorCorrelationEigenvalues(a, 1e-9), 0);
  EXPECT_EQ(a, before);
  EXPECT_NEAR(smallestCorrelationEigenvalue(a), 0.7, 1e-12);
  // Perfectly correlated: C = [[1, 1], [1, 1]] gets eigenvalues (1e-3, 2) and A = S C S, so the
  // same matrix in other units gives the same result in those units.
  const double s0 = 3e8, s1 = 5e-4;
  SmallMatrix line(2, 2);
  line << s0 * s0, s0 * s1, s0 * s1, s1 * s1;
  SmallMatrix unit = SmallMatrix::Constant(2, 2, 1.0);
  EXPECT_EQ(floorCorrelationEigenvalues(line, 1e-3), 1);
  EXPECT_EQ(floorCorrelationEigenvalues(unit, 1e-3), 1);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      EXPECT_NEAR(line(i, j), unit(i, j) * (i ? s1 : s0) * (j ? s1 : s0),
                  1e-14 * (i ? s1 : s0) * (j ? s1 : s0));
  // (The raised matrix's diagonal grows by 5e-4, so its own correlation is 1e-3 / (1 + 5e-4).)
  EXPECT_NEAR(smallestCorrelationEigenvalue(line), 1e-3 / (1 + 5e-4), 1e-12);
  // 1 x 1: nothing to floor; a zero variance has no correlation.
  SmallMatrix one = SmallMatrix::Constant(1, 1, 1e-30);
  EXPECT_EQ(floorCorrelationEigenvalues(one, 1e-3), 0);
  EXPECT_EQ(smallestCorrelationEigenvalue(one), 1.0);
  EXPECT_TRUE(std::isnan(smallestCorrelationEigenvalue(SmallMatrix::Zero(2, 2))));
  // 3 x 3 (Eigen's solver): a rank-2 correlation, coordinates in units 1e6, 1, 1e-6.
  SmallMatrix c(3, 3);
  c << 1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1;  // x0 = x1
  const Eigen::Vector3d units(1e6, 1.0, 1e-6);
  SmallMatrix scaled = units.asDiagonal() * c * units.asDiagonal();
  EXPECT_EQ(floorCorrelationEigenvalues(scaled, 1e-4), 1);
  EXPECT_NEAR(smallestCorrelationEigenvalue(scaled), 1e-4, 1e-7);
}

}  // namespace
}  // namespace vilab
