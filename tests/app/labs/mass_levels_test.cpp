// Mass levels against a closed form: for a standard 2-D Gaussian the region holding mass m is the
// disc of radius r = sqrt(-2 ln(1 - m)), where the density is (1 - m) / (2 pi).

#include "app/labs/mass_levels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace vilab {
namespace {

TEST(MassLevels, StandardGaussianLevelsMatchTheChiSquareRadius) {
  const int n = 401;
  const double lo = -6.0, step = 12.0 / (n - 1);
  std::vector<double> density(n * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double x = lo + j * step, y = lo + i * step;
      density[i * n + j] = std::exp(-0.5 * (x * x + y * y)) / (2.0 * std::numbers::pi);
    }
  const auto levels = massLevels(density, {0.5, 0.9, 0.99});
  ASSERT_EQ(levels.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    const double mass = k == 0 ? 0.5 : k == 1 ? 0.9 : 0.99;
    const double expected = (1.0 - mass) / (2.0 * std::numbers::pi);
    EXPECT_NEAR(levels[k], expected, 0.01 * expected) << mass;
    const double r = gaussianMassRadius(mass);
    EXPECT_NEAR(std::exp(-0.5 * r * r) / (2.0 * std::numbers::pi), expected, 1e-12 * expected);
  }
  EXPECT_NEAR(gaussianMassRadius(1.0 - std::exp(-0.5)), 1.0, 1e-12);
}

TEST(MassLevels, ScaleFreeAndEmptyWithoutMass) {
  std::vector<double> d = {0.0, 1.0, 2.0, 3.0, 4.0, NAN, -1.0, INFINITY};
  const auto a = massLevels(d, {0.4});
  for (double& v : d) v *= 1000.0;
  const auto b = massLevels(d, {0.4});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0], 4.0);  // 4 alone holds 4 / 10 of the finite positive mass
  EXPECT_EQ(b[0], 4000.0);
  EXPECT_TRUE(massLevels(std::vector<double>{0.0, -2.0, NAN}, {0.5}).empty());
}

}  // namespace
}  // namespace vilab
