#include "core/models/gmm_kernel.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/math/random.hpp"

namespace vilab {
namespace {

Eigen::MatrixXd randomData(int n, int d, Random& rng) {
  Eigen::MatrixXd x(n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) x(i, j) = 3.0 * rng.normal() + j;
  return x;
}

// Scores, responsibilities and totals computed the plain way, point by point.
struct Reference {
  Eigen::MatrixXd score, r, moments;
  double lse = 0, scoreDotR = 0, shifted = 0;
};

Reference reference(const Eigen::MatrixXd& phi, const Eigen::MatrixXd& coeff,
                    const Eigen::VectorXd& shift) {
  Reference out;
  out.score = phi * coeff;
  out.r.resizeLike(out.score);
  for (Eigen::Index i = 0; i < phi.rows(); ++i) {
    const double m = out.score.row(i).maxCoeff();
    const double s = (out.score.row(i).array() - m).exp().sum();
    out.lse += m + std::log(s);
    out.r.row(i) = (out.score.row(i).array() - m).exp() / s;
    const Eigen::RowVectorXd shifted = out.score.row(i) + shift.transpose();
    const double m2 = shifted.maxCoeff();
    out.shifted += m2 + std::log((shifted.array() - m2).exp().sum());
  }
  out.scoreDotR = (out.r.array() * out.score.array()).sum();
  out.moments = out.r.transpose() * phi;
  return out;
}

void expectPassMatches(int n, int d, int k, double shiftSpread) {
  Random rng(n * 31 + d);
  const Eigen::MatrixXd x = randomData(n, d, rng);
  QuadraticFeatures f;
  SmallVector centre = x.colwise().mean().transpose();
  f.build(x, centre);
  ASSERT_EQ(f.phi().cols(), QuadraticFeatures::count(d));
  Eigen::MatrixXd coeff(QuadraticFeatures::count(d), k);
  for (int c = 0; c < k; ++c) {
    SmallVector mean(d);
    SmallMatrix precision = SmallMatrix::Identity(d, d) * (0.3 + 0.2 * c);
    for (int j = 0; j < d; ++j) mean(j) = 2.0 * rng.normal();
    if (d == 2) precision(0, 1) = precision(1, 0) = 0.05 * c;
    f.scoreCoefficients(std::log(1.0 + c), mean, precision, coeff.col(c));
  }
  Eigen::VectorXd shift(k);
  for (int c = 0; c < k; ++c) shift(c) = shiftSpread * (rng.uniform() - 0.5);
  const Reference ref = reference(f.phi(), coeff, shift);

  ResponsibilityPass pass;
  Eigen::MatrixXd r;
  PassTotals totals;
  pass.run(f, coeff, &shift, &r, totals);
  ASSERT_EQ(r.rows(), n);
  ASSERT_EQ(r.cols(), k);
  EXPECT_LT((r - ref.r).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_NEAR(totals.logSumExp, ref.lse, 1e-11 * std::fabs(ref.lse));
  EXPECT_NEAR(totals.scoreDotR, ref.scoreDotR, 1e-11 * std::fabs(ref.scoreDotR));
  EXPECT_NEAR(totals.shiftedLogSumExp, ref.shifted, 1e-11 * std::fabs(ref.shifted));
  EXPECT_LT((totals.moments - ref.moments).cwiseAbs().maxCoeff(),
            1e-11 * ref.moments.cwiseAbs().maxCoeff());
  // Without shifts the shifted total is left at zero; without r the totals are the same.
  PassTotals plain;
  pass.run(f, coeff, nullptr, nullptr, plain);
  EXPECT_EQ(plain.shiftedLogSumExp, 0.0);
  EXPECT_EQ(plain.logSumExp, totals.logSumExp);
  EXPECT_EQ(plain.scoreDotR, totals.scoreDotR);
  EXPECT_EQ(plain.moments, totals.moments);
  // Without the sum r L the rest is unchanged.
  PassTotals noDot;
  pass.run(f, coeff, &shift, nullptr, noDot, false);
  EXPECT_EQ(noDot.scoreDotR, 0.0);
  EXPECT_EQ(noDot.logSumExp, totals.logSumExp);
  EXPECT_EQ(noDot.shiftedLogSumExp, totals.shiftedLogSumExp);
  EXPECT_EQ(noDot.moments, totals.moments);
}

TEST(ResponsibilityPass, MatchesPointByPointComputation2d) {
  expectPassMatches(1000, 2, 5, 2.0);  // N a multiple of the block
}
TEST(ResponsibilityPass, PartialBlocksAndPadding) {
  expectPassMatches(1001, 2, 3, 2.0);
  expectPassMatches(130, 1, 4, 2.0);
  expectPassMatches(3, 2, 2, 2.0);
  expectPassMatches(1, 1, 1, 0.0);
}
TEST(ResponsibilityPass, WidelySpreadShiftsTakeTheExactPath) {
  expectPassMatches(517, 2, 4, 200.0);
  expectPassMatches(517, 1, 3, 1e6);
}

TEST(ResponsibilityPass, ExtremeScoresStayFinite) {
  Eigen::MatrixXd x(5, 1);
  x << -1e3, 0.0, 1e-3, 5.0, 1e4;
  QuadraticFeatures f;
  f.build(x, SmallVector::Zero(1));
  Eigen::MatrixXd coeff(3, 2);
  coeff << -1e8, 0.0, 1.0, -1.0, -1e-2, -1e3;
  ResponsibilityPass pass;
  Eigen::MatrixXd r;
  PassTotals totals;
  pass.run(f, coeff, nullptr, &r, totals);
  EXPECT_TRUE(r.allFinite());
  EXPECT_TRUE(std::isfinite(totals.logSumExp));
  EXPECT_TRUE(std::isfinite(totals.scoreDotR));
  EXPECT_LT((r.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-15);
}

TEST(ComponentStats, MatchTwoPassWeightedMeansAndCovariances) {
  Random rng(11);
  const Eigen::MatrixXd x = randomData(300, 2, rng);
  Eigen::MatrixXd r(300, 2);
  for (int i = 0; i < 300; ++i) {
    r(i, 0) = rng.uniform();
    r(i, 1) = 1.0 - r(i, 0);
  }
  QuadraticFeatures f;
  f.build(x, x.colwise().mean().transpose());
  ComponentStats stats;
  stats.fromMoments(r.transpose() * f.phi(), f);
  for (int c = 0; c < 2; ++c) {
    const double n = r.col(c).sum();
    const Eigen::RowVector2d mean = (r.col(c).transpose() * x) / n;
    const Eigen::MatrixXd centred = x.rowwise() - mean;
    const Eigen::Matrix2d cov =
        (centred.array().colwise() * r.col(c).array()).matrix().transpose() * centred / n;
    EXPECT_NEAR(stats.n(c), n, 1e-12 * n);
    EXPECT_LT((stats.mean.row(c) - mean).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_LT((Eigen::Matrix2d(stats.scatter[c]) - cov).cwiseAbs().maxCoeff(), 1e-12);
  }
}

// Two tight clusters (sd 1e-3) 1e6 apart, features about the data mean: the quadratic-feature
// form would cancel ~1e17 against ~1; the pass must notice, score each point about its
// component's own mean, and the statistics must come out as the two-pass weighted ones.
TEST(ResponsibilityPass, FarApartTightComponentsTakeTheCentredPath) {
  Random rng(5);
  const int n = 301;  // not a multiple of the packet or the block
  Eigen::MatrixXd x(n, 2);
  for (int i = 0; i < n; ++i)
    x.row(i) << (i % 2) * 1e6 + 1e-3 * rng.normal(), -(i % 2) * 1e6 + 1e-3 * rng.normal();
  QuadraticFeatures f;
  f.build(x, x.colwise().mean().transpose());
  GaussianScores scores;
  scores.resize(2, 2);
  scores.means << 0.0, 0.0, 1e6, -1e6;
  for (int c = 0; c < 2; ++c) {
    scores.c0(c) = std::log(0.5) + c;
    scores.precisions[c] = SmallMatrix::Identity(2, 2) * 1e6;
  }
  EXPECT_TRUE(f.cancels(scores));
  ResponsibilityPass pass;
  Eigen::MatrixXd r;
  PassTotals totals;
  pass.run(f, scores, nullptr, &r, totals);
  EXPECT_TRUE(pass.exact());
  double lse = 0.0;
  for (int i = 0; i < n; ++i) {
    const int own = i % 2;
    const double q = 1e6 * (x.row(i) - scores.means.row(own)).squaredNorm();
    lse += scores.c0(own) - 0.5 * q;  // the other component's score is ~ -1e17: no share
    EXPECT_EQ(r(i, own), 1.0);
  }
  EXPECT_NEAR(totals.logSumExp, lse, 1e-12 * std::fabs(lse));

  // The pass's moments are about each component's own mean: nothing cancels.
  ASSERT_EQ(totals.centres.rows(), 2);
  ComponentStats stats;
  stats.fromPass(totals, f, &r);
  EXPECT_EQ(stats.recentred, 0);
  // Moments about the global centre (as the fast path makes them) cancel; given r the
  // statistics take the second pass over x.
  ComponentStats second;
  second.fromMoments(r.transpose() * f.phi(), f, &r);
  EXPECT_EQ(second.recentred, 2);
  for (int c = 0; c < 2; ++c) {
    const Eigen::ArrayXd w = r.col(c).array();
    const Eigen::RowVector2d mean = (w.matrix().transpose() * x) / w.sum();
    const Eigen::MatrixXd centred = x.rowwise() - mean;
    const Eigen::Matrix2d cov =
        (centred.array().colwise() * w).matrix().transpose() * centred / w.sum();
    for (const ComponentStats* s : {&stats, &second}) {
      EXPECT_LT((s->mean.row(c) - mean).cwiseAbs().maxCoeff(), 1e-15 * 1e6);
      EXPECT_LT((Eigen::Matrix2d(s->scatter[c]) - cov).cwiseAbs().maxCoeff(), 1e-12 * 1e-6);
    }
  }
  // Without r nothing can be recomputed.
  ComponentStats plain;
  plain.fromMoments(r.transpose() * f.phi(), f);
  EXPECT_EQ(plain.recentred, 0);
}

TEST(ResponsibilityPass, OrdinaryComponentsKeepTheFastPath) {
  Random rng(6);
  const Eigen::MatrixXd x = randomData(200, 2, rng);
  QuadraticFeatures f;
  f.build(x, x.colwise().mean().transpose());
  GaussianScores scores;
  scores.resize(3, 2);
  scores.means << -3.0, 0.0, 0.0, 1.0, 4.0, 2.0;
  for (int c = 0; c < 3; ++c) {
    scores.c0(c) = -1.0;
    scores.precisions[c] = SmallMatrix::Identity(2, 2) * 0.5;
  }
  EXPECT_FALSE(f.cancels(scores));
  ResponsibilityPass pass;
  PassTotals totals, viaCoefficients;
  pass.run(f, scores, nullptr, nullptr, totals);
  EXPECT_FALSE(pass.exact());
  Eigen::MatrixXd coeff;
  f.coefficientsOf(scores, coeff);
  pass.run(f, coeff, nullptr, nullptr, viaCoefficients);
  EXPECT_EQ(totals.logSumExp, viaCoefficients.logSumExp);
}

}  // namespace
}  // namespace vilab
