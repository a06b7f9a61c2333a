// The generalized Pareto fit (Zhang & Stephens 2009) recovers the shape and scale of draws
// simulated by inversion, x = sigma ((1 - U)^(-k) - 1) / k, for light, exponential-like and
// heavy tails; the quantile function inverts the CDF.

#include "core/diagnostics/generalized_pareto.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/math/random.hpp"

namespace vilab {
namespace {

TEST(GeneralizedPareto, QuantileInvertsTheCdf) {
  for (double k : {-0.4, 0.0, 0.3, 1.5})
    for (double p : {0.01, 0.5, 0.9, 0.999}) {
      const double x = generalizedParetoQuantile(p, k, 2.0);
      const double cdf =
          k == 0.0 ? 1.0 - std::exp(-x / 2.0) : 1.0 - std::pow(1.0 + k * x / 2.0, -1.0 / k);
      EXPECT_NEAR(cdf, p, 1e-12) << "k = " << k << ", p = " << p;
    }
}

TEST(GeneralizedPareto, RecoversShapeAndScale) {
  // n = 200 exceedances, 30 replicates: the shape's standard error per fit is about
  // (1 + k) / sqrt(n), so the mean of 30 fits has an sd of at most 0.026 (k = 1); 0.07 is over
  // 2.5 sds.
  Random rng(99);
  const int n = 200, reps = 30;
  for (double k : {-0.3, 0.0, 0.5, 1.0}) {
    const double sigma = 1.7;
    double kMean = 0.0, logSigmaMean = 0.0;
    std::vector<double> x(n);
    for (int r = 0; r < reps; ++r) {
      for (double& v : x) v = generalizedParetoQuantile(rng.uniform(), k, sigma);
      std::sort(x.begin(), x.end());
      const GeneralizedPareto fit = fitGeneralizedPareto(x, false);
      kMean += fit.k / reps;
      logSigmaMean += std::log(fit.sigma) / reps;
    }
    EXPECT_NEAR(kMean, k, 0.07) << "k = " << k;
    EXPECT_NEAR(logSigmaMean, std::log(sigma), 0.07) << "k = " << k;
  }
}

TEST(GeneralizedPareto, WeaklyInformativePriorShrinksTowardsOneHalf) {
  Random rng(3);
  std::vector<double> x(40);
  for (double& v : x) v = generalizedParetoQuantile(rng.uniform(), 1.2, 1.0);
  std::sort(x.begin(), x.end());
  const double raw = fitGeneralizedPareto(x, false).k;
  const double shrunk = fitGeneralizedPareto(x, true).k;
  EXPECT_NEAR(shrunk, (40.0 * raw + 10.0 * 0.5) / 50.0, 1e-12);
}

}  // namespace
}  // namespace vilab
