#include "core/models/gaussian.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace vilab {
namespace {

using Algorithm = GaussianScenario::Algorithm;
using Estimator = GaussianScenario::Estimator;

// ELBO in closed form as a function of theta = (m, log s, log a, log b).
double elboAt(const Eigen::Vector4d& t, const NormalGammaPrior& p, const GaussianStats& s) {
  return elbo({t[0], std::exp(-2 * t[1]), std::exp(t[2]), std::exp(t[3])}, p, s);
}

Eigen::Vector4d finiteDifferenceGradient(const Eigen::Vector4d& t, const NormalGammaPrior& p,
                                         const GaussianStats& s) {
  Eigen::Vector4d g;
  for (int k = 0; k < 4; ++k) {
    const double h = 1e-5;
    Eigen::Vector4d up = t, down = t;
    up[k] += h, down[k] -= h;
    g[k] = (elboAt(up, p, s) - elboAt(down, p, s)) / (2 * h);
  }
  return g;
}

class GaussianEstimators : public ::testing::TestWithParam<std::pair<Estimator, bool>> {};

// Mean of many single-sample gradient estimates within 4 standard errors of the closed form,
// at a q away from the optimum, for each estimator.
TEST_P(GaussianEstimators, UnbiasedAgainstClosedFormGradient) {
  GaussianScenario s;
  s.data.n = 8;
  s.estimator = GetParam().first;
  s.baseline = GetParam().second;
  s.samples = GetParam().second ? 4 : 1;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  const MeanFieldQ q{0.4, 2.0, 3.0, 4.0};
  const Eigen::Vector4d theta(q.m, -0.5 * std::log(q.l), std::log(q.a), std::log(q.b));
  const Eigen::Vector4d exact = finiteDifferenceGradient(theta, s.prior, model.stats());

  Random rng(99);
  const int n = 200000;
  Eigen::Vector4d sum = Eigen::Vector4d::Zero(), sum2 = Eigen::Vector4d::Zero();
  for (int i = 0; i < n; ++i) {
    const auto est = GaussianModel::estimateGradient(q, s, model.stats(), rng);
    sum += est.gradient;
    sum2 += est.gradient.cwiseProduct(est.gradient);
  }
  const Eigen::Vector4d mean = sum / n;
  const Eigen::Vector4d se = ((sum2 / n - mean.cwiseProduct(mean)) / n).cwiseSqrt();
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(mean[k], exact[k], 4 * se[k]) << "parameter " << k;
    EXPECT_LT(se[k], 0.05 * std::max(1.0, std::fabs(exact[k]))) << "too noisy to test " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Estimators, GaussianEstimators,
                         ::testing::Values(std::pair{Estimator::Reparam, false},
                                           std::pair{Estimator::Score, false},
                                           std::pair{Estimator::Score, true}));

TEST(GaussianModel, ScoreFunctionIsNoisierThanReparamAwayFromOptimum) {
  GaussianScenario s;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  auto snap = std::static_pointer_cast<const GaussianSnapshot>(model.snapshot());
  for (int k = 0; k < 4; ++k) EXPECT_GT(snap->scoreVariance[k], snap->reparamVariance[k]) << k;
}

TEST(GaussianModel, CaviStepsReachFixedPointAndTraceMatches) {
  GaussianScenario s;
  s.halfsteps = true;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 40; ++i) model.step();
  const MeanFieldQ fixed = caviFixedPoint(s.prior, model.stats());
  EXPECT_NEAR(model.q().b, fixed.b, 1e-12 * fixed.b);
  const TraceView trace = model.trace().view();
  ASSERT_EQ(trace.rows(), 40u);
  EXPECT_EQ(trace.columns()[0], "iteration");
  EXPECT_EQ(trace.columns()[1], "elbo");
  for (std::size_t r = 0; r < trace.rows(); ++r) {
    EXPECT_EQ(trace.at(r, 0), static_cast<double>(r + 1));
    EXPECT_NEAR(trace.at(r, 1) + trace.at(r, 3), trace.at(r, 2), 1e-9 * std::fabs(trace.at(r, 2)));
  }
}

TEST(GaussianModel, GradientViApproachesTheCaviOptimum) {
  for (Estimator e : {Estimator::Reparam, Estimator::Score}) {
    GaussianScenario s;
    s.algorithm = Algorithm::Gradient;
    s.estimator = e;
    s.samples = 20;
    s.lr = 0.02;
    GaussianModel model;
    ASSERT_TRUE(model.reset(s).isOk());
    for (int i = 0; i < 4000; ++i) model.step();
    const double best = elbo(caviFixedPoint(s.prior, model.stats()), s.prior, model.stats());
    EXPECT_NEAR(elbo(model.q(), s.prior, model.stats()), best, 0.05) << static_cast<int>(e);
  }
}

TEST(GaussianModel, SameSeedSameTrace) {
  GaussianScenario s;
  s.algorithm = Algorithm::Gradient;
  s.estimator = Estimator::Score;
  GaussianModel a, b;
  ASSERT_TRUE(a.reset(s).isOk());
  ASSERT_TRUE(b.reset(s).isOk());
  for (int i = 0; i < 200; ++i) a.step(), b.step();
  const auto ta = a.trace().view(), tb = b.trace().view();
  for (std::size_t r = 0; r < ta.rows(); ++r)
    for (std::size_t c = 0; c < ta.columnCount(); ++c) ASSERT_EQ(ta.at(r, c), tb.at(r, c));
  s.seed = 2;
  ASSERT_TRUE(b.reset(s).isOk());
  b.step();
  EXPECT_NE(b.trace().view().at(0, 1), ta.at(0, 1));
}

TEST(GaussianModel, ApplyKeepsQUnlessTheDataChanges) {
  GaussianScenario s;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 5; ++i) model.step();
  const MeanFieldQ before = model.q();
  GaussianScenario changed = s;
  changed.prior.kappa0 = 10.0;
  ASSERT_TRUE(model.apply(changed).isOk());
  EXPECT_EQ(model.q().m, before.m);
  EXPECT_EQ(model.iteration(), 5);
  changed.data.n = 7;
  ASSERT_TRUE(model.apply(changed).isOk());
  EXPECT_EQ(model.iteration(), 0);
  EXPECT_EQ(model.stats().n, 7.0);
}

TEST(GaussianModel, UserDataReplacesGeneratedData) {
  GaussianModel model;
  Eigen::MatrixXd two(3, 2);
  two.setOnes();
  EXPECT_FALSE(model.setData(two, "two.csv").isOk());
  Eigen::MatrixXd x(3, 1);
  x << 1.0, 2.0, 4.0;
  ASSERT_TRUE(model.setData(x, "x.csv").isOk());
  ASSERT_TRUE(model.reset(GaussianScenario{}).isOk());
  EXPECT_EQ(model.stats().n, 3.0);
  EXPECT_DOUBLE_EQ(model.stats().mean(), 7.0 / 3.0);
  auto snap = model.snapshot();
  ASSERT_FALSE(snap->notes.empty());
  EXPECT_NE(snap->notes[0].find("x.csv"), std::string::npos);
}

TEST(GaussianModel, DivergenceIsReportedNotHidden) {
  GaussianScenario s;
  s.algorithm = Algorithm::Gradient;
  s.estimator = Estimator::Score;
  s.baseline = false;
  s.optimizer = GaussianScenario::Optimizer::Sgd;
  s.lr = 10.0;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  bool reported = false;
  for (int i = 0; i < 1000 && !reported; ++i) {
    model.step();
    reported = !model.health().isOk();
  }
  ASSERT_TRUE(reported);
  EXPECT_NE(model.health().message().find("score-function"), std::string::npos);
}

TEST(GaussianModel, SnapshotDensitiesAreFiniteAndNormalised) {
  GaussianModel model;
  ASSERT_TRUE(model.reset(GaussianScenario{}).isOk());
  for (int i = 0; i < 10; ++i) model.step();
  auto snap = std::static_pointer_cast<const GaussianSnapshot>(model.snapshot());
  const auto integrate = [](const std::vector<double>& x, const std::vector<double>& y) {
    double sum = 0;
    for (std::size_t i = 1; i < x.size(); ++i) sum += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
    return sum;
  };
  EXPECT_NEAR(integrate(snap->muGrid, snap->exactMu), 1.0, 0.01);
  EXPECT_NEAR(integrate(snap->muGrid, snap->qMu), 1.0, 0.01);
  EXPECT_NEAR(integrate(snap->tauGrid, snap->exactTau), 1.0, 0.01);
  EXPECT_NEAR(integrate(snap->xGrid, snap->exactPredictive), 1.0, 0.01);
  EXPECT_NEAR(integrate(snap->xGrid, snap->qPredictive), 1.0, 0.01);
  for (double v : snap->exactJoint) ASSERT_TRUE(std::isfinite(v));
  for (double v : snap->qJoint) ASSERT_TRUE(std::isfinite(v));
}

// ---- Where q starts (q0.mu, q0.tau) --------------------------------------------------------

TEST(GaussianStart, InitialQIsTheStartFields) {
  GaussianScenario s;
  s.q0.mu = 2.5;
  s.q0.tau = 0.7;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_EQ(model.q().m, 2.5);
  EXPECT_NEAR(model.q().meanTau(), 0.7, 1e-15);
  // The shapes CAVI's updates give: a_N = a0 + (N+1)/2 (PRML 10.29), l = (kappa0 + N) E[tau].
  EXPECT_EQ(model.q().a, s.prior.a0 + 0.5 * (s.data.n + 1));
  EXPECT_NEAR(model.q().l, (s.prior.kappa0 + s.data.n) * 0.7, 1e-12);
  auto snap = std::static_pointer_cast<const GaussianSnapshot>(model.snapshot());
  ASSERT_EQ(snap->pathMu.size(), 1u);
  EXPECT_EQ(snap->pathMu[0], 2.5);
  // Moving the start while running starts a new run from it.
  model.step();
  s.q0.mu = -4.0;
  ASSERT_TRUE(model.apply(s).isOk());
  EXPECT_EQ(model.iteration(), 0);
  EXPECT_EQ(model.q().m, -4.0);
}

// Distance of q's means from the fixed point's, relative to the fixed point's E[tau] and
// posterior sd of mu: what the joint plot shows.
double visibleDistance(const MeanFieldQ& q, const MeanFieldQ& fixed) {
  const double dMu = (q.m - fixed.m) * std::sqrt(fixed.l);
  const double dTau = (q.meanTau() - fixed.meanTau()) / fixed.meanTau();
  const double dWidth = std::log(q.l / fixed.l);
  return std::max({std::fabs(dMu), std::fabs(dTau), std::fabs(dWidth)});
}

TEST(GaussianStart, DefaultStartShowsSeveralHalfSteps) {
  GaussianScenario s;  // the lab's opening
  ASSERT_EQ(s.algorithm, Algorithm::Cavi);
  ASSERT_TRUE(s.halfsteps);
  ASSERT_LE(s.speed, 2.0) << "the opening should play at most two half steps a second";
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  const MeanFieldQ fixed = caviFixedPoint(s.prior, model.stats());
  EXPECT_GT(visibleDistance(model.q(), fixed), 1.0);
  model.step();  // q(mu): along mu only
  EXPECT_NEAR(model.q().m, fixed.m, 1e-12 * std::fabs(fixed.m) + 1e-12);
  EXPECT_GT(std::fabs(model.q().meanTau() - fixed.meanTau()), 0.5 * fixed.meanTau())
      << "after the first half step E[tau] should still be far from the fixed point";
  // Count the half steps that still move q by more than 5 % of a posterior scale.
  int visible = 1;
  MeanFieldQ last = model.q();
  for (int i = 0; i < 10; ++i) {
    model.step();
    if (visibleDistance(model.q(), last) > 0.05) ++visible;
    last = model.q();
  }
  EXPECT_GE(visible, 4);
}

TEST(GaussianStart, CaviReachesTheSameFixedPointFromAnyStart) {
  GaussianScenario fromDefault;
  GaussianScenario fromPrior;  // the old start: q at the prior's means
  fromPrior.q0.mu = fromPrior.prior.mu0;
  fromPrior.q0.tau = fromPrior.prior.a0 / fromPrior.prior.b0;
  GaussianScenario farAway;
  farAway.q0.mu = 40.0;
  farAway.q0.tau = 200.0;
  std::vector<MeanFieldQ> ends;
  for (const GaussianScenario* s : {&fromDefault, &fromPrior, &farAway}) {
    GaussianModel model;
    ASSERT_TRUE(model.reset(*s).isOk());
    for (int i = 0; i < 60; ++i) model.step();
    const MeanFieldQ fixed = caviFixedPoint(s->prior, model.stats());
    EXPECT_NEAR(model.q().m, fixed.m, 1e-12 * (1 + std::fabs(fixed.m)));
    EXPECT_NEAR(model.q().l, fixed.l, 1e-10 * fixed.l);
    EXPECT_NEAR(model.q().a, fixed.a, 1e-12 * fixed.a);
    EXPECT_NEAR(model.q().b, fixed.b, 1e-10 * fixed.b);
    ends.push_back(model.q());
  }
  EXPECT_NEAR(ends[0].b, ends[1].b, 1e-10 * ends[1].b);
  EXPECT_NEAR(ends[0].l, ends[1].l, 1e-10 * ends[1].l);
}

}  // namespace
}  // namespace vilab
