// The factor-analysis lab's live equations: the inputs are the snapshot's own numbers and the
// results are what the next step sets (step the model and compare), for FA and PPCA, one and two
// factors, half steps and full EM iterations, in data units far from 1.

#include <gtest/gtest.h>

#include <cmath>

#include "core/models/fa.hpp"
#include "tests/core/equation_values.hpp"

namespace vilab {
namespace {

using vilab::testing::equationStarting;
using vilab::testing::valueOf;

const FaSnapshot& fa(const std::shared_ptr<const Snapshot>& s) { return dynamic_cast<const FaSnapshot&>(*s); }

void expectClose(double expected, double actual, const char* what) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::max(1.0, std::abs(expected))) << what;
}

struct Case {
  bool ppca;
  int k;
};

class FaEquations : public ::testing::TestWithParam<Case> {};

TEST_P(FaEquations, HalfStepsStateTheNextStepsValues) {
  FaScenario s;
  s.ppca = GetParam().ppca;
  s.k = GetParam().k;
  s.data.scale = 1e3;  // results in the data's units, not the internal ones
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.step();  // E
  model.step();  // M: now W, psi are off the starting point
  for (int round = 0; round < 3; ++round) {
    // Next: an E step.
    auto before = model.snapshot();
    const FaSnapshot& b = fa(before);
    ASSERT_TRUE(b.nextIsE);
    ASSERT_EQ(b.equations.size(), 1u);
    const Equation& e = b.equations[0];
    EXPECT_EQ(e.when, Equation::When::Next);
    expectClose(b.W(0, 0), valueOf(e.inputs, "W_{11}"), "W_11");
    expectClose(b.psi[0], valueOf(e.inputs, s.ppca ? "\\sigma^{2}" : "\\psi_{1}"), "psi_1");
    expectClose((*b.data)(0, 0) - b.mu[0], valueOf(e.inputs, "y_{11} - \\bar{y}_{1}"), "y - ybar");
    const Eigen::MatrixXd wPw = b.W.transpose() * b.psi.cwiseInverse().asDiagonal() * b.W;
    expectClose(wPw(0, 0), valueOf(e.inputs, "(W^{T} \\Psi^{-1} W)_{11}"), "(W'Psi^-1 W)_11");
    model.step();
    auto after = model.snapshot();
    const FaSnapshot& a = fa(after);
    expectClose(a.G(0, 0), valueOf(e.results, "G_{11}"), "G_11 after the E step");
    expectClose((*a.latent)(0, 0), valueOf(e.results, "\\mathbb{E}[z_{1}]_{1}"), "E[z_1] after the E step");
    if (s.k == 1) expectClose(1.0 / (1.0 + wPw(0, 0)), a.G(0, 0), "G = 1/(1 + w'Psi^-1 w)");

    // Next: an M step, from the E step's statistics.
    ASSERT_FALSE(a.nextIsE);
    ASSERT_EQ(a.equations.size(), 2u);
    const Equation& w = a.equations[0];
    const Equation& p = a.equations[1];
    expectClose(a.Eyz(0, 0), w.inputs[0].value, "(E_yz)_11");
    expectClose(a.Ezz(0, 0), w.inputs[1].value, "(E_zz)_11");
    model.step();
    auto next = model.snapshot();
    const FaSnapshot& n = fa(next);
    expectClose(n.W(0, 0), valueOf(w.results, "W_{11}"), "W_11 after the M step");
    if (s.k == 1) expectClose(w.inputs[0].value / w.inputs[1].value, n.W(0, 0), "W = Eyz / Ezz");
    if (s.ppca) {
      expectClose(a.sampleVariance.sum(), p.inputs[0].value, "tr S");
      expectClose(n.psi[0], valueOf(p.results, "\\sigma^{2}"), "sigma^2 after the M step");
      const double stated = std::max((p.inputs[0].value - p.inputs[1].value) / p.inputs[2].value, p.inputs[3].value);
      expectClose(stated, n.psi[0], "sigma^2 from the substituted numbers");
    } else {
      expectClose(a.sampleVariance[0], valueOf(p.inputs, "S_{11}"), "S_11");
      expectClose(a.psiFloor[0], p.inputs[2].value, "floor_1");
      expectClose(n.psi[0], valueOf(p.results, "\\psi_{1}"), "psi_1 after the M step");
      const double stated = std::max(p.inputs[0].value - p.inputs[1].value, p.inputs[2].value);
      expectClose(stated, n.psi[0], "psi_1 from the substituted numbers");
      // (W_new Eyz^T)_11 with the new W and the E step's Eyz.
      expectClose((n.W.row(0) * a.Eyz.row(0).transpose()).value(), p.inputs[1].value, "(W Eyz')_11");
    }
  }
}

TEST_P(FaEquations, FullIterationsStateBothHalves) {
  FaScenario s;
  s.ppca = GetParam().ppca;
  s.k = GetParam().k;
  s.halfsteps = false;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.step();
  auto before = model.snapshot();
  const FaSnapshot& b = fa(before);
  ASSERT_EQ(b.equations.size(), 3u);
  model.step();
  auto after = model.snapshot();
  const FaSnapshot& a = fa(after);
  expectClose(a.G(0, 0), valueOf(b.equations[0].results, "G_{11}"), "G_11");
  expectClose(a.Eyz(0, 0), b.equations[1].inputs[0].value, "the M step's (E_yz)_11 is the new E step's");
  expectClose(a.W(0, 0), valueOf(b.equations[1].results, "W_{11}"), "W_11");
  expectClose(a.psi[0], b.equations[2].results[0].value, "psi_1");
}

INSTANTIATE_TEST_SUITE_P(FaAndPpca, FaEquations,
                         ::testing::Values(Case{false, 1}, Case{false, 2}, Case{true, 1}, Case{true, 3}));

// Snapshots (and their equations) never change the run.
TEST(FaEquationsRun, SnapshotsLeaveTheTraceBitIdentical) {
  FaScenario s;
  FaModel plain, watched;
  ASSERT_TRUE(plain.reset(s).isOk());
  ASSERT_TRUE(watched.reset(s).isOk());
  for (int i = 0; i < 20; ++i) {
    plain.step();
    watched.snapshot();
    watched.step();
  }
  EXPECT_EQ(plain.W(), watched.W());
  EXPECT_EQ(plain.psi(), watched.psi());
  EXPECT_EQ(plain.elbo(), watched.elbo());
}

}  // namespace
}  // namespace vilab
