#include "core/optim/adam.hpp"

#include <gtest/gtest.h>

namespace vilab {
namespace {

TEST(Adam, FirstStepMovesEachCoordinateByTheLearningRate) {
  // With bias correction the first update is lr * g / (|g| + eps): lr in the gradient's sign.
  Adam<double> adam(3, {.lr = 0.1});
  Eigen::Vector3d x(1.0, 2.0, 3.0);
  adam.ascend(x, Eigen::Vector3d(5.0, -0.01, 300.0));
  EXPECT_NEAR(x[0], 1.1, 1e-9);
  EXPECT_NEAR(x[1], 1.9, 1e-6);
  EXPECT_NEAR(x[2], 3.1, 1e-9);
}

TEST(Adam, MaximisesAConcaveQuadratic) {
  Adam<double> adam(2, {.lr = 0.05});
  Eigen::Vector2d x(4.0, -3.0);
  const Eigen::Vector2d target(1.0, 2.0);
  for (int i = 0; i < 5000; ++i) adam.ascend(x, Eigen::Vector2d(-2.0 * (x - target)));
  EXPECT_NEAR(x[0], 1.0, 1e-3);
  EXPECT_NEAR(x[1], 2.0, 1e-3);
}

TEST(Adam, OnePassStepMatchesTheExpressionStep) {
  Adam<double> a(4, {.lr = 0.01}), b(4, {.lr = 0.01});
  Eigen::Vector4d x(1.0, -2.0, 0.5, 3.0), y = x;
  for (int i = 0; i < 50; ++i) {
    const Eigen::Vector4d g(std::sin(i), std::cos(3.0 * i), -0.1 * i, 2.0);
    a.ascend(x, g);
    b.ascend(y.data(), g.data());
  }
  EXPECT_EQ(x, y);
  EXPECT_EQ(b.steps(), 50);
}

}  // namespace
}  // namespace vilab
