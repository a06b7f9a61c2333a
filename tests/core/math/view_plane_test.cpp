#include "core/math/view_plane.hpp"

#include <gtest/gtest.h>

namespace vilab {
namespace {

TEST(ViewPlane, CoordinatesPickTwoColumnsOfTheIdentity) {
  const ViewPlane plane = coordinatePlane(3, 1, 4, "x");
  Eigen::Vector4d x(10, 20, 30, 40);
  EXPECT_EQ(plane.projection * x, Eigen::Vector2d(30, 10));
  EXPECT_EQ(plane.xLabel, "x₃");
  EXPECT_EQ(plane.yLabel, "x₁");
  EXPECT_TRUE(plane.note.empty());
}

TEST(ViewPlane, CoordinatesThatDoNotFitFallBackToTheFirstTwoAndSaySo) {
  for (const auto& [x, y] : {std::pair{5, 1}, std::pair{2, 2}}) {
    const ViewPlane plane = coordinatePlane(x, y, 4, "y");
    EXPECT_EQ(plane.xLabel, "y₁");
    EXPECT_EQ(plane.yLabel, "y₂");
    EXPECT_NE(plane.note.find("do not fit the data's 4 coordinates: showing y₁, y₂"),
              std::string::npos)
        << plane.note;
  }
}

TEST(ViewPlane, PrincipalAxesCarryTheirShareOfTheVariance) {
  // Eigenvalues 6, 3, 1 of a 3-D covariance: the plane holds 60% and 30% of the variance.
  const Eigen::Vector3d values(6, 3, 1);
  Eigen::Matrix3d vectors;
  vectors << 0, 1, 0, 0, 0, 1, 1, 0, 0;
  const ViewPlane plane = principalPlane(values, vectors, values.sum());
  EXPECT_EQ(plane.xLabel, "PC 1 (60% of variance)");
  EXPECT_EQ(plane.yLabel, "PC 2 (30% of variance)");
  EXPECT_EQ(plane.projection * Eigen::Vector3d(1, 2, 3), Eigen::Vector2d(3, 1));
}

}  // namespace
}  // namespace vilab
