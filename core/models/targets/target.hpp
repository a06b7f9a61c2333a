#pragma once
// The 2-D target densities of the families-and-divergences lab: unnormalized ln p~(z) with its
// gradient, in the unconstrained coordinates z in R^2 where q lives. The constrained target
// (one coordinate positive, one in (0, 1)) is expressed in z = (ln lambda, logit theta) with the
// log-Jacobian included (Kucukelbir et al. 2017, ADVI), and maps back for the views.

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/math/grid_quadrature.hpp"

namespace vilab {

// A Gaussian bump of the "draw your own" target: weight w N(z; (x, y), sd^2 I).
struct TargetBump {
  double x = 0.0, y = 0.0, sd = 0.7, weight = 1.0;
};

// What defines a target; the scenario's target.* fields map onto it one to one.
struct TargetSpec {
  enum class Kind { Gaussian, Banana, Mixture, Ring, Funnel, Constrained, Custom };
  Kind kind = Kind::Gaussian;
  // gaussian: N(0, [[s1^2, rho s1 s2], [rho s1 s2, s2^2]])
  double sigma1 = 1.0, sigma2 = 1.0, rho = 0.9;
  // banana: z1 ~ N(0, 2^2), z2 | z1 ~ N(curvature z1^2 - 1, 0.7^2)  (curvature 1/4 is the
  // issue's benchmark banana, log Z = ln(2 pi 2 0.7) = 2.1743)
  double curvature = 0.25;
  // mixture: `modes` (2-4) Gaussians of sd `width` on a circle/line `separation` apart; the first
  // mode's weight relative to each other mode's is `weight`
  int modes = 2;
  double separation = 4.0, weight = 1.0, width = 0.7;
  // ring: radius and width (sd across the ring)
  double radius = 2.0, ringWidth = 0.3;
  // funnel (Neal 2003): v ~ N(0, funnelScale^2), x | v ~ N(0, e^v); z = (x, v)
  double funnelScale = 3.0;
  // constrained: Poisson-Gamma x Beta-Binomial posterior of data drawn from dataSeed
  int dataCount = 5;
  std::uint64_t dataSeed = 1;
  // custom: sum of bumps (empty: one bump at the origin)
  std::vector<TargetBump> bumps;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;  // "banana (curvature 0.25)"

  // ln p~(z_s) for each row of z (S x 2) into values (S); when grads is not null, also
  // grad ln p~(z_s) into grads (S x 2). Buffers are resized if needed.
  virtual void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                          Eigen::MatrixXd* grads) const = 0;

  // A box in z that holds all but a negligible part of the mass: [lo0, hi0] x [lo1, hi1]. The
  // views show it; the quadrature uses quadratureAxes().
  virtual Eigen::Vector4d box() const = 0;

  // The tensor grid on which the exact reference (reference.hpp) integrates, about `points`
  // nodes per axis, chosen from the target: wider than box() so that the mass beyond it is
  // below ~1e-9, fine enough to resolve the density (the funnel's x axis is sinh-mapped; a
  // uniform axis may take up to 2 points nodes to resolve a narrow feature beside a wide one).
  // Default: uniform over box().
  virtual std::array<QuadratureAxis, 2> quadratureAxes(int points) const {
    const Eigen::Vector4d b = box();
    return {QuadratureAxis::uniform(b[0], b[1], points),
            QuadratureAxis::uniform(b[2], b[3], points)};
  }

  // ln Z in closed form when known (tests' oracle), else NaN.
  virtual double closedFormLogZ() const { return std::numeric_limits<double>::quiet_NaN(); }

  // Constrained target only: the model's own coordinates (lambda > 0, theta in (0, 1)).
  virtual bool constrained() const { return false; }
};

std::unique_ptr<Target> makeTarget(const TargetSpec& spec);

}  // namespace vilab
