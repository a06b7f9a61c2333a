#include "core/estimators/normal_gradients.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/math/random.hpp"

namespace vilab {
namespace {

// Running mean, variance and the standard errors of both from n draws.
struct Moments {
  double n = 0, sum = 0, sum2 = 0, sum3 = 0, sum4 = 0;
  void add(double x) {
    n += 1, sum += x, sum2 += x * x, sum3 += x * x * x, sum4 += x * x * x * x;
  }
  double mean() const { return sum / n; }
  double variance() const { return sum2 / n - mean() * mean(); }
  double meanError() const { return std::sqrt(variance() / n); }
  // Standard error of the sample variance: sqrt((m4 - var^2) / n), m4 the 4th central moment.
  double varianceError() const {
    const double m = mean();
    const double m4 = sum4 / n - 4 * m * sum3 / n + 6 * m * m * sum2 / n - 3 * m * m * m * m;
    return std::sqrt((m4 - variance() * variance()) / n);
  }
};

// f(x) = (x - k)^2 with x ~ N(mu, sigma^2): E f = (mu - k)^2 + sigma^2, so the exact gradient is
// d/dmu = 2 (mu - k), d/dsigma = 2 sigma. At mu = k, sigma = 1 the single-sample variances are
// pathwise 4 (mu) and 8 (sigma), score function 15 and 74.
TEST(NormalGradients, QuadraticVariancesMatchClosedForm) {
  const double k = 0.7, mu = k, sigma = 1.0;
  Random rng(2024);
  Moments pathMu, pathSigma, scoreMu, scoreSigma;
  for (int i = 0; i < 4000000; ++i) {
    const double eps = rng.normal();
    const double x = mu + sigma * eps;
    const NormalGradient path = pathwiseNormal(2 * (x - k), eps);
    const NormalGradient score = scoreNormal((x - k) * (x - k), eps, sigma);
    pathMu.add(path.dMu), pathSigma.add(path.dSigma);
    scoreMu.add(score.dMu), scoreSigma.add(score.dSigma);
  }
  // Unbiased: means within 4 standard errors of the exact gradient.
  for (const Moments* m : {&pathMu, &scoreMu}) EXPECT_NEAR(m->mean(), 0.0, 4 * m->meanError());
  for (const Moments* m : {&pathSigma, &scoreSigma})
    EXPECT_NEAR(m->mean(), 2.0 * sigma, 4 * m->meanError());
  // Variances within 4 standard errors of the closed forms.
  EXPECT_NEAR(pathMu.variance(), 4.0, 4 * pathMu.varianceError());
  EXPECT_NEAR(pathSigma.variance(), 8.0, 4 * pathSigma.varianceError());
  EXPECT_NEAR(scoreMu.variance(), 15.0, 4 * scoreMu.varianceError());
  EXPECT_NEAR(scoreSigma.variance(), 74.0, 4 * scoreSigma.varianceError());
  // And the standard errors are small enough for the comparison to mean something.
  EXPECT_LT(scoreSigma.varianceError(), 2.0);
}

}  // namespace
}  // namespace vilab
