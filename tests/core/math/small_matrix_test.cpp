#include "core/math/small_matrix.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vilab
