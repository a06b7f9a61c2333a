// The VAE lab's live equations: the ELBO row's samples are the step's (z = mu + sigma eps), its
// estimate for image 1 is the batch's when the batch is that one image, and the Adam row
// reproduces the followed weight's new value; snapshots never change the run.

#include <gtest/gtest.h>

#include <cmath>

#include "core/models/vae.hpp"
#include "tests/core/equation_values.hpp"

namespace vilab {
namespace {

using vilab::testing::adamFromInputs;
using vilab::testing::valueOf;

const VaeSnapshot& vae(const std::shared_ptr<const Snapshot>& s) { return dynamic_cast<const VaeSnapshot&>(*s); }

VaeScenario oneImage(VaeScenario::Kl kl) {
  VaeScenario s;
  s.dataset = "synthetic";
  s.hidden = 32;
  s.batch = 1;  // the batch's ELBO is image 1's
  s.samples = 3;
  s.kl = kl;
  s.evalEvery = 0;
  s.varianceEvery = 0;
  return s;
}

TEST(VaeEquations, SamplesReproduceTheEstimateAndAdamTheUpdate) {
  for (auto kl : {VaeScenario::Kl::Analytic, VaeScenario::Kl::MonteCarlo}) {
    VaeModel model;
    model.setViewInterval(std::chrono::hours(1));
    ASSERT_TRUE(model.reset(oneImage(kl)).isOk());
    for (int i = 0; i < 4; ++i) {
      const float before = model.network().layers().b2[0];
      model.step();
      auto shot = model.snapshot();
      const VaeSnapshot& v = vae(shot);
      ASSERT_EQ(v.equations.size(), 2u);
      const Equation& e = v.equations[0];
      const Equation& u = v.equations[1];
      EXPECT_EQ(e.when, Equation::When::Last);
      EXPECT_EQ(valueOf(e.inputs, "S"), 3.0);
      const double stated = -e.inputs[1].value + (e.inputs[2].value + e.inputs[3].value + e.inputs[4].value) / 3.0;
      const double estimate = valueOf(e.results, "\\tilde{L}(x_{1})");
      EXPECT_NEAR(stated, estimate, 1e-9 * std::abs(estimate));
      // One image: its estimate is the batch's (float sums in the network: ~1e-6).
      EXPECT_NEAR(estimate, v.elbo, 1e-5 * std::abs(v.elbo));
      const double mu = valueOf(e.inputs, "\\mu_{11}"), sigma = valueOf(e.inputs, "\\sigma_{11}");
      for (int s = 1; s <= 3; ++s) {
        const std::string k = std::to_string(s);
        EXPECT_NEAR(valueOf(e.inputs, "z_{1" + k + ",1}"), mu + sigma * valueOf(e.inputs, "\\epsilon_{1" + k + ",1}"),
                    1e-5 * (1.0 + std::abs(mu)));
      }
      const double now = model.network().layers().b2[0];
      EXPECT_EQ(u.inputs[0].value, double(before));
      EXPECT_EQ(u.results[0].value, now);
      EXPECT_NEAR(adamFromInputs(u), now, 1e-6 * (1.0 + std::abs(now)));
    }
  }
}

TEST(VaeEquations, SnapshotsLeaveTheTraceBitIdentical) {
  VaeScenario s = oneImage(VaeScenario::Kl::Analytic);
  s.batch = 8;
  VaeModel plain, watched;
  watched.setViewInterval(std::chrono::hours(1));
  ASSERT_TRUE(plain.reset(s).isOk());
  ASSERT_TRUE(watched.reset(s).isOk());
  for (int i = 0; i < 10; ++i) {
    plain.step();
    watched.snapshot();
    watched.step();
  }
  EXPECT_EQ(plain.network().parameters(), watched.network().parameters());
}

}  // namespace
}  // namespace vilab
