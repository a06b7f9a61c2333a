#include "core/estimators/gamma_gradients.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/math/special.hpp"

namespace vilab {
namespace {

// The Gamma(a, 1) quantile by bisection on the CDF: the sample a fixed uniform u maps to.
double gammaQuantile(double a, double u) {
  double lo = 0.0, hi = a + 50.0 * std::sqrt(a) + 50.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (regularizedGammaP(a, mid) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

TEST(GammaGradients, ImplicitShapeDerivativeIsDerivativeOfTheQuantile) {
  for (double a : {0.4, 1.0, 3.0, 25.0, 400.0}) {
    for (double u : {0.05, 0.3, 0.5, 0.8, 0.97}) {
      const double g = gammaQuantile(a, u);
      const double h = 1e-4 * a;
      const double fd = (gammaQuantile(a + h, u) - gammaQuantile(a - h, u)) / (2 * h);
      EXPECT_NEAR(gammaSampleShapeDerivative(a, g), fd, 1e-5 * std::max(1.0, std::fabs(fd)))
          << "a = " << a << " u = " << u;
    }
  }
}

TEST(GammaGradients, ScoreMatchesFiniteDifferenceOfLogDensity) {
  const double tau = 1.3, a = 2.5, b = 1.7, h = 1e-6;
  auto logq = [&](double aa, double bb) {
    return aa * std::log(bb) - logGamma(aa) + (aa - 1) * std::log(tau) - bb * tau;
  };
  const GammaScore s = gammaScore(tau, a, b);
  EXPECT_NEAR(s.dA, (logq(a + h, b) - logq(a - h, b)) / (2 * h), 1e-7);
  EXPECT_NEAR(s.dB, (logq(a, b + h) - logq(a, b - h)) / (2 * h), 1e-7);
}

}  // namespace
}  // namespace vilab
