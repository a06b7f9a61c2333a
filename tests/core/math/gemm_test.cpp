#include "core/math/gemm.hpp"

#include <gtest/gtest.h>

#include <tuple>

namespace vilab {
namespace {

using Eigen::MatrixXf;

// Every transpose combination, with and without accumulation, on shapes that cross the block
// sizes and leave partial tiles at every edge; checked against Eigen's product in double.
class GemmShapes : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

TEST_P(GemmShapes, MatchesEigenForEveryTransposeAndAccumulation) {
  const auto [m, n, k] = GetParam();
  for (int mode = 0; mode < 8; ++mode) {
    const bool transA = mode & 1, transB = mode & 2, accumulate = mode & 4;
    const MatrixXf a = transA ? MatrixXf::Random(k, m) : MatrixXf::Random(m, k);
    const MatrixXf b = transB ? MatrixXf::Random(n, k) : MatrixXf::Random(k, n);
    const MatrixXf start = MatrixXf::Random(m, n);
    MatrixXf c = start;
    gemm(c, a, transA, b, transB, accumulate);
    Eigen::MatrixXd opA = a.cast<double>(), opB = b.cast<double>();
    if (transA) opA.transposeInPlace();
    if (transB) opB.transposeInPlace();
    Eigen::MatrixXd expected = opA * opB;
    if (accumulate) expected += start.cast<double>();
    const double scale = std::sqrt(static_cast<double>(k)) + 1.0;
    EXPECT_LT((c.cast<double>() - expected).cwiseAbs().maxCoeff(), 2e-6 * scale)
        << m << "x" << n << "x" << k << " mode " << mode;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, GemmShapes,
                         ::testing::Values(std::tuple{32, 16, 16}, std::tuple{33, 17, 19},
                                           std::tuple{150, 37, 300}, std::tuple{47, 1601, 23},
                                           std::tuple{784, 20, 64}, std::tuple{5, 7, 3},
                                           std::tuple{64, 64, 0}));

TEST(Gemm, WorksOnBlocksOfLargerMatrices) {
  MatrixXf big = MatrixXf::Random(100, 90), out = MatrixXf::Zero(70, 60);
  const MatrixXf b = MatrixXf::Random(40, 60);
  gemm(out.block(5, 0, 50, 60), big.block(3, 7, 50, 40), false, b, false);
  const MatrixXf expected = big.block(3, 7, 50, 40) * b;
  EXPECT_LT((out.block(5, 0, 50, 60) - expected).cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_EQ(out.topRows(5).cwiseAbs().maxCoeff(), 0.0f);
  EXPECT_EQ(out.bottomRows(15).cwiseAbs().maxCoeff(), 0.0f);
}

TEST(Gemm, DoubleUsesEigen) {
  const Eigen::MatrixXd a = Eigen::MatrixXd::Random(9, 4), b = Eigen::MatrixXd::Random(9, 5);
  Eigen::MatrixXd c(4, 5);
  gemm(c, a, true, b, false);
  EXPECT_LT((c - a.transpose() * b).norm(), 1e-14);
}

}  // namespace
}  // namespace vilab
