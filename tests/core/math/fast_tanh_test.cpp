// The vectorised tanh against std::tanh over many decades, both signs, the series/exp switch at
// |x| = 0.01, saturation, and NaN.

#include "core/math/fast_tanh.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace vilab {
namespace {

TEST(FastTanh, MatchesStdTanh) {
  std::vector<double> x;
  for (double m = 1e-300; m < 1e3; m *= 1.0137) {
    x.push_back(m);
    x.push_back(-m);
  }
  for (double v : {0.0, -0.0, 0.01, -0.01, std::nextafter(0.01, 0.0), 19.0, 400.0, 1e308}) x.push_back(v);
  std::vector<double> y = x;
  tanhInPlace(y.data(), std::ptrdiff_t(y.size()));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = std::tanh(x[i]);
    EXPECT_LE(std::abs(y[i] - exact), 3e-16) << x[i];
    EXPECT_LE(std::abs(y[i] - exact), 1e-14 * std::abs(exact)) << x[i];
  }
}

TEST(FastTanh, OddTailsAndNaN) {
  double v[7] = {std::numeric_limits<double>::quiet_NaN(), -1e-5, 1e-5, -3.0, 3.0, -800.0, 800.0};
  tanhInPlace(v, 7);  // a tail of three after one packet of four
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_EQ(v[1], -v[2]);
  EXPECT_EQ(v[3], -v[4]);
  EXPECT_EQ(v[5], -1.0);
  EXPECT_EQ(v[6], 1.0);
}

}  // namespace
}  // namespace vilab
