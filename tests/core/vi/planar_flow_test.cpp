// The planar flow's invertibility constraint (Rezende & Mohamed 2015, Appendix A.1): w^T u_hat
// = m(w^T u) >= -1 for random and extreme parameters and after many random Adam steps, with the
// inversion (Newton safeguarded by bisection) still recovering ln q of the draws; its near-identity
// initialisation.

#include "core/vi/planar_flow.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/optim/adam.hpp"

namespace vilab {
namespace {

// w^T u_hat computed from u_hat itself, and the constraint's two forms.
void expectConstraint(const PlanarFlow& q) {
  for (int k = 0; k < q.layers(); ++k) {
    const Eigen::VectorXd w = q.parameters().segment(q.layerOffset(k) + q.dim(), q.dim());
    const Eigen::VectorXd u = q.parameters().segment(q.layerOffset(k), q.dim());
    EXPECT_GE(q.wDotUHat(k), -1.0) << "layer " << k;
    const double rounding = 1e-12 * (1.0 + u.norm() * w.norm());
    EXPECT_GE(w.dot(q.uHat(k)), -1.0 - rounding) << "layer " << k;
    EXPECT_NEAR(w.dot(q.uHat(k)), q.wDotUHat(k), rounding) << "layer " << k;
  }
}

// logDensity() at the draws against their ln q (the inversion), relative to 1 + |ln q|.
double inversionError(const PlanarFlow& q, std::uint64_t seed) {
  Random rng(seed);
  FamilyDraws d;
  q.sample(rng, 500, Sampling::Ancestral, d);
  Eigen::VectorXd lq;
  q.logDensity(d.z, lq);
  return ((lq - d.logq).array().abs() / (1.0 + d.logq.array().abs())).maxCoeff();
}

TEST(PlanarFlow, InitialisationIsNearTheIdentity) {
  const Eigen::Vector2d mean(1.0, -2.0), sd(0.5, 2.0);
  for (double scale : {0.01, 0.001}) {
    const PlanarFlow q(2, 8, mean, sd, 12, scale);
    EXPECT_EQ(q.parameterCount(), 4 + 8 * 5);
    EXPECT_EQ(q.name(), "planar flow (L = 8)");
    for (int k = 0; k < 8; ++k) {
      const Eigen::VectorXd w = q.parameters().segment(q.layerOffset(k) + 2, 2);
      EXPECT_LT(q.uHat(k).norm() * w.norm(), 10 * scale);  // |df/dz - I| <= |u_hat| |w|
      EXPECT_NEAR(q.wDotUHat(k), 0.0, 10 * scale);
    }
    EXPECT_EQ(q.baseMean(), mean);
    EXPECT_LT((q.baseSd() - sd).norm(), 1e-15);
  }
}

TEST(PlanarFlow, ConstraintHoldsForRandomAndExtremeParameters) {
  PlanarFlow q(2, 4, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 3);
  Random rng(8);
  for (double scale : {1e-3, 0.1, 1.0, 10.0, 1e3}) {
    for (int trial = 0; trial < 20; ++trial) {
      Eigen::VectorXd lambda = q.parameters();
      for (Eigen::Index i = 4; i < lambda.size(); ++i) lambda[i] = scale * rng.normal();
      q.setParameters(lambda);
      expectConstraint(q);
    }
  }
  // u anti-parallel to w: w^T u from -1 to -1e4, where m(w^T u) -> -1 (the Jacobian nearly singular).
  for (double dot : {-1.0, -5.0, -20.0, -1e4}) {
    Eigen::VectorXd lambda = q.parameters();
    for (int k = 0; k < q.layers(); ++k) {
      auto layer = lambda.segment(q.layerOffset(k), 5);
      const Eigen::Vector2d w(std::cos(k + 0.3), std::sin(k + 0.3));
      layer.head(2) = dot * w;
      layer.segment(2, 2) = w;
      layer[4] = 0.2 * k;
    }
    q.setParameters(lambda);
    expectConstraint(q);
    if (dot > -30.0) {  // softplus(w^T u) > 0 in floating point: strictly invertible
      for (int k = 0; k < q.layers(); ++k) EXPECT_GT(q.wDotUHat(k), -1.0);
      EXPECT_LT(inversionError(q, 5), dot > -10.0 ? 1e-8 : 1e-4) << dot;  // worse conditioned
    }
  }
}

TEST(PlanarFlow, ZeroWIsATranslation) {
  PlanarFlow q(2, 1, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 3);
  Eigen::VectorXd lambda = q.parameters();
  lambda.segment(4, 5) << 0.3, -0.2, 0.0, 0.0, 0.7;  // u, w = 0, b
  q.setParameters(lambda);
  Random rng(2);
  FamilyDraws d;
  q.sample(rng, 20, Sampling::Reparameterized, d);
  for (Eigen::Index i = 0; i < 20; ++i) {
    const Eigen::Vector2d e = d.eps.row(i).transpose();
    EXPECT_LT((d.z.row(i).transpose() - e - std::tanh(0.7) * Eigen::Vector2d(0.3, -0.2)).norm(), 1e-15);
    EXPECT_NEAR(d.logq[i], -0.5 * e.squaredNorm() - std::log(2.0 * std::numbers::pi), 1e-14);
  }
  Eigen::VectorXd lq;
  q.logDensity(d.z, lq);
  EXPECT_LT((lq - d.logq).cwiseAbs().maxCoeff(), 1e-14);
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(q.parameterCount());
  q.backward(d, Eigen::MatrixXd::Ones(20, 2), Eigen::VectorXd::Ones(20), Eigen::VectorXd::Zero(20), grad);
  EXPECT_TRUE(grad.allFinite());
}

TEST(PlanarFlow, ConstraintHoldsAfterManyRandomAdamSteps) {
  PlanarFlow q(2, 8, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 19);
  Adam<double> adam(q.parameterCount(), {.lr = 0.05});
  Random rng(23);
  Eigen::VectorXd lambda = q.parameters(), grad(q.parameterCount());
  int inversionChecks = 0;
  for (int step = 0; step < 3000; ++step) {
    for (Eigen::Index i = 0; i < grad.size(); ++i) grad[i] = 10.0 * rng.normal() + (i % 3 == 0 ? 1.0 : -1.0);
    adam.ascend(lambda, grad);
    q.setParameters(lambda);
    for (int k = 0; k < q.layers(); ++k) ASSERT_GE(q.wDotUHat(k), -1.0) << "step " << step;
    if (step % 250 == 249) {
      expectConstraint(q);
      // The inversion is well-conditioned while no layer is near-singular (w^T u_hat near -1
      // flattens f along w: nearby points collapse to one image in floating point).
      double closest = 1.0;
      for (int k = 0; k < q.layers(); ++k) closest = std::min(closest, q.wDotUHat(k) + 1.0);
      if (closest > 1e-4) {
        EXPECT_LT(inversionError(q, step), 1e-8) << "step " << step;
        ++inversionChecks;
      }
    }
  }
  EXPECT_GE(inversionChecks, 1);
}

}  // namespace
}  // namespace vilab
