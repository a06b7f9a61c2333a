// Pareto-smoothed importance sampling: k-hat recovers the shape of ratios whose tail is a
// generalized Pareto, follows the closed form k = 1 - s^2 for a Gaussian q of scale s against a
// standard Gaussian p, reads "good" when q = p and "unreliable" for a narrow Gaussian q against
// a Student-t (2 dof) target; the smoothed weights are normalized, keep the ratios' order and
// leave the body of the distribution untouched.

#include "core/diagnostics/psis.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "core/diagnostics/generalized_pareto.hpp"
#include "core/math/random.hpp"

namespace vilab {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// ln p(x) - ln q(x) for x ~ q = N(0, s^2 I_d), p = N(0, I_d) (both normalized).
Eigen::VectorXd gaussianLogRatios(int draws, int d, double s, Random& rng) {
  Eigen::VectorXd lr(draws);
  for (int i = 0; i < draws; ++i) {
    double sq = 0.0;
    for (int j = 0; j < d; ++j) {
      const double z = rng.normal();
      sq += z * z;  // |x|^2 / s^2
    }
    lr[i] = -0.5 * sq * s * s + 0.5 * sq + d * std::log(s);
  }
  return lr;
}

double meanKhat(const std::function<Eigen::VectorXd()>& draw, int reps) {
  double sum = 0.0;
  for (int r = 0; r < reps; ++r) sum += paretoSmoothedImportanceSampling(draw()).khat;
  return sum / reps;
}

TEST(Psis, KhatRecoversTheShapeOfParetoTailedRatios) {
  // S = 10000 gives M = 300 tail draws; one estimate's sd is about (1 + xi) / sqrt(M), so the
  // mean of 30 is within ~0.025 (0.04 at xi = 1.3), and the prior's pull towards 0.5 is
  // 10 / 310 of the distance (0.026 at xi = 1.3).
  Random rng(1);
  for (double xi : {-0.2, 0.3, 0.6, 0.9, 1.3}) {
    const double khat = meanKhat(
        [&] {
          Eigen::VectorXd lr(10000);
          for (Eigen::Index i = 0; i < lr.size(); ++i)
            lr[i] = std::log(generalizedParetoQuantile(rng.uniform(), xi, 0.5) + 1e-3) + 7.0;
          return lr;
        },
        30);
    EXPECT_NEAR(khat, xi, 0.1) << "xi = " << xi;
  }
}

TEST(Psis, KhatOfAGaussianProposalMatchesOneMinusTheVarianceRatio) {
  // q = N(0, s^2 I), p = N(0, I), s < 1: ln r = |x|^2 (1 - s^2) / (2 s^2) + c with
  // |x|^2 / s^2 ~ chi^2_d, so P(r > t) decays as t^(-1/(1 - s^2)) up to polynomial factors in
  // ln t, and the tail index is k = 1 - s^2.
  Random rng(2);
  for (double s : {0.5, 0.7, 0.9}) {
    const double khat = meanKhat([&] { return gaussianLogRatios(4000, 2, s, rng); }, 10);
    EXPECT_NEAR(khat, 1.0 - s * s, 0.12) << "s = " << s;
  }
}

TEST(Psis, GoodWhenQEqualsPAndUnreliableForANarrowQOnAHeavyTail) {
  Random rng(3);
  // q = p up to rounding: every ratio is the same number.
  const PsisResult same = paretoSmoothedImportanceSampling(gaussianLogRatios(2000, 2, 1.0, rng));
  EXPECT_LT(same.khat, 0.5);
  EXPECT_EQ(readParetoK(same.khat), ParetoKReading::Good);
  EXPECT_NEAR(same.effectiveSampleSize, 2000.0, 1e-6);
  // q a little wider than p: bounded ratios, k-hat well below 0.5.
  const PsisResult wide = paretoSmoothedImportanceSampling(gaussianLogRatios(2000, 2, 1.2, rng));
  EXPECT_LT(wide.khat, 0.5);
  // A narrow Gaussian q = N(0, 0.3^2 I) against a 2-D Student-t with 2 degrees of freedom:
  // r grows like exp(|x|^2 / (2 0.3^2)) and P(r > t) decays like 1/t up to logarithmic factors
  // (k = 1: infinite variance). One estimate's sd is about 2 / sqrt(M) = 0.15 at S = 4000, so
  // the test reads the mean of 20 (sd ~0.035) and each one's reading is mostly unreliable.
  int unreliable = 0;
  double mean = 0.0;
  for (int rep = 0; rep < 20; ++rep) {
    Eigen::VectorXd lr(4000);
    for (Eigen::Index i = 0; i < lr.size(); ++i) {
      const double x1 = 0.3 * rng.normal(), x2 = 0.3 * rng.normal();
      const double sq = x1 * x1 + x2 * x2;
      lr[i] = -2.0 * std::log1p(sq / 2.0) + 0.5 * sq / 0.09;  // ln t_2(x) - ln q(x) + const
    }
    const double k = paretoSmoothedImportanceSampling(lr).khat;
    mean += k / 20;
    unreliable += readParetoK(k) == ParetoKReading::Unreliable;
  }
  EXPECT_GT(mean, 0.7);
  EXPECT_GE(unreliable, 12);
}

TEST(Psis, SmoothedWeightsAreNormalizedOrderedAndKeepTheBody) {
  Random rng(4);
  const Eigen::VectorXd lr = gaussianLogRatios(1000, 2, 0.6, rng);
  const PsisResult r = paretoSmoothedImportanceSampling(lr);
  ASSERT_EQ(r.logWeights.size(), lr.size());
  EXPECT_EQ(r.tailLength, 95);  // ceil(3 sqrt(1000)) < 1000 / 5
  EXPECT_NEAR(r.logWeights.array().exp().sum(), 1.0, 1e-12);
  // Order: a larger ratio never gets a smaller weight.
  for (Eigen::Index i = 0; i < lr.size(); ++i)
    for (Eigen::Index j = 0; j < lr.size(); ++j)
      if (lr[i] < lr[j]) {
        ASSERT_LE(r.logWeights[i], r.logWeights[j]) << i << " " << j;
      }
  // Truncation: no smoothed weight above the largest raw one (relative to the body).
  const Eigen::Index top = [&] {
    Eigen::Index k;
    lr.maxCoeff(&k);
    return k;
  }();
  EXPECT_LE(r.logWeights.maxCoeff(), r.logWeights[top] + 1e-12);
  // The body (outside the tail) keeps its ratios exactly: a common shift only.
  Eigen::VectorXd sorted = lr;
  std::sort(sorted.begin(), sorted.end());
  const double cutoff = sorted[lr.size() - r.tailLength - 1];
  double shift = std::numeric_limits<double>::quiet_NaN();
  int body = 0;
  for (Eigen::Index i = 0; i < lr.size(); ++i) {
    if (lr[i] > cutoff) continue;
    ++body;
    if (std::isnan(shift)) shift = r.logWeights[i] - lr[i];
    EXPECT_NEAR(r.logWeights[i] - lr[i], shift, 1e-9);
  }
  EXPECT_EQ(body, lr.size() - r.tailLength);
  EXPECT_GT(r.effectiveSampleSize, 1.0);
  EXPECT_LT(r.effectiveSampleSize, 1000.0);
}

TEST(Psis, SmallAndInvalidInput) {
  // Too few draws for a tail of 5: no k-hat, weights are the normalized raw ratios.
  const Eigen::VectorXd few = Eigen::VectorXd::LinSpaced(20, -3.0, 0.0);
  const PsisResult r = paretoSmoothedImportanceSampling(few);
  EXPECT_TRUE(std::isnan(r.khat));
  EXPECT_EQ(readParetoK(r.khat), ParetoKReading::Unreliable);
  EXPECT_NEAR(r.logWeights[19] - r.logWeights[0], 3.0, 1e-12);
  EXPECT_NEAR(r.logWeights.array().exp().sum(), 1.0, 1e-12);
  // p~ = 0 at some draws is allowed (weight 0).
  Random rng(5);
  Eigen::VectorXd lr = gaussianLogRatios(500, 1, 0.8, rng);
  lr[3] = -kInf;
  const PsisResult zero = paretoSmoothedImportanceSampling(lr);
  EXPECT_TRUE(std::isfinite(zero.khat));
  EXPECT_EQ(zero.logWeights[3], -kInf);
  // NaN or +inf: nothing can be said.
  lr[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(paretoSmoothedImportanceSampling(lr).khat));
  lr[3] = kInf;
  EXPECT_TRUE(std::isnan(paretoSmoothedImportanceSampling(lr).logWeights[0]));
  EXPECT_TRUE(
      std::isnan(paretoSmoothedImportanceSampling(Eigen::VectorXd::Constant(30, -kInf)).khat));
}

TEST(Psis, Reading) {
  EXPECT_EQ(readParetoK(-kInf), ParetoKReading::Good);
  EXPECT_EQ(readParetoK(0.49), ParetoKReading::Good);
  EXPECT_EQ(readParetoK(0.5), ParetoKReading::Usable);
  EXPECT_EQ(readParetoK(0.7), ParetoKReading::Usable);
  EXPECT_EQ(readParetoK(0.71), ParetoKReading::Unreliable);
  EXPECT_STREQ(paretoKReadingName(ParetoKReading::Usable), "usable");
}

}  // namespace
}  // namespace vilab
