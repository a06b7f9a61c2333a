#include "core/math/gauss_hermite.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vilab {
namespace {

TEST(GaussHermite, ExactForNormalMomentsUpToDegree2nMinus1) {
  const Quadrature q = gaussHermiteNormal(8);
  const auto moment = [&](int p) {
    double sum = 0.0;
    for (std::size_t i = 0; i < q.nodes.size(); ++i) sum += q.weights[i] * std::pow(q.nodes[i], p);
    return sum;
  };
  EXPECT_NEAR(moment(0), 1.0, 1e-14);
  EXPECT_NEAR(moment(1), 0.0, 1e-13);
  EXPECT_NEAR(moment(2), 1.0, 1e-13);
  EXPECT_NEAR(moment(4), 3.0, 1e-12);
  EXPECT_NEAR(moment(6), 15.0, 1e-11);
  EXPECT_NEAR(moment(14), 135135.0, 1e-6 * 135135.0);  // (2*7 - 1)!!
  EXPECT_GT(std::fabs(moment(16) - 2027025.0), 1.0);   // degree 16 = 2n is beyond exactness
}

TEST(GaussHermite, SmoothExpectation) {
  // E[exp(z)] = e^{1/2}.
  const Quadrature q = gaussHermiteNormal(16);
  double sum = 0.0;
  for (std::size_t i = 0; i < q.nodes.size(); ++i) sum += q.weights[i] * std::exp(q.nodes[i]);
  EXPECT_NEAR(sum, std::exp(0.5), 1e-12);
}

}  // namespace
}  // namespace vilab
