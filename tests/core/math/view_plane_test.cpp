#include "core/math/view_plane.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(ViewPlane, ColumnNamesFromTheFileHeaderNameTheAxes) {
  const std::vector<std::string> names = {"sepal_length", "sepal_width", "petal_length", ""};
  const ViewPlane plane = coordinatePlane(3, 4, 4, "x", names);
  EXPECT_EQ(plane.xLabel, "petal_length");
  EXPECT_EQ(plane.yLabel, "x₄");  // an empty name falls back to the symbol
  const ViewPlane fallback = coordinatePlane(7, 1, 4, "x", names);
  EXPECT_NE(fallback.note.find("showing sepal_length, sepal_width"), std::string::npos)
      << fallback.note;
  EXPECT_EQ(coordinateName(1, "y", names), "sepal_width");
  EXPECT_EQ(coordinateName(1, "y"), "y₂");
  // Names that do not cover the coordinate fall back too.
  EXPECT_EQ(coordinateName(5, "y", names), "y₆");
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
