// Effective sample size against the closed form of a stationary AR(1) chain
// x_t = phi x_{t-1} + sqrt(1 - phi^2) e_t: tau = (1 + phi) / (1 - phi), ESS = N (1 - phi) / (1 +
// phi).

#include "core/diagnostics/ess.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/math/random.hpp"

namespace vilab {
namespace {

Eigen::VectorXd ar1(Eigen::Index n, double phi, Random& rng) {
  Eigen::VectorXd x(n);
  x[0] = rng.normal();
  const double s = std::sqrt(1.0 - phi * phi);
  for (Eigen::Index t = 1; t < n; ++t) x[t] = phi * x[t - 1] + s * rng.normal();
  return x;
}

TEST(Ess, Ar1ChainsMatchTheClosedForm) {
  // The estimate's relative sd is about sqrt(2 (2 T + 1) / N) with T the truncation lag; with
  // N = 2^17 that is under 5 % for phi = 0.9 (T ~ 60), so 15 % is three standard deviations.
  const Eigen::Index n = 1 << 17;
  Random rng(2024);
  for (double phi : {-0.3, 0.0, 0.5, 0.9}) {
    const Eigen::VectorXd x = ar1(n, phi, rng);
    const double expected = double(n) * (1.0 - phi) / (1.0 + phi);
    EXPECT_NEAR(effectiveSampleSize(x) / expected, 1.0, 0.15) << "phi = " << phi;
  }
}

TEST(Ess, PerColumnAndIndependentOfLocationAndScale) {
  Random rng(7);
  Eigen::MatrixXd draws(20000, 2);
  draws.col(0) = ar1(draws.rows(), 0.8, rng);
  draws.col(1) = 3.0 * draws.col(0).array() + 100.0;
  const Eigen::VectorXd ess = effectiveSampleSizes(draws);
  ASSERT_EQ(ess.size(), 2);
  EXPECT_NEAR(ess[0], ess[1], 1e-6 * ess[0]);
  EXPECT_NEAR(ess[0] / (20000.0 * 0.2 / 1.8), 1.0, 0.25);
}

TEST(Ess, DegenerateChains) {
  EXPECT_TRUE(std::isnan(effectiveSampleSize(Eigen::Vector3d(1, 2, 3))));
  EXPECT_EQ(effectiveSampleSize(Eigen::VectorXd::Constant(50, 2.5)), 1.0);
  // A perfectly alternating chain is antithetic: the estimate is capped at N log10 N.
  Eigen::VectorXd alt(1000);
  for (Eigen::Index i = 0; i < alt.size(); ++i) alt[i] = i % 2 ? 1.0 : -1.0;
  EXPECT_LE(effectiveSampleSize(alt), 1000.0 * 3.0 + 1e-9);
  EXPECT_GT(effectiveSampleSize(alt), 1000.0);
}

}  // namespace
}  // namespace vilab
