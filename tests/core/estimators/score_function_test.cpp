// Score-function baselines: each keeps the estimate unbiased and the LOO / optimal baselines
// reduce the variance when f has a large constant part (as a log-likelihood does).

#include "core/estimators/score_function.hpp"

#include <gtest/gtest.h>

#include "core/math/random.hpp"

namespace vilab {
namespace {

// z ~ N(mu, 1), f(z) = c + z^2: d/dmu E[f] = 2 mu; score h = z - mu.
Eigen::Vector3d meanAndVariance(ScoreBaseline baseline, int s, int reps, double c, double mu, double& variance) {
  Random rng(3);
  double sum = 0.0, sum2 = 0.0;
  for (int r = 0; r < reps; ++r) {
    Eigen::VectorXd f(s);
    Eigen::MatrixXd h(s, 1), terms;
    for (int i = 0; i < s; ++i) {
      const double z = mu + rng.normal();
      f[i] = c + z * z;
      h(i, 0) = z - mu;
    }
    scoreFunctionTerms(f, h, baseline, terms);
    const double est = terms.col(0).mean();
    sum += est;
    sum2 += est * est;
  }
  const double mean = sum / reps;
  variance = sum2 / reps - mean * mean;
  return {mean, std::sqrt(variance / reps), 0.0};
}

TEST(ScoreFunction, EveryBaselineIsUnbiasedAndTheControlVariatesCutTheVariance) {
  const double mu = 0.7, c = 50.0;
  double vNone = 0, vLoo = 0, vOpt = 0;
  for (auto [b, v] : {std::pair{ScoreBaseline::None, &vNone}, {ScoreBaseline::Loo, &vLoo}, {ScoreBaseline::Optimal, &vOpt}}) {
    const Eigen::Vector3d r = meanAndVariance(b, 8, 40000, c, mu, *v);
    EXPECT_NEAR(r[0], 2 * mu, 4 * r[1]) << static_cast<int>(b);
  }
  EXPECT_LT(vLoo, 0.05 * vNone);
  EXPECT_LT(vOpt, 0.05 * vNone);
}

TEST(ScoreFunction, OneSampleHasNoBaseline) {
  Eigen::VectorXd f(1);
  f << 3.0;
  Eigen::MatrixXd h(1, 2), a, b;
  h << 0.5, -1.0;
  scoreFunctionTerms(f, h, ScoreBaseline::None, a);
  scoreFunctionTerms(f, h, ScoreBaseline::Loo, b);
  EXPECT_EQ(a, b);
  scoreFunctionTerms(f, h, ScoreBaseline::Optimal, b);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace vilab
