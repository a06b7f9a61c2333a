#include "core/math/special.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace vilab {
namespace {

constexpr double kEulerGamma = 0.57721566490153286061;

TEST(Special, DigammaKnownValues) {
  EXPECT_NEAR(digamma(1.0), -kEulerGamma, 1e-14);
  EXPECT_NEAR(digamma(0.5), -kEulerGamma - 2.0 * std::log(2.0), 1e-14);
  // psi(n) = H_{n-1} - gamma
  EXPECT_NEAR(digamma(10.0), 1 + 1. / 2 + 1. / 3 + 1. / 4 + 1. / 5 + 1. / 6 + 1. / 7 + 1. / 8 +
                                 1. / 9 - kEulerGamma,
              5e-14);
}

TEST(Special, TrigammaKnownValues) {
  EXPECT_NEAR(trigamma(1.0), kPi * kPi / 6.0, 1e-13);
  EXPECT_NEAR(trigamma(0.5), kPi * kPi / 2.0, 1e-13);
}

TEST(Special, DigammaIsDerivativeOfLogGamma) {
  for (double x : {0.05, 0.7, 3.3, 12.0, 250.0, 4e4}) {
    const double h = 1e-5 * std::max(1.0, x);
    const double fd = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
    EXPECT_NEAR(digamma(x), fd, 1e-7 * std::max(1.0, std::fabs(fd))) << "x = " << x;
  }
}

TEST(Special, TrigammaIsDerivativeOfDigamma) {
  for (double x : {0.05, 0.7, 3.3, 12.0, 250.0}) {
    const double h = 1e-5 * std::max(0.1, x);
    const double fd = (digamma(x + h) - digamma(x - h)) / (2 * h);
    EXPECT_NEAR(trigamma(x), fd, 1e-6 * std::max(1.0, fd)) << "x = " << x;
  }
}

TEST(Special, LogSumExpIsStable) {
  const std::vector<double> big = {1000.0, 1000.0};
  EXPECT_NEAR(logSumExp(big), 1000.0 + std::log(2.0), 1e-12);
  const std::vector<double> small = {-1000.0, -1001.0};
  EXPECT_NEAR(logSumExp(small), -1000.0 + std::log1p(std::exp(-1.0)), 1e-12);
  EXPECT_TRUE(std::isinf(logSumExp({})));
}

TEST(Special, MultiGammaReducesToGamma) {
  EXPECT_NEAR(logMultiGamma(3.7, 1), logGamma(3.7), 1e-14);
  // Gamma_2(x) = sqrt(pi) Gamma(x) Gamma(x - 1/2)
  EXPECT_NEAR(logMultiGamma(2.5, 2), 0.5 * std::log(kPi) + logGamma(2.5) + logGamma(2.0), 1e-13);
}

TEST(Special, IncompleteGammaClosedForms) {
  for (double x : {0.01, 0.5, 1.0, 3.0, 10.0, 40.0}) {
    EXPECT_NEAR(regularizedGammaP(1.0, x), -std::expm1(-x), 1e-14) << x;
    EXPECT_NEAR(regularizedGammaP(0.5, x), std::erf(std::sqrt(x)), 1e-13) << x;
    // P(2, x) = 1 - (1 + x) e^-x
    EXPECT_NEAR(regularizedGammaP(2.0, x), 1.0 - (1.0 + x) * std::exp(-x), 1e-13) << x;
  }
  EXPECT_EQ(regularizedGammaP(3.0, 0.0), 0.0);
}

TEST(Special, IncompleteGammaShapeDerivativeMatchesFiniteDifference) {
  for (double a : {0.3, 1.0, 4.5, 30.0, 800.0}) {
    for (double rel : {0.3, 0.9, 1.0, 1.2, 2.0}) {
      const double x = a * rel;
      const double h = 1e-5 * a;
      const double fd = (regularizedGammaP(a + h, x) - regularizedGammaP(a - h, x)) / (2 * h);
      EXPECT_NEAR(regularizedGammaPDerivA(a, x), fd, 1e-6 * std::max(1e-3, std::fabs(fd)))
          << "a = " << a << " x = " << x;
      const double density = std::exp((a - 1) * std::log(x) - x - logGamma(a));
      EXPECT_NEAR(regularizedGammaPDerivAOverDensity(a, x) * density,
                  regularizedGammaPDerivA(a, x), 1e-10 * std::max(1e-6, std::fabs(fd)));
    }
  }
}

}  // namespace
}  // namespace vilab
