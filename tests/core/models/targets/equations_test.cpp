// The targets lab's live equations: with every draw shown (S = 3, or K = 3 for IWAE) the
// substituted samples reproduce the step's estimate for the ELBO, the Rényi bound and IWAE; the
// update row reproduces q's new first parameter from Adam's (or plain ascent's) numbers; and
// snapshots never change the run.

#include <gtest/gtest.h>

#include <cmath>

#include "core/models/targets/model.hpp"
#include "core/vi/family.hpp"
#include "tests/core/equation_values.hpp"

namespace vilab {
namespace {

using S = TargetsScenario;
using vilab::testing::adamFromInputs;
using vilab::testing::valueOf;

const TargetsSnapshot& snap(const std::shared_ptr<const Snapshot>& s) { return dynamic_cast<const TargetsSnapshot&>(*s); }

void expectClose(double expected, double actual, const char* what, double rel = 1e-12) {
  EXPECT_NEAR(actual, expected, rel * std::max(1.0, std::abs(expected))) << what;
}

double logMeanExp(const std::vector<double>& x, double scale) {
  double mx = -INFINITY;
  for (double v : x) mx = std::max(mx, scale * v);
  double sum = 0.0;
  for (double v : x) sum += std::exp(scale * v - mx);
  return mx + std::log(sum / double(x.size()));
}

struct Case {
  S::Objective objective;
  S::Optimizer optimizer;
  S::FamilyKind family;
};

class TargetsEquations : public ::testing::TestWithParam<Case> {};

TEST_P(TargetsEquations, SamplesReproduceTheEstimateAndTheUpdate) {
  S s;
  s.target = S::TargetKind::Banana;
  s.objective = GetParam().objective;
  s.optimizer = GetParam().optimizer;
  s.family = GetParam().family;
  s.layers = 2;
  s.samples = s.objective == S::Objective::Iwae ? 1 : 3;
  s.iwaeK = 3;
  s.alpha = 0.5;
  s.mcmc = S::Mcmc::Off;
  s.psisSamples = 100;
  ASSERT_TRUE(validate(s).empty()) << validate(s).front();
  TargetsModel model;
  ASSERT_TRUE(model.reset(s));
  for (int i = 0; i < 4; ++i) {
    const double before = model.family().parameters()[0];
    model.step();
    auto shot = model.snapshot();
    const auto& eqs = snap(shot).equations;
    ASSERT_EQ(eqs.size(), 2u);
    const Equation& e = eqs[0];
    const Equation& u = eqs[1];
    EXPECT_EQ(e.when, Equation::When::Last);
    const std::vector<double> logw = {valueOf(e.inputs, "\\ln w_{1}"), valueOf(e.inputs, "\\ln w_{2}"),
                                      valueOf(e.inputs, "\\ln w_{3}")};
    const double value = e.results[0].value;
    switch (s.objective) {
      case S::Objective::KlQp: expectClose(value, (logw[0] + logw[1] + logw[2]) / 3.0, "ELBO estimate"); break;
      case S::Objective::Renyi:
        expectClose(value, logMeanExp(logw, 1.0 - s.alpha) / (1.0 - s.alpha), "Renyi bound", 1e-10);
        break;
      case S::Objective::Iwae: expectClose(value, logMeanExp(logw, 1.0), "IWAE bound", 1e-10); break;
      default: break;
    }
    const double now = model.family().parameters()[0];
    expectClose(before, u.inputs[0].value, "parameter before the step");
    expectClose(now, u.results[0].value, "the result is the current parameter");
    if (s.optimizer == S::Optimizer::Adam)
      expectClose(now, adamFromInputs(u), "Adam's update from its numbers");
    else
      expectClose(now, u.inputs[0].value + u.inputs[1].value * u.inputs[2].value, "ascent from its numbers");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Objectives, TargetsEquations,
    ::testing::Values(Case{S::Objective::KlQp, S::Optimizer::Adam, S::FamilyKind::MeanField},
                      Case{S::Objective::KlQp, S::Optimizer::Sgd, S::FamilyKind::FullRank},
                      Case{S::Objective::KlQp, S::Optimizer::Adam, S::FamilyKind::Planar},
                      Case{S::Objective::Renyi, S::Optimizer::Adam, S::FamilyKind::MeanField},
                      Case{S::Objective::Iwae, S::Optimizer::Adam, S::FamilyKind::FullRank}));

TEST(TargetsEquationsRun, SnapshotsLeaveTheTraceBitIdentical) {
  S s;
  s.mcmc = S::Mcmc::Off;
  s.psisSamples = 100;
  TargetsModel plain, watched;
  ASSERT_TRUE(plain.reset(s));
  ASSERT_TRUE(watched.reset(s));
  for (int i = 0; i < 10; ++i) {
    plain.step();
    watched.snapshot();
    watched.step();
  }
  EXPECT_EQ(plain.family().parameters(), watched.family().parameters());
}

}  // namespace
}  // namespace vilab
