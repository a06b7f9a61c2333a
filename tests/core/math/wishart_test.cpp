#include "core/math/wishart.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>

#include "core/math/random.hpp"
#include "core/math/special.hpp"

namespace vilab {
namespace {

// In one dimension W(lambda | w, nu) is Gamma(nu/2, rate 1/(2w)).
TEST(Wishart, OneDimensionIsAGamma) {
  for (const auto& [w, nu] : {std::pair{0.7, 1.5}, std::pair{3.0, 10.0}, std::pair{1e-3, 200.0}}) {
    const double a = nu / 2, b = 1.0 / (2.0 * w);
    const double logW = std::log(w);
    EXPECT_NEAR(wishartLogNormaliser(logW, nu, 1), a * std::log(b) - logGamma(a), 1e-12);
    EXPECT_NEAR(wishartExpectedLogDet(logW, nu, 1), digamma(a) - std::log(b), 1e-12);
    EXPECT_NEAR(wishartEntropy(logW, nu, 1), a - std::log(b) + logGamma(a) + (1.0 - a) * digamma(a),
                1e-10);
  }
}

// E[ln|Lambda|] in two dimensions against Bartlett-decomposition samples:
// Lambda = L A A^T L^T, W = L L^T, A lower triangular with A_ii^2 ~ chi2(nu - i + 1).
TEST(Wishart, ExpectedLogDeterminantMatchesSamples) {
  Eigen::Matrix2d w;
  w << 0.8, 0.3, 0.3, 0.5;
  const double nu = 4.5;
  const Eigen::Matrix2d l = w.llt().matrixL();
  Random rng(3);
  const int n = 200000;
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    Eigen::Matrix2d a = Eigen::Matrix2d::Zero();
    a(0, 0) = std::sqrt(2.0 * rng.gamma(nu / 2));
    a(1, 1) = std::sqrt(2.0 * rng.gamma((nu - 1) / 2));
    a(1, 0) = rng.normal();
    const Eigen::Matrix2d lambda = l * a * a.transpose() * l.transpose();
    const double v = std::log(lambda.determinant());
    sum += v, sum2 += v * v;
  }
  const double mean = sum / n, se = std::sqrt((sum2 / n - mean * mean) / n);
  EXPECT_NEAR(wishartExpectedLogDet(std::log(w.determinant()), nu, 2), mean, 4 * se);
}

}  // namespace
}  // namespace vilab
