#include "core/math/fast_exp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/math/log_product.hpp"
#include "core/math/random.hpp"

namespace vilab {
namespace {

TEST(FastExp, MatchesStdExpToAFewUlpsOverTheWholeRange) {
  Random rng(5);
  std::vector<double> x;
  for (int i = 0; i <= 7080; ++i) x.push_back(-0.1 * i);  // grid, includes 0 and -708
  for (int i = 0; i < 20000; ++i) x.push_back(-708.0 * rng.uniform());
  for (int i = 0; i < 2000; ++i) x.push_back(-1e-3 * rng.uniform());  // near 0
  x.push_back(-0.0);
  x.push_back(-1e-300);
  std::vector<double> y = x;
  expNonPositiveInPlace(y.data(), static_cast<std::ptrdiff_t>(y.size()));
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = std::exp(x[i]);
    worst = std::max(worst, std::fabs(y[i] - exact) / exact);
  }
  EXPECT_LT(worst, 6e-16);  // a few units in the last place
}

TEST(FastExp, FlushesBelowTheNormalRangeAndKeepsNaN) {
  std::vector<double> x = {-708.5, -745.0, -1e9, -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()};
  expNonPositiveInPlace(x.data(), static_cast<std::ptrdiff_t>(x.size()));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(x[i], 0.0) << i;
  EXPECT_TRUE(std::isnan(x[4]));
}

TEST(FastExp, TailElementsRoundLikeTheRest) {
  // The same values at positions inside a packet and in the tail give identical results.
  const std::vector<double> values = {-0.3, -1.7, -12.25, -200.0, -0.3, -1.7, -12.25};
  std::vector<double> y = values;
  expNonPositiveInPlace(y.data(), 7);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(y[i], y[i + 4]);
}

TEST(LogProduct, EqualsTheSumOfLogarithms) {
  Random rng(6);
  std::vector<double> v(5000);
  double direct = 0.0;
  for (auto& x : v) {
    x = std::exp(-16.0 + 17.6 * rng.uniform());  // in [e^-16, e^1.6]
    direct += std::log(x);
  }
  LogProduct product;
  product.multiply(v.data(), 3000, 16.0);
  product.multiply(v.data() + 3000, 2000, 16.0);
  EXPECT_NEAR(product.log(), direct, 1e-9);
  product.clear();
  EXPECT_EQ(product.log(), 0.0);
}

}  // namespace
}  // namespace vilab
