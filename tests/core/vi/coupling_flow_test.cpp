// The affine coupling flow's layout and bounds: parameter counts from the split, which
// coordinates each layer transforms (and that the others pass through unchanged), the tanh bound
// on the log-scale (|ln det| reaches B db per layer, and no more, for huge weights), and the near-identity start.

#include "core/vi/coupling_flow.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace vilab {
namespace {

double logStandardNormal(const Eigen::VectorXd& eps) {
  return -0.5 * eps.squaredNorm() - 0.5 * double(eps.size()) * std::log(2.0 * std::numbers::pi);
}

TEST(CouplingFlow, LayoutAndSplits) {
  const CouplingFlow q2(2, 3, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 1, 8);
  EXPECT_EQ(q2.name(), "affine coupling flow (L = 3)");
  // per layer: W1 8x1, c1 8, Ws 1x8, cs 1, Wt 1x8, ct 1.
  EXPECT_EQ(q2.parameterCount(), 4 + 3 * (8 + 8 + 2 * (8 + 1)));
  EXPECT_EQ(q2.split(0).aStart, 0);
  EXPECT_EQ(q2.split(0).bStart, 1);
  EXPECT_EQ(q2.split(1).aStart, 1);
  EXPECT_EQ(q2.split(1).bStart, 0);
  const CouplingFlow q3(3, 2, Eigen::Vector3d(0, 0, 0), Eigen::Vector3d(1, 1, 1), 1, 4);
  EXPECT_EQ(q3.layerParameterCount(0), 4 * 1 + 4 + 2 * (2 * 4 + 2));  // x_a = z_1, x_b = (z_2, z_3)
  EXPECT_EQ(q3.layerParameterCount(1), 4 * 2 + 4 + 2 * (1 * 4 + 1));  // x_a = (z_2, z_3), x_b = z_1
}

TEST(CouplingFlow, OneLayerMovesOnlyItsTransformedCoordinate) {
  // With the standard base, one layer maps eps to (eps_1, eps_2 e^s(eps_1) + t(eps_1)).
  CouplingFlow q(2, 1, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 4, 5, 0.5);
  Random rng(2);
  FamilyDraws d;
  q.sample(rng, 200, Sampling::Reparameterized, d);
  EXPECT_EQ(d.z.col(0), d.eps.col(0));
  EXPECT_GT((d.z.col(1) - d.eps.col(1)).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(CouplingFlow, LogScaleIsBoundedForHugeWeights) {
  CouplingFlow q(2, 1, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 6, 4);
  Eigen::VectorXd lambda = q.parameters();
  lambda.tail(q.layerParameterCount(0)).setConstant(1e6);
  q.setParameters(lambda);
  Random rng(3);
  FamilyDraws d;
  q.sample(rng, 100, Sampling::Reparameterized, d);
  for (Eigen::Index i = 0; i < 100; ++i) {
    const double logDet = logStandardNormal(d.eps.row(i).transpose()) - d.logq[i];
    EXPECT_NEAR(std::abs(logDet), CouplingFlow::kScaleBound, 1e-12);  // saturated at the bound
    EXPECT_TRUE(std::isfinite(d.z(i, 1)));
  }
}

TEST(CouplingFlow, InitialisationIsNearTheIdentity) {
  const Eigen::Vector2d mean(0.5, -0.5), sd(1.5, 0.5);
  const CouplingFlow q(2, 8, mean, sd, 9, 16, 1e-3);
  Random rng(1);
  FamilyDraws d;
  q.sample(rng, 500, Sampling::Reparameterized, d);
  for (Eigen::Index i = 0; i < 500; ++i) {
    const Eigen::Vector2d base = mean + sd.cwiseProduct(d.eps.row(i).transpose());
    EXPECT_LT((d.z.row(i).transpose() - base).norm(), 0.1 * (1.0 + base.norm()));
  }
}

}  // namespace
}  // namespace vilab
