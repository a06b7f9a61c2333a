#include "core/models/fa_data.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vilab {
namespace {

TEST(FaData, GenerationFollowsTheSettingsAndTheSeed) {
  FaGenerateOptions o{
      .n = 200, .d = 7, .k = 3, .noise = 0.4, .spread = 50.0, .scale = 2.0, .seed = 9};
  Eigen::MatrixXd y, again, longer;
  const FaTruth t = generateFaData(o, y);
  ASSERT_EQ(y.rows(), 200);
  ASSERT_EQ(y.cols(), 7);
  ASSERT_EQ(t.W.rows(), 7);
  ASSERT_EQ(t.W.cols(), 3);
  ASSERT_EQ(t.z.rows(), 200);
  EXPECT_NEAR(t.psi.maxCoeff() / t.psi.minCoeff(), 50.0, 1e-10);
  EXPECT_NEAR(std::exp(t.psi.array().log().mean()), std::pow(2.0 * 0.4, 2), 1e-12);
  // Same seed, same data; more points extend the same rows.
  generateFaData(o, again);
  EXPECT_EQ(y, again);
  o.n = 300;
  generateFaData(o, longer);
  EXPECT_EQ(longer.topRows(200), y);
  o.seed = 10;
  generateFaData(o, again);
  EXPECT_NE(again.row(0), longer.row(0));
}

TEST(FaData, SampleCovarianceApproachesTheModelCovariance) {
  const FaGenerateOptions o{
      .n = 200000, .d = 5, .k = 2, .noise = 0.5, .spread = 10.0, .scale = 1.0, .seed = 3};
  Eigen::MatrixXd y;
  const FaTruth t = generateFaData(o, y);
  const FaStats s = faStats(y);
  Eigen::MatrixXd C = t.W * t.W.transpose();
  C.diagonal() += t.psi;
  const Eigen::MatrixXd S = s.scale * s.scale * s.S;
  // Entries of a sample covariance have standard error about sqrt((C_ii C_jj + C_ij^2) / N).
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(s.mean[i], t.mu[i], 5 * std::sqrt(C(i, i) / o.n));
    for (int j = 0; j < 5; ++j)
      EXPECT_NEAR(S(i, j), C(i, j), 5 * std::sqrt((C(i, i) * C(j, j) + C(i, j) * C(i, j)) / o.n));
  }
}

TEST(FaData, StatisticsInInternalUnits) {
  const FaGenerateOptions o{.n = 300, .d = 6, .k = 2, .scale = 1e30, .seed = 4};
  Eigen::MatrixXd y;
  generateFaData(o, y);
  y.col(4) = -3.0 * y.col(2);  // collinear: correlation -1
  const FaStats s = faStats(y);
  EXPECT_NEAR(s.S.diagonal().mean(), 1.0, 1e-12);
  const Eigen::MatrixXd c = y.rowwise() - y.colwise().mean();
  const Eigen::MatrixXd direct = (c / s.scale).transpose() * (c / s.scale) / 300.0;
  EXPECT_LE((s.S - direct).norm(), 1e-12 * direct.norm());
  EXPECT_EQ(s.S, s.S.transpose());
  // Eigenvalues descending with orthonormal eigenvectors.
  for (int j = 1; j < 6; ++j) EXPECT_GE(s.eigenvalues[j - 1], s.eigenvalues[j]);
  EXPECT_LE((s.eigenvectors.transpose() * s.eigenvectors - Eigen::MatrixXd::Identity(6, 6)).norm(),
            1e-12);
  const Eigen::MatrixXd rebuilt =
      s.eigenvectors * s.eigenvalues.asDiagonal() * s.eigenvectors.transpose();
  EXPECT_LE((rebuilt - s.S).norm(), 1e-12);
  ASSERT_EQ(s.collinear.size(), 1u);
  EXPECT_EQ(s.collinear[0], std::make_pair(2, 4));
  // Every other row, centred and scaled.
  const Eigen::MatrixXd rows = centredRows(y, s, 2);
  ASSERT_EQ(rows.rows(), 150);
  EXPECT_LE((rows.row(7) - c.row(14) / s.scale).norm(), 1e-14 * rows.row(7).norm());
}

TEST(FaData, AcceptsOrdinaryDataAndNamesTheFirstProblem) {
  Eigen::MatrixXd y(4, 2);
  y << 1, 2, 3, 1, 2, 2, 5, 0;
  EXPECT_TRUE(checkFaData(y).isOk());
  y(2, 1) = INFINITY;
  EXPECT_NE(checkFaData(y).message().find("row 3, column 2"), std::string::npos);
  y(2, 1) = 2;
  y.col(0) *= 1e-101;
  EXPECT_NE(checkFaData(y).message().find("column 1 has standard deviation"), std::string::npos)
      << checkFaData(y).message();
}

TEST(FaData, ConstantColumnsAreKeptAndZeroInTheCovariance) {
  Eigen::MatrixXd y = Eigen::MatrixXd::Random(30, 5);
  y.col(1).setConstant(-2.5);
  y.col(3).array() = 1e9 + 1e-9 * y.col(3).array();  // varies only at rounding level
  EXPECT_EQ(constantColumns(y), (std::vector<int>{1, 3}));
  EXPECT_TRUE(checkFaData(y).isOk());
  const FaStats s = faStats(y);
  EXPECT_EQ(s.constant, (std::vector<int>{1, 3}));
  for (int c : {1, 3}) {
    EXPECT_EQ(s.S.row(c).norm(), 0.0);
    EXPECT_EQ(s.S.col(c).norm(), 0.0);
  }
  EXPECT_TRUE(s.collinear.empty());
  EXPECT_EQ(centredRows(y, s, 1).col(3).norm(), 0.0);
  // Blocks of rows give the covariance of the whole (more rows than one block of 2048).
  Eigen::MatrixXd tall = Eigen::MatrixXd::Random(5000, 4);
  tall.col(2) += 3.0 * tall.col(0);
  const FaStats t = faStats(tall);
  const Eigen::MatrixXd c = (tall.rowwise() - tall.colwise().mean()) / t.scale;
  EXPECT_LE((t.S - c.transpose() * c / 5000.0).norm(), 1e-13 * t.S.norm());
}

TEST(FaData, ImagesBecomeRowsOfGreyValues) {
  ImageSet set;
  set.rows = 2;
  set.cols = 3;
  set.pixels = {0, 255, 51, 102, 0, 0, 10, 20, 30, 40, 50, 60};
  set.labels = {0, 1};
  const Eigen::MatrixXd y = imageRows(set, 2);
  ASSERT_EQ(y.rows(), 2);
  ASSERT_EQ(y.cols(), 6);
  EXPECT_DOUBLE_EQ(y(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(y(0, 2), 0.2);
  EXPECT_DOUBLE_EQ(y(1, 5), 60.0 / 255.0);
  EXPECT_EQ(imageRows(set, 1).rows(), 1);
}

}  // namespace
}  // namespace vilab
