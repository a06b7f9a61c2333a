// The logistic-regression lab's live equations: Jaakkola-Jordan's and Newton's rows state what
// the next step sets; gradient VI's rows reproduce the last step's gradient from its samples and
// the update from Adam's numbers (or plain ascent's); and snapshots never change the run.

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>

#include "core/models/logreg/model.hpp"
#include "tests/core/equation_values.hpp"

namespace vilab {
namespace {

using vilab::testing::adamFromInputs;
using vilab::testing::valueOf;

const LogregSnapshot& view(const std::shared_ptr<const Snapshot>& s) { return dynamic_cast<const LogregSnapshot&>(*s); }

void expectClose(double expected, double actual, const char* what, double rel = 1e-12) {
  EXPECT_NEAR(actual, expected, rel * std::max(1.0, std::abs(expected))) << what;
}

TEST(LogregEquations, JaakkolaJordanStatesTheNextAlternation) {
  LogregScenario s;
  s.method = LogregScenario::Method::Jj;
  LogregModel m;
  ASSERT_TRUE(m.reset(s).isOk());
  m.step();
  for (int i = 0; i < 3; ++i) {
    auto before = m.snapshot();
    const auto& eqs = view(before).equations;
    ASSERT_EQ(eqs.size(), 2u);
    const Equation& xi = eqs[0];
    const Equation& q = eqs[1];
    EXPECT_EQ(xi.when, Equation::When::Next);
    expectClose(m.jjState().xi()[0], valueOf(xi.inputs, "\\xi_{1}"), "xi_1 now");
    expectClose(m.jjState().mean().dot(m.likelihood().design().row(0).transpose()),
                valueOf(xi.inputs, "m_{N}^{T} \\phi_{1}"), "m_N' phi_1");
    expectClose(m.prior().precision[0], q.inputs[0].value, "prior precision");
    m.step();
    expectClose(m.jjState().xi()[0], valueOf(xi.results, "\\xi_{1}"), "xi_1 after the step");
    expectClose(std::sqrt(xi.inputs[0].value + xi.inputs[1].value * xi.inputs[1].value), m.jjState().xi()[0],
                "xi_1 from the substituted numbers");
    expectClose(m.jjState().mean()[0], valueOf(q.results, "m_{N,1}"), "m_N1");
    expectClose(m.jjState().covariance()(0, 0), valueOf(q.results, "(S_{N})_{11}"), "(S_N)_11");
    expectClose(m.jjState().covariance().inverse()(0, 0), q.inputs[0].value + 2.0 * q.inputs[1].value,
                "(S_N^-1)_11 from the substituted numbers", 1e-9);
  }
}

TEST(LogregEquations, NewtonStatesTheNextIterate) {
  LogregScenario s;
  s.method = LogregScenario::Method::Laplace;
  LogregModel m;
  ASSERT_TRUE(m.reset(s).isOk());
  for (int i = 0; i < 4; ++i) {
    auto before = m.snapshot();
    const LogregSnapshot& b = view(before);
    ASSERT_EQ(b.equations.size(), 1u);
    const Equation& n = b.equations[0];
    expectClose(b.laplaceIterate[0], valueOf(n.inputs, "\\theta_{k,1}"), "theta_k");
    m.step();
    auto after = m.snapshot();
    const LogregSnapshot& a = view(after);
    expectClose(a.laplaceIterate[0], valueOf(n.results, "\\theta_{k+1,1}"), "theta_k+1");
    expectClose(a.laplaceIterate[0], n.inputs[0].value + n.inputs[1].value * n.inputs[2].value,
                "theta_k+1 from the substituted numbers", 1e-9);
    expectClose(a.laplaceTrace.at(a.laplaceTrace.rows() - 1, 2), valueOf(n.results, "\\ln p(y, \\theta_{k+1})"),
                "log joint");
  }
}

class LogregGradientEquations : public ::testing::TestWithParam<LogregScenario::Optimizer> {};

TEST_P(LogregGradientEquations, SamplesReproduceTheGradientAndTheUpdate) {
  for (auto estimator : {LogregScenario::Estimator::Reparam, LogregScenario::Estimator::Score}) {
    LogregScenario s;
    s.samples = 3;  // every sample shown: the row reproduces the gradient exactly
    s.estimator = estimator;
    s.optimizer = GetParam();
    if (s.optimizer == LogregScenario::Optimizer::Sgd) s.lr = 1e-4;  // plain ascent on the whole data's gradient
    LogregModel m;
    ASSERT_TRUE(m.reset(s).isOk());
    for (int i = 0; i < 5; ++i) {
      const double mBefore = m.gradientFamily().mean()[0];
      m.step();
      auto snap = m.snapshot();
      const auto& eqs = view(snap).equations;
      ASSERT_EQ(eqs.size(), 2u);
      const Equation& g = eqs[0];
      const Equation& u = eqs[1];
      EXPECT_EQ(g.when, Equation::When::Last);
      const double stated =
          (g.inputs[3].value + g.inputs[4].value + g.inputs[5].value) / g.inputs[0].value + g.inputs[1].value;
      const double gradient = valueOf(g.results, "g_{m_{1}}");
      expectClose(gradient, stated, "gradient from the samples", 1e-12);
      // The update: the current mean, from the numbers shown.
      const double now = m.gradientFamily().mean()[0];
      expectClose(now, valueOf(u.results, "m_{1}"), "m_1 is the current state");
      expectClose(mBefore, u.inputs[0].value, "m_1 before the step");
      if (GetParam() == LogregScenario::Optimizer::Adam)
        expectClose(now, adamFromInputs(u), "Adam's update from its numbers", 1e-12);
      else
        expectClose(now, u.inputs[0].value + u.inputs[1].value * u.inputs[2].value, "ascent from its numbers");
      expectClose(gradient, valueOf(u.inputs, "g_{m_{1}}"), "the update's gradient is the estimate");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Optimizers, LogregGradientEquations,
                         ::testing::Values(LogregScenario::Optimizer::Adam, LogregScenario::Optimizer::Sgd));

TEST(LogregEquations, SnapshotsLeaveEveryMethodsTraceBitIdentical) {
  for (auto method : {LogregScenario::Method::Gradient, LogregScenario::Method::Jj, LogregScenario::Method::Laplace}) {
    LogregScenario s;
    s.method = method;
    LogregModel plain, watched;
    ASSERT_TRUE(plain.reset(s).isOk());
    ASSERT_TRUE(watched.reset(s).isOk());
    for (int i = 0; i < 10; ++i) {
      plain.step();
      watched.snapshot();
      watched.step();
    }
    const TraceView a = plain.trace().view(), b = watched.trace().view();
    ASSERT_EQ(a.rows(), b.rows());
    for (std::size_t c = 0; c < a.lastRow().size(); ++c) {
      const double x = a.at(a.rows() - 1, c), y = b.at(b.rows() - 1, c);
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << "column " << c << ": " << x << " vs " << y;
    }
  }
}

}  // namespace
}  // namespace vilab
