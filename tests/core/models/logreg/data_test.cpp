// Generated data: the seed decides everything, the class balance and flipped fraction are as
// asked, the within-class correlation shows in the sample; user tables keep their columns.

#include "core/models/logreg/data.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vilab {
namespace {

TEST(LogregData, SeedDecidesAndSettingsShow) {
  LogregDataSettings s;
  s.n = 4000;
  s.balance = 0.3;
  s.correlation = 0.7;
  s.separation = 0.0;
  s.offset = 5.0;
  const LogregData a = generateLogregData(s, 9), b = generateLogregData(s, 9), c = generateLogregData(s, 10);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_NE(a.x, c.x);
  EXPECT_EQ(a.positives(), 1200);
  const Eigen::VectorXd m = a.x.colwise().mean().transpose();
  EXPECT_NEAR(m[0], 5.0, 0.1);
  const Eigen::MatrixXd centred = a.x.rowwise() - m.transpose();
  const Eigen::Matrix2d cov = centred.transpose() * centred / double(a.n() - 1);
  EXPECT_NEAR(cov(0, 1) / std::sqrt(cov(0, 0) * cov(1, 1)), 0.7, 0.05);
  EXPECT_EQ(a.design().col(2), Eigen::VectorXd::Ones(a.n()));
  EXPECT_EQ(a.inputNames, (std::vector<std::string>{"x₁", "x₂"}));
}

TEST(LogregData, FlipsTheAskedFractionOfLabels) {
  LogregDataSettings s;
  s.n = 1000;
  s.separation = 20.0;  // separable before flipping: a flipped label sits on the wrong side
  s.flip = 0.1;
  const LogregData d = generateLogregData(s, 3);
  int wrong = 0;
  for (Eigen::Index i = 0; i < d.n(); ++i) wrong += ((d.x(i, 0) + d.x(i, 1) > 0) != (d.y[i] > 0.5)) ? 1 : 0;
  EXPECT_EQ(wrong, 100);
}

TEST(LogregData, NamesOfWeights) {
  EXPECT_EQ(weightName(0, 2), "w₁");
  EXPECT_EQ(weightName(2, 2), "b");
  EXPECT_EQ(inputName(11), "x₁₂");
}

}  // namespace
}  // namespace vilab
