// Properties every flow family must have, checked for the planar and the affine coupling flow
// with parameters far from the identity: ln q of the draws against the change-of-variables
// formula with a numerical Jacobian (central differences of eps -> z), backward() against
// central differences in lambda for fixed eps, logDensity() against the ln q of the same draws
// (the layers inverted), q integrating to 1 on a grid, and identity layers giving the base.

#include "core/vi/flow_family.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <string>

#include "core/optim/adam.hpp"
#include "core/vi/coupling_flow.hpp"
#include "core/vi/planar_flow.hpp"

namespace vilab {
namespace {

enum class Kind { Planar, Coupling };

std::string kindName(Kind k) { return k == Kind::Planar ? "planar" : "coupling"; }

// A flow whose every parameter is moved by `spread` N(0, 1) from its initialisation.
std::unique_ptr<FlowFamily> makeFlow(Kind kind, Eigen::Index p, int layers, std::uint64_t seed, double spread = 0.7) {
  const Eigen::VectorXd mean = Eigen::VectorXd::LinSpaced(p, -0.5, 0.5);
  const Eigen::VectorXd sd = Eigen::VectorXd::LinSpaced(p, 0.8, 1.3);
  std::unique_ptr<FlowFamily> q;
  if (kind == Kind::Planar) q = std::make_unique<PlanarFlow>(p, layers, mean, sd, seed);
  else q = std::make_unique<CouplingFlow>(p, layers, mean, sd, seed, 6);
  Random rng(seed + 100);
  Eigen::VectorXd lambda = q->parameters();
  for (Eigen::Index i = 0; i < lambda.size(); ++i) lambda[i] += spread * rng.normal();
  q->setParameters(lambda);
  return q;
}

double logStandardNormal(const Eigen::VectorXd& eps) {
  return -0.5 * eps.squaredNorm() - 0.5 * double(eps.size()) * std::log(2.0 * std::numbers::pi);
}

struct Case {
  Kind kind;
  Eigen::Index p;
  int layers;
};
const Case kCases[] = {{Kind::Planar, 2, 1}, {Kind::Planar, 2, 3}, {Kind::Planar, 2, 8}, {Kind::Planar, 3, 4},
                       {Kind::Coupling, 2, 1}, {Kind::Coupling, 2, 2}, {Kind::Coupling, 2, 5},
                       {Kind::Coupling, 3, 3}};

TEST(FlowFamily, LogDensityOfDrawsIsTheChangeOfVariables) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(kindName(c.kind) + " P=" + std::to_string(c.p) + " L=" + std::to_string(c.layers));
    const auto q = makeFlow(c.kind, c.p, c.layers, 5);
    Random rng(9);
    FamilyDraws d, shifted;
    q->sample(rng, 6, Sampling::Reparameterized, d);
    for (Eigen::Index s = 0; s < 6; ++s) {
      // J = dz/deps by central differences of the whole map (base and layers).
      Eigen::MatrixXd jac(c.p, c.p);
      const double h = 1e-5;
      for (Eigen::Index j = 0; j < c.p; ++j) {
        Eigen::MatrixXd e(2, c.p);
        e.row(0) = d.eps.row(s);
        e.row(1) = d.eps.row(s);
        e(0, j) += h;
        e(1, j) -= h;
        q->transform(e, shifted);
        jac.col(j) = (shifted.z.row(0) - shifted.z.row(1)).transpose() / (2 * h);
      }
      const double expected = logStandardNormal(d.eps.row(s).transpose()) - std::log(std::abs(jac.determinant()));
      EXPECT_NEAR(d.logq[s], expected, 1e-7);
    }
  }
}

TEST(FlowFamily, BackwardMatchesCentralDifferencesInLambda) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(kindName(c.kind) + " P=" + std::to_string(c.p) + " L=" + std::to_string(c.layers));
    const auto q = makeFlow(c.kind, c.p, c.layers, 17);
    const Eigen::Index s = 5;
    Random rng(21);
    FamilyDraws d;
    q->sample(rng, s, Sampling::Reparameterized, d);
    const Eigen::MatrixXd eps = d.eps;
    Eigen::MatrixXd gz(s, c.p);
    Eigen::VectorXd glogq(s), gweight(s);
    for (Eigen::Index i = 0; i < s; ++i) {
      for (Eigen::Index j = 0; j < c.p; ++j) gz(i, j) = rng.normal();
      glogq[i] = rng.normal();
      gweight[i] = rng.normal();  // the weights 1/S do not depend on lambda
    }
    Eigen::VectorXd grad = Eigen::VectorXd::Constant(q->parameterCount(), 0.25);  // backward adds
    q->backward(d, gz, glogq, gweight, grad);
    grad.array() -= 0.25;

    const Eigen::VectorXd lambda = q->parameters();
    const auto objective = [&](const Eigen::VectorXd& l) {
      q->setParameters(l);
      FamilyDraws e;
      q->transform(eps, e);
      return (gz.array() * e.z.array()).sum() + glogq.dot(e.logq);
    };
    for (Eigen::Index i = 0; i < lambda.size(); ++i) {
      const double h = 1e-5 * (1.0 + std::abs(lambda[i]));
      Eigen::VectorXd up = lambda, down = lambda;
      up[i] += h;
      down[i] -= h;
      const double numeric = (objective(up) - objective(down)) / (2 * h);
      EXPECT_NEAR(grad[i], numeric, 1e-6 * (1.0 + std::abs(numeric))) << "parameter " << i;
    }
    q->setParameters(lambda);
  }
}

TEST(FlowFamily, LogDensityInvertsTheDraws) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(kindName(c.kind) + " P=" + std::to_string(c.p) + " L=" + std::to_string(c.layers));
    for (double spread : {0.0, 0.7, 1.5}) {
      const auto q = makeFlow(c.kind, c.p, c.layers, 23, spread);
      Random rng(29);
      FamilyDraws d;
      q->sample(rng, 1000, Sampling::Ancestral, d);
      EXPECT_TRUE(d.weight.isApproxToConstant(1.0 / 1000.0));
      Eigen::VectorXd lq;
      q->logDensity(d.z, lq);
      EXPECT_LT((lq - d.logq).cwiseAbs().maxCoeff(), 1e-9 * (1.0 + d.logq.cwiseAbs().maxCoeff())) << spread;
    }
  }
}

TEST(FlowFamily, ThirtyTwoLayersStayInvertibleAndFinite) {
  for (Kind kind : {Kind::Planar, Kind::Coupling}) {
    SCOPED_TRACE(kindName(kind));
    const auto q = makeFlow(kind, 2, 32, 43, 0.3);
    Random rng(47);
    FamilyDraws d;
    q->sample(rng, 2000, Sampling::Reparameterized, d);
    ASSERT_TRUE(d.z.allFinite() && d.logq.allFinite());
    Eigen::VectorXd lq;
    q->logDensity(d.z, lq);
    EXPECT_LT(((lq - d.logq).array().abs() / (1.0 + d.logq.array().abs())).maxCoeff(), 1e-8);
  }
}

TEST(FlowFamily, DensityIntegratesToOneOnAGrid) {
  // Midpoint rule on [-12, 12]^2 with 600^2 cells: q at arbitrary points, not only at draws.
  for (Kind kind : {Kind::Planar, Kind::Coupling}) {
    SCOPED_TRACE(kindName(kind));
    const auto q = makeFlow(kind, 2, 4, 31, 0.3);
    {  // the box holds all but a negligible part of the mass
      Random rng(37);
      FamilyDraws d;
      q->sample(rng, 20000, Sampling::Ancestral, d);
      EXPECT_LT(d.z.cwiseAbs().maxCoeff(), 12.0);
    }
    const int n = 600;
    const double lo = -12.0, h = 24.0 / n;
    Eigen::MatrixXd x(n * n, 2);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) x.row(i * n + j) << lo + (i + 0.5) * h, lo + (j + 0.5) * h;
    Eigen::VectorXd lq;
    q->logDensity(x, lq);
    EXPECT_NEAR(lq.array().exp().sum() * h * h, 1.0, 1e-4);
  }
}

TEST(FlowFamily, IdentityLayersGiveTheBaseGaussian) {
  const Eigen::Vector2d mean(0.4, -1.2), sd(0.7, 1.9);
  PlanarFlow planar(2, 6, mean, sd, 3);
  CouplingFlow coupling(2, 6, mean, sd, 3);
  // Planar: u = ln(e - 1) w / |w|^2 makes m(w^T u) = w^T u, so u_hat = 0 whatever w and b.
  Eigen::VectorXd lambda = planar.parameters();
  for (int k = 0; k < planar.layers(); ++k) {
    auto layer = lambda.segment(planar.layerOffset(k), 5);
    const Eigen::Vector2d w = layer.segment(2, 2);
    layer.head(2) = std::log(std::numbers::e - 1.0) * w / w.squaredNorm();
  }
  planar.setParameters(lambda);
  for (int k = 0; k < planar.layers(); ++k) EXPECT_LT(planar.uHat(k).norm(), 1e-14);
  // Coupling: zero output layers give s = t = 0.
  lambda = coupling.parameters();
  for (int k = 0; k < coupling.layers(); ++k) {
    const Eigen::Index h = coupling.hidden(), da = coupling.split(k).aSize;
    const Eigen::Index outputs = h * da + h;  // W1 and c1 come first
    lambda.segment(coupling.layerOffset(k) + outputs, coupling.layerParameterCount(k) - outputs).setZero();
  }
  coupling.setParameters(lambda);

  Eigen::MatrixXd x(4, 2);
  x << 0.0, 0.0, 1.5, -3.0, -2.0, 4.0, 0.4, -1.2;
  for (const FlowFamily* q : {static_cast<const FlowFamily*>(&planar), static_cast<const FlowFamily*>(&coupling)}) {
    SCOPED_TRACE(q->name());
    Eigen::VectorXd lq;
    q->logDensity(x, lq);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const Eigen::Vector2d e = (x.row(i).transpose() - mean).cwiseQuotient(sd);
      EXPECT_NEAR(lq[i], logStandardNormal(e) - std::log(sd.prod()), 1e-12);
    }
    Random rng(4);
    FamilyDraws d;
    q->sample(rng, 50, Sampling::Reparameterized, d);
    for (Eigen::Index i = 0; i < 50; ++i) {
      const Eigen::Vector2d e = d.eps.row(i).transpose();
      EXPECT_LT((d.z.row(i).transpose() - (mean + sd.cwiseProduct(e))).norm(), 1e-12);
      EXPECT_NEAR(d.logq[i], logStandardNormal(e) - std::log(sd.prod()), 1e-12);
    }
  }
}

TEST(FlowFamily, ZeroLayersIsTheBaseAndNonFiniteRowsAreFlagged) {
  const Eigen::Vector2d mean(1.0, 2.0), sd(0.5, 3.0);
  PlanarFlow q(2, 0, mean, sd, 1);
  EXPECT_EQ(q.parameterCount(), 4);
  Eigen::MatrixXd x(3, 2);
  x << 1.0, 2.0, std::numeric_limits<double>::infinity(), 0.0, std::numeric_limits<double>::quiet_NaN(), 0.0;
  Eigen::VectorXd lq;
  q.logDensity(x, lq);
  EXPECT_NEAR(lq[0], -std::log(2.0 * std::numbers::pi * 0.5 * 3.0), 1e-12);
  EXPECT_EQ(lq[1], -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(lq[2]));
}

// The banana: x1 ~ N(0, 2^2), x2 | x1 ~ N(x1^2/4 - 1, 0.7^2), unnormalized, with
// log Z = ln(2 pi 2 0.7); ln p and its gradient for each row of z (S x 2).
constexpr double kBananaLogZ = 2.1743;  // ln(2 pi 1.4) = 2.17430...
void banana(const Eigen::MatrixXd& z, Eigen::VectorXd& logp, Eigen::MatrixXd& grad) {
  const auto x1 = z.col(0).array(), x2 = z.col(1).array();
  const Eigen::ArrayXd r = (x2 - 0.25 * x1.square() + 1.0) / 0.49;
  logp = (-x1.square() / 8.0 - 0.5 * 0.49 * r.square()).matrix();
  grad.resize(z.rows(), 2);
  grad.col(0) = (-x1 / 4.0 + 0.5 * r * x1).matrix();
  grad.col(1) = (-r).matrix();
}

TEST(FlowFamily, ReparameterizedElboFitOfTheBananaApproachesLogZ) {
  // 3,000 Adam steps (lr 0.01) on the S = 128 reparameterization ELBO: the mean ELBO of the
  // last 500 steps is a lower bound of log Z (up to Monte Carlo error) and close to it (a
  // PyTorch planar flow, L = 8, reaches 2.10 after 2,000 steps); the planar constraint holds
  // after every step.
  ASSERT_NEAR(std::log(2.0 * std::numbers::pi * 1.4), kBananaLogZ, 1e-4);
  for (Kind kind : {Kind::Planar, Kind::Coupling}) {
    SCOPED_TRACE(kindName(kind));
    std::unique_ptr<FlowFamily> q;
    if (kind == Kind::Planar) q = std::make_unique<PlanarFlow>(2, 8, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 7);
    else q = std::make_unique<CouplingFlow>(2, 8, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1), 7);
    Adam<double> adam(q->parameterCount(), {.lr = 0.01});
    Random rng(11);
    FamilyDraws d;
    Eigen::VectorXd logp, glogq, gweight = Eigen::VectorXd::Zero(128), grad, lambda = q->parameters();
    Eigen::MatrixXd gz;
    double tail = 0.0;
    for (int step = 0; step < 3000; ++step) {
      q->sample(rng, 128, Sampling::Reparameterized, d);
      banana(d.z, logp, gz);
      if (step >= 2500) tail += d.weight.dot(logp - d.logq) / 500.0;
      gz.array().colwise() *= d.weight.array();
      glogq = -d.weight;
      grad.setZero(q->parameterCount());
      q->backward(d, gz, glogq, gweight, grad);
      adam.ascend(lambda, grad);
      q->setParameters(lambda);
      if (kind == Kind::Planar) {
        const auto& planar = static_cast<const PlanarFlow&>(*q);
        for (int k = 0; k < planar.layers(); ++k) ASSERT_GT(planar.wDotUHat(k), -1.0) << "step " << step;
      }
    }
    EXPECT_GT(tail, 2.05);
    EXPECT_LT(tail, kBananaLogZ + 0.01);
  }
}

TEST(FlowFamily, CloneKeepsParametersAndDraws) {
  for (Kind kind : {Kind::Planar, Kind::Coupling}) {
    const auto q = makeFlow(kind, 2, 3, 41);
    const auto copy = q->clone();
    EXPECT_EQ(copy->name(), q->name());
    EXPECT_EQ(copy->parameters(), q->parameters());
    Random r1(5), r2(5);
    FamilyDraws a, b;
    q->sample(r1, 7, Sampling::Reparameterized, a);
    copy->sample(r2, 7, Sampling::Reparameterized, b);
    EXPECT_EQ(a.z, b.z);
    EXPECT_EQ(a.logq, b.logq);
  }
}

}  // namespace
}  // namespace vilab
