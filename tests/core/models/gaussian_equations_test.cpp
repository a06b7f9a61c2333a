// The Gaussian lab's live equations: the numbers substituted are the snapshot's own, the results
// of a When::Next update are what the next step sets, those of a When::Last update the current
// state, and the formula applied to the inputs gives the results.

#include "core/models/gaussian_equations.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/models/gaussian.hpp"

namespace vilab {
namespace {

using Algorithm = GaussianScenario::Algorithm;

std::shared_ptr<const GaussianSnapshot> snap(const GaussianModel& m) {
  return std::dynamic_pointer_cast<const GaussianSnapshot>(m.snapshot());
}

double input(const Equation& e, const std::string& symbol) {
  for (const auto& v : e.inputs)
    if (v.symbol == symbol) return v.value;
  ADD_FAILURE() << "no input " << symbol << " in " << e.title;
  return NAN;
}

double result(const Equation& e, const std::string& symbol) {
  for (const auto& v : e.results)
    if (v.symbol == symbol) return v.value;
  ADD_FAILURE() << "no result " << symbol << " in " << e.title;
  return NAN;
}

void expectNear(double a, double b) { EXPECT_NEAR(a, b, 1e-12 * std::max(1.0, std::abs(b))); }

GaussianScenario scenario() {
  GaussianScenario s;
  s.data.n = 15;
  s.prior = {0.5, 2.0, 3.0, 0.7};  // mu0 != 0 and kappa0 != 1 so that a swap shows
  return s;
}

void checkMuUpdate(const Equation& e, const GaussianSnapshot& now, const MeanFieldQ& inputQ,
                   const GaussianSnapshot& next) {
  EXPECT_EQ(e.when, Equation::When::Next);
  expectNear(input(e, "\\kappa_0"), now.prior.kappa0);
  expectNear(input(e, "\\mu_0"), now.prior.mu0);
  expectNear(input(e, "N"), now.stats.n);
  expectNear(input(e, "\\bar{x}"), now.stats.mean());
  expectNear(input(e, "\\mathbb{E}[\\tau]"), inputQ.a / inputQ.b);
  expectNear(result(e, "\\mu_N"), next.q.m);
  expectNear(result(e, "\\lambda_N"), next.q.l);
  // The formula on the inputs gives the results.
  const double k0 = input(e, "\\kappa_0"), n = input(e, "N");
  expectNear((k0 * input(e, "\\mu_0") + n * input(e, "\\bar{x}")) / (k0 + n), result(e, "\\mu_N"));
  expectNear((k0 + n) * input(e, "\\mathbb{E}[\\tau]"), result(e, "\\lambda_N"));
}

void checkTauUpdate(const Equation& shape, const Equation& rate, const GaussianSnapshot& now,
                    const MeanFieldQ& inputQ, const GaussianSnapshot& next) {
  expectNear(input(shape, "a_0"), now.prior.a0);
  expectNear(input(shape, "N"), now.stats.n);
  expectNear(result(shape, "a_N"), next.q.a);
  expectNear(input(rate, "b_0"), now.prior.b0);
  expectNear(input(rate, "\\mathbb{E}[\\mu]"), inputQ.m);
  expectNear(input(rate, "\\mathbb{E}[\\mu^2]"), inputQ.m * inputQ.m + 1.0 / inputQ.l);
  double sumSquares = 0.0, sum = 0.0;
  for (double x : *now.data) sumSquares += x * x, sum += x;
  EXPECT_NEAR(input(rate, "\\sum x_n^2"), sumSquares, 1e-10 * sumSquares);
  EXPECT_NEAR(input(rate, "\\sum x_n"), sum, 1e-10 * std::max(1.0, std::abs(sum)));
  EXPECT_NEAR(result(rate, "b_N"), next.q.b, 1e-12 * next.q.b);
  const double em = input(rate, "\\mathbb{E}[\\mu]"), em2 = input(rate, "\\mathbb{E}[\\mu^2]");
  const double mu0 = input(rate, "\\mu_0"), k0 = input(rate, "\\kappa_0");
  const double b = input(rate, "b_0") + 0.5 * (input(rate, "\\sum x_n^2") - 2 * em * input(rate, "\\sum x_n") +
                                              input(rate, "N") * em2 + k0 * (em2 - 2 * mu0 * em + mu0 * mu0));
  EXPECT_NEAR(b, result(rate, "b_N"), 1e-9 * b);
}

TEST(GaussianEquations, CaviHalfStepsAlternateAndPredictTheNextStep) {
  GaussianModel model;
  ASSERT_TRUE(model.reset(scenario()).isOk());
  for (int step = 0; step < 4; ++step) {
    const auto now = snap(model);
    model.step();
    const auto next = snap(model);
    if (step % 2 == 0) {
      ASSERT_EQ(now->equations.size(), 1u) << "step " << step;
      checkMuUpdate(now->equations[0], *now, now->q, *next);
      EXPECT_EQ(now->equations[0].highlight, "q(μ) q(τ)");
    } else {
      ASSERT_EQ(now->equations.size(), 2u) << "step " << step;
      checkTauUpdate(now->equations[0], now->equations[1], *now, now->q, *next);
    }
  }
}

TEST(GaussianEquations, CaviFullStepsShowBothUpdatesInOrder) {
  GaussianScenario s = scenario();
  s.halfsteps = false;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.step();
  const auto now = snap(model);
  model.step();
  const auto next = snap(model);
  ASSERT_EQ(now->equations.size(), 3u);
  // q(tau)'s update takes q(mu) after its update: the first equation's results.
  MeanFieldQ middle = now->q;
  middle.m = result(now->equations[0], "\\mu_N");
  middle.l = result(now->equations[0], "\\lambda_N");
  checkMuUpdate(now->equations[0], *now, now->q, *next);
  checkTauUpdate(now->equations[1], now->equations[2], *now, middle, *next);
}

struct GradientCase {
  GaussianScenario::Estimator estimator;
  GaussianScenario::Optimizer optimizer;
};
class GaussianGradientEquations : public ::testing::TestWithParam<GradientCase> {};

TEST_P(GaussianGradientEquations, ShowTheLastStepsSampleAndUpdate) {
  GaussianScenario s = scenario();
  s.algorithm = Algorithm::Gradient;
  s.estimator = GetParam().estimator;
  s.optimizer = GetParam().optimizer;
  s.samples = 5;
  GaussianModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_TRUE(snap(model)->equations.empty()) << "no step yet: nothing to show";
  for (int step = 0; step < 3; ++step) {
    const auto before = snap(model);
    model.step();
    const auto after = snap(model);
    ASSERT_EQ(after->equations.size(), 2u);
    const Equation& estimate = after->equations[0];
    const Equation& update = after->equations[1];
    EXPECT_EQ(estimate.when, Equation::When::Last);
    EXPECT_EQ(update.when, Equation::When::Last);
    expectNear(input(estimate, "S"), s.samples);
    expectNear(input(estimate, "\\sigma"), 1.0 / std::sqrt(before->q.l));
    expectNear(input(update, "m_{t-1}"), before->q.m);
    expectNear(result(update, "m_t"), after->q.m);
    const double mu1 = input(estimate, "\\mu_1");
    expectNear(mu1, before->q.m + input(estimate, "\\sigma") * input(estimate, "\\epsilon_1"));
    const double g = result(estimate, "\\hat{g}_m");
    if (s.optimizer == GaussianScenario::Optimizer::Sgd) {
      expectNear(input(update, "\\hat{g}_m"), g);
      expectNear(input(update, "m_{t-1}") + input(update, "\\eta") * g, after->q.m);
    } else {
      const double m = input(update, "m_{t-1}") + input(update, "\\alpha_t") * input(update, "M_t") /
                                                      (std::sqrt(input(update, "V_t")) + input(update, "\\hat{\\epsilon}"));
      expectNear(m, after->q.m);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GaussianGradientEquations,
    ::testing::Values(GradientCase{GaussianScenario::Estimator::Reparam, GaussianScenario::Optimizer::Adam},
                      GradientCase{GaussianScenario::Estimator::Reparam, GaussianScenario::Optimizer::Sgd},
                      GradientCase{GaussianScenario::Estimator::Score, GaussianScenario::Optimizer::Adam},
                      GradientCase{GaussianScenario::Estimator::Score, GaussianScenario::Optimizer::Sgd}));

// With S = 1 the estimate is the first sample's own term: the shown sample is the one used.
TEST(GaussianEquations, OneSampleEstimateIsTheShownSamplesTerm) {
  for (auto estimator : {GaussianScenario::Estimator::Reparam, GaussianScenario::Estimator::Score}) {
    GaussianScenario s = scenario();
    s.algorithm = Algorithm::Gradient;
    s.estimator = estimator;
    s.samples = 1;
    s.baseline = false;
    GaussianModel model;
    ASSERT_TRUE(model.reset(s).isOk());
    model.step();
    const auto after = snap(model);
    const Equation& e = after->equations.at(0);
    const double g = result(e, "\\hat{g}_m");
    if (estimator == GaussianScenario::Estimator::Reparam)
      expectNear(g, input(e, "\\partial_\\mu \\ln p(x, \\mu_1, \\tau_1)"));
    else
      expectNear(g, (input(e, "f_1") - input(e, "b_1")) * input(e, "\\epsilon_1") / input(e, "\\sigma"));
  }
}

}  // namespace
}  // namespace vilab
