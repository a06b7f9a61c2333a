#include "core/math/random.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vilab {
namespace {

TEST(Random, SameSeedSameStream) {
  Random a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.normal();
    EXPECT_EQ(x, b.normal());
    differs = differs || x != c.normal();
  }
  EXPECT_TRUE(differs);
}

// Sample moments within 5 standard errors of the distribution's.
void expectMoments(double mean, double var, double sampleMean, double sampleVar, int n,
                   double kurtosisExcess) {
  EXPECT_NEAR(sampleMean, mean, 5.0 * std::sqrt(var / n));
  EXPECT_NEAR(sampleVar, var, 5.0 * var * std::sqrt((2.0 + kurtosisExcess) / n));
}

TEST(Random, NormalMoments) {
  Random rng(7);
  const int n = 400000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    s += x, s2 += x * x;
  }
  expectMoments(0.0, 1.0, s / n, s2 / n - (s / n) * (s / n), n, 0.0);
}

TEST(Random, GammaMoments) {
  for (double shape : {0.3, 1.0, 2.5, 40.0}) {
    Random rng(11);
    const int n = 400000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
      const double x = rng.gamma(shape);
      ASSERT_GT(x, 0.0);
      s += x, s2 += x * x;
    }
    expectMoments(shape, shape, s / n, s2 / n - (s / n) * (s / n), n, 6.0 / shape);
  }
}

TEST(Random, UniformOpenNeverZero) {
  Random rng(3);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniformOpen();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace vilab
