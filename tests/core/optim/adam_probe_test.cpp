// AdamProbe follows one entry of Adam<Scalar> exactly: the update it states (theta + alpha_t m_t /
// (sqrt(v_t) + eps_t)) is the entry Adam produced, step after step, through a learning-rate change.

#include "core/optim/adam_probe.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/math/random.hpp"

namespace vilab {
namespace {

template <class Scalar>
void followsAdam(double tolerance) {
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  constexpr Eigen::Index kSize = 7, kEntry = 3;
  Adam<Scalar> adam(kSize, {.lr = Scalar(0.05)});
  AdamProbe<Scalar> probe;
  probe.reset(kEntry, Scalar(0.05));
  Vector theta = Vector::Zero(kSize);
  Random rng(11);
  for (int t = 1; t <= 40; ++t) {
    if (t == 20) {
      adam.setLearningRate(Scalar(0.01));
      probe.setLearningRate(Scalar(0.01));
    }
    Vector g(kSize);
    for (Eigen::Index i = 0; i < kSize; ++i) g[i] = Scalar(rng.normal() + 0.3 * i);
    const Scalar before = theta[kEntry];
    adam.ascend(theta, g);
    probe.record(before, g[kEntry], theta[kEntry]);
    const double stated = double(probe.before) + double(probe.alpha()) * double(probe.m) /
                                                     (std::sqrt(double(probe.v)) + double(probe.scaledEpsilon()));
    EXPECT_NEAR(stated, double(theta[kEntry]), tolerance * (1.0 + std::abs(double(theta[kEntry])))) << "step " << t;
    EXPECT_EQ(probe.t, t);
  }
}

TEST(AdamProbe, FollowsAdamInDouble) { followsAdam<double>(1e-13); }
TEST(AdamProbe, FollowsAdamInFloat) { followsAdam<float>(1e-6); }

TEST(AdamProbe, PlainAscentLeavesTheMomentsAlone) {
  AdamProbe<double> probe;
  probe.reset(0, 0.1);
  probe.record(1.0, 2.0, 1.2, /*adam=*/false);
  EXPECT_EQ(probe.t, 0);
  EXPECT_EQ(probe.m, 0.0);
  EXPECT_EQ(probe.after, 1.2);
  EXPECT_DOUBLE_EQ(probe.before + probe.lr * probe.gradient, probe.after);
}

}  // namespace
}  // namespace vilab
